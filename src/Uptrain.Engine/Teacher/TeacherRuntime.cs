using System.Runtime.InteropServices;
using System.Text.Json;
using Uptrain.Diagnostics;

namespace Uptrain.Teacher;

/// <summary>
/// Where the teacher-training runtime is: LibTorch, which TorchSharp loads for training a teacher and for distilling
/// token vectors from an encoder. A module built from the repository carries it in <c>Dependencies/runtimes/&lt;rid&gt;/native</c>;
/// the gallery package leaves it out (scoring, students, triage, review and reports need none of it).
/// </summary>
public static class TeacherRuntime
{
    /// <summary>The LibTorch version TorchSharp 0.107 is built against.</summary>
    public const string LibTorchVersion = "2.10.0";

    /// <summary>The portable runtime identifier of this process, such as <c>linux-x64</c>.</summary>
    public static string RuntimeIdentifier =>
        (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-"
        + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();

    /// <summary>LibTorch's CPU library on this system: the one file every LibTorch install has.</summary>
    public static string LibTorchFileName =>
        OperatingSystem.IsWindows() ? "torch_cpu.dll" : OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib" : "libtorch_cpu.so";

    /// <summary>The environment variable that names an installed runtime's folder instead of <see cref="DefaultPath"/>.</summary>
    public const string PathVariable = "UPTRAIN_RUNTIME_PATH";

    /// <summary>
    /// The <c>AppContext</c> key under which the module's load context finds the runtime's native folder (the loader's
    /// <c>NativeSearch.RuntimeNativeDirectoryKey</c>).
    /// </summary>
    public const string NativeDirectoryKey = "Uptrain.RuntimeNativeDirectory";

    /// <summary>The per-user folder of an installed runtime: <c>Uptrain/runtime/&lt;LibTorch version&gt;/&lt;rid&gt;</c> in local application data.</summary>
    public static string DefaultPath => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "Uptrain", "runtime", LibTorchVersion, RuntimeIdentifier);

    /// <summary>The installed runtime's folder: <see cref="PathVariable"/> when set, else <see cref="DefaultPath"/>.</summary>
    public static string InstalledPath =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? Path.GetFullPath(path) : DefaultPath;

    /// <summary>
    /// The folder that holds LibTorch, or null when this installation has none: the module's own (a build from the
    /// repository), else an installed runtime's <c>native</c> folder, which is then named to the module's load context.
    /// </summary>
    public static string? NativeDirectory()
    {
        if (SearchDirectories().FirstOrDefault(d => File.Exists(Path.Combine(d, LibTorchFileName))) is { } own)
        {
            return own;
        }
        var installed = InstalledPath;
        if (!Directory.Exists(installed))
        {
            return null;
        }
        if (Check(installed) is { } problem)
        {
            throw new UptrainException("TeacherRuntimeDamaged", ErrorKind.InvalidData, UserMessage.Format(Messages.TeacherRuntimeDamaged, installed, problem), installed);
        }
        var native = Path.Combine(installed, "native");
        AppContext.SetData(NativeDirectoryKey, native);
        return native;
    }

    private static readonly JsonSerializerOptions ManifestJson = new() { WriteIndented = true };

    /// <summary>The file that lists an installed runtime's files with their sizes and SHA-256, written last.</summary>
    public const string ManifestFileName = "runtime.json";

    /// <summary>
    /// What is wrong with the installed runtime in <paramref name="folder"/>, or null when it is complete: a missing
    /// or unreadable manifest (an interrupted installation), or a listed file missing or of another size.
    /// </summary>
    public static string? Check(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        Dictionary<string, RuntimeFile> files;
        try
        {
            files = ReadManifest(folder);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return UserMessage.Format(Messages.RuntimeNoManifest, Path.Combine(folder, ManifestFileName));
        }
        if (!files.ContainsKey("native/" + LibTorchFileName))
        {
            return UserMessage.Format(Messages.RuntimeFileMissing, "native/" + LibTorchFileName);
        }
        foreach (var (name, file) in files)
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path))
            {
                return UserMessage.Format(Messages.RuntimeFileMissing, name);
            }
            if (new FileInfo(path).Length != file.Size)
            {
                return UserMessage.Format(Messages.RuntimeFileChanged, name, new FileInfo(path).Length, file.Size);
            }
        }
        return null;
    }

    /// <summary>The files an installed runtime's manifest lists, by path relative to its folder (with '/').</summary>
    public static Dictionary<string, RuntimeFile> ReadManifest(string folder)
    {
        using var stream = File.OpenRead(Path.Combine(folder, ManifestFileName));
        var manifest = JsonSerializer.Deserialize<RuntimeManifest>(stream) ?? throw new JsonException("empty manifest");
        return manifest.Files;
    }

    /// <summary>Lists every file under <paramref name="folder"/> in its manifest (written last); returns their total size.</summary>
    internal static long WriteManifest(string folder, string runtimeIdentifier)
    {
        var files = new Dictionary<string, RuntimeFile>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');
            files[name] = new RuntimeFile(new FileInfo(path).Length, IO.Sha256Digest.OfFile(path));
        }
        var manifest = new RuntimeManifest(1, runtimeIdentifier, LibTorchVersion, files);
        File.WriteAllText(Path.Combine(folder, ManifestFileName), JsonSerializer.Serialize(manifest, ManifestJson));
        return files.Values.Sum(f => f.Size);
    }

    /// <summary>Stops with a named error unless LibTorch is here.</summary>
    /// <exception cref="UptrainException"><c>TeacherRuntimeMissing</c> (ResourceUnavailable): no LibTorch for this platform.
    /// <c>TeacherRuntimeDamaged</c> (InvalidData): the installed runtime is incomplete or changed.</exception>
    public static void Require()
    {
        if (NativeDirectory() is null)
        {
            throw new UptrainException(
                "TeacherRuntimeMissing",
                ErrorKind.ResourceUnavailable,
                UserMessage.Format(Messages.TeacherRuntimeMissing, LibTorchVersion, RuntimeIdentifier, InstalledPath));
        }
    }

    /// <summary>The engine's folder and the application's, full paths, without repeats (single-file hosts have no assembly location).</summary>
    internal static IEnumerable<string> EngineFolders()
    {
        string?[] starts = [Path.GetDirectoryName(typeof(TeacherRuntime).Assembly.Location), AppContext.BaseDirectory];
        return starts.Where(s => !string.IsNullOrEmpty(s)).Select(s => Path.GetFullPath(s!)).Distinct(StringComparer.Ordinal);
    }

    // The engine's folders, each as it is and with runtimes/<rid>/native below it.
    private static IEnumerable<string> SearchDirectories() =>
        EngineFolders()
            .SelectMany(start => new[] { start, Path.Combine(start, "runtimes", RuntimeInformation.RuntimeIdentifier, "native"), Path.Combine(start, "runtimes", RuntimeIdentifier, "native") })
            .Distinct(StringComparer.Ordinal);
}

/// <summary>One file of an installed runtime: its size and SHA-256.</summary>
public sealed record RuntimeFile(long Size, string Sha256);

/// <summary>An installed runtime's manifest.</summary>
internal sealed record RuntimeManifest(int Format, string RuntimeIdentifier, string LibTorchVersion, Dictionary<string, RuntimeFile> Files);
