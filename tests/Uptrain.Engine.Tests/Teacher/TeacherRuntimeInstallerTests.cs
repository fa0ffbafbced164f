using NuGet.Packaging;
using NuGet.Versioning;
using Uptrain.Diagnostics;
using Uptrain.Teacher;

namespace Uptrain.Tests.Teacher;

public sealed class TeacherRuntimeInstallerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"uptrain-runtime-tests-{Guid.NewGuid():N}");

    public TeacherRuntimeInstallerTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Runtime(params string[] files)
    {
        var runtime = Directory.CreateDirectory(Path.Combine(_folder, "runtime")).FullName;
        foreach (var file in files)
        {
            var path = Path.Combine(runtime, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file);
        }
        TeacherRuntime.WriteManifest(runtime, TeacherRuntime.RuntimeIdentifier);
        return runtime;
    }

    [Fact]
    public void Check_AcceptsAComplete_AndNamesAMissingOrChangedFile()
    {
        var runtime = Runtime("native/" + TeacherRuntime.LibTorchFileName, "models/minilm-l6/vocab.txt");

        Assert.Null(TeacherRuntime.Check(runtime));
        Assert.Equal(2, TeacherRuntime.ReadManifest(runtime).Count);

        File.AppendAllText(Path.Combine(runtime, "models", "minilm-l6", "vocab.txt"), "more");
        Assert.Contains("models/minilm-l6/vocab.txt has", TeacherRuntime.Check(runtime));

        File.WriteAllText(Path.Combine(runtime, "models", "minilm-l6", "vocab.txt"), "models/minilm-l6/vocab.txt");
        Assert.Null(TeacherRuntime.Check(runtime));
        File.Delete(Path.Combine(runtime, "native", TeacherRuntime.LibTorchFileName));
        Assert.Equal($"native/{TeacherRuntime.LibTorchFileName} is missing", TeacherRuntime.Check(runtime));
    }

    [Fact]
    public void Check_OfAnInterruptedInstallation_NamesTheMissingList()
    {
        var runtime = Runtime("native/" + TeacherRuntime.LibTorchFileName);
        File.Delete(Path.Combine(runtime, TeacherRuntime.ManifestFileName));

        Assert.Contains(TeacherRuntime.ManifestFileName, TeacherRuntime.Check(runtime));
    }

    [Fact]
    public void Install_FromASourceWithoutThePackages_IsANamedError_AndLeavesNothing()
    {
        var source = Directory.CreateDirectory(Path.Combine(_folder, "empty-feed")).FullName;
        var target = Path.Combine(_folder, "installed");

        var error = Assert.Throws<UptrainException>(() =>
            TeacherRuntimeInstaller.Install(new RuntimeInstallOptions { Path = target, Source = source }, NullOutputWriter.Instance));

        Assert.Equal("RuntimePackageNotFound", error.ErrorId);
        Assert.Contains("libtorch-cpu-" + TeacherRuntime.RuntimeIdentifier, error.Message);
        Assert.False(Directory.Exists(target));
        Assert.Empty(Directory.GetDirectories(_folder, "installed.partial-*"));
    }

    [Fact]
    public void Install_RefusesAnUnsignedPackage()
    {
        var source = Directory.CreateDirectory(Path.Combine(_folder, "unsigned-feed")).FullName;
        var builder = new PackageBuilder
        {
            Id = "libtorch-cpu-" + TeacherRuntime.RuntimeIdentifier,
            Version = NuGetVersion.Parse(TeacherRuntime.LibTorchVersion),
            Description = "not LibTorch",
        };
        builder.Authors.Add("someone");
        var payload = Path.Combine(_folder, "payload.txt");
        File.WriteAllText(payload, "x");
        builder.Files.Add(new PhysicalPackageFile { SourcePath = payload, TargetPath = $"runtimes/{TeacherRuntime.RuntimeIdentifier}/native/{TeacherRuntime.LibTorchFileName}" });
        using (var stream = File.Create(Path.Combine(source, $"{builder.Id}.{TeacherRuntime.LibTorchVersion}.nupkg")))
        {
            builder.Save(stream);
        }

        var error = Assert.Throws<UptrainException>(() =>
            TeacherRuntimeInstaller.Install(new RuntimeInstallOptions { Path = Path.Combine(_folder, "installed"), Source = source }, NullOutputWriter.Instance));

        Assert.Equal("RuntimePackageUnsigned", error.ErrorId);
        Assert.Equal(ErrorKind.SecurityError, error.Kind);
    }

    [Fact]
    public void TheEngineAndTheLoader_NameTheRuntimesNativeFolderAndThePlatformAlike()
    {
        Assert.Equal(Uptrain.Hosting.NativeSearch.RuntimeNativeDirectoryKey, TeacherRuntime.NativeDirectoryKey);
        // The engine cannot reference the loader: each computes the platform's folder name, and they must agree.
        Assert.Equal(Uptrain.Hosting.NativeSearch.PortableRuntimeIdentifier(), TeacherRuntime.RuntimeIdentifier);
    }
}
