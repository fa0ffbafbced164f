using Uptrain.Teacher;

namespace Uptrain.Tests.Teacher;

public sealed class TeacherRuntimeTests
{
    [Fact]
    public void FindsTheLibTorchThisBuildCarries()
    {
        var directory = TeacherRuntime.NativeDirectory();

        Assert.NotNull(directory);
        Assert.True(File.Exists(Path.Combine(directory!, TeacherRuntime.LibTorchFileName)));
        TeacherRuntime.Require();
    }

    [Fact]
    public void NamesThePortableRuntimeIdentifier()
    {
        Assert.Matches("^(win|linux|osx)-(x64|arm64|x86|arm)$", TeacherRuntime.RuntimeIdentifier);
    }

    [Fact]
    public void KeepsTheLibTorchVersionThePackagesPin()
    {
        // Directory.Packages.props pins libtorch-cpu-<rid>; the runtime's error message names this version.
        var props = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "Directory.Packages.props"));

        Assert.Contains($"Include=\"libtorch-cpu-linux-x64\" Version=\"{TeacherRuntime.LibTorchVersion}\"", props);
    }
}
