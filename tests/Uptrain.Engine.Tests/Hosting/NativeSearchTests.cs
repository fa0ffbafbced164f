using Uptrain.Hosting;

namespace Uptrain.Tests.Hosting;

public sealed class NativeSearchTests
{
    private static readonly string Dependencies = Path.Combine("m", "Dependencies");

    private static string Native(string rid) => Path.Combine(Dependencies, "runtimes", rid, "native");

    [Theory]
    [InlineData("win-x64", "win", "x64")]
    [InlineData("win-arm64", "win", "arm64")]
    [InlineData("linux-x64", "linux", "x64")]
    [InlineData("linux-arm64", "linux", "arm64")]
    [InlineData("osx-arm64", "osx", "arm64")]
    public void Directories_TryThePlatformsOwnFolder_AfterTheDependencies(string rid, string os, string architecture)
    {
        var directories = NativeSearch.Directories(Dependencies, rid, os, architecture, null);

        Assert.Equal([Dependencies, Native(rid), Path.Combine(Dependencies, "runtimes", os, "native")], directories);
    }

    [Fact]
    public void Directories_OfADistributionRid_FallBackToThePortableOne_AndEndWithTheTrainingRuntime()
    {
        var runtime = Path.Combine("home", "runtime", "native");

        var directories = NativeSearch.Directories(Dependencies, "debian.12-x64", "linux", "x64", runtime);

        Assert.Equal([Dependencies, Native("debian.12-x64"), Native("linux-x64"), Path.Combine(Dependencies, "runtimes", "linux", "native"), runtime], directories);
    }

    [Fact]
    public void Directories_OnMacOs_IncludeTheUniversalFolder()
    {
        // SkiaSharp ships macOS as one universal library under runtimes/osx.
        Assert.Contains(Native("osx"), NativeSearch.Directories(Dependencies, "osx-arm64", "osx", "arm64", null));
    }

    [Theory]
    [InlineData("LibTorchSharp", "win", new[] { "LibTorchSharp", "LibTorchSharp.dll" })]
    [InlineData("LibTorchSharp", "linux", new[] { "LibTorchSharp", "libLibTorchSharp.so", "LibTorchSharp.so" })]
    [InlineData("onnxruntime", "osx", new[] { "onnxruntime", "libonnxruntime.dylib", "onnxruntime.dylib" })]
    [InlineData("libgomp.so.1", "linux", new[] { "libgomp.so.1" })]
    [InlineData("onnxruntime.dll", "win", new[] { "onnxruntime.dll" })]
    public void FileNames_FollowEachSystemsNaming(string name, string os, string[] expected)
    {
        Assert.Equal(expected, NativeSearch.FileNames(name, os));
    }
}
