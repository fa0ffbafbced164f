using System.Runtime.InteropServices;

namespace Uptrain.Hosting;

/// <summary>
/// Where the module's load context looks for a native library, for any platform: the folders of
/// <c>Dependencies/</c> that hold the running platform's natives (the package carries several platforms'), then the
/// teacher-training runtime's native folder once the engine has named it (Install-UptrainRuntime puts libtorch there).
/// </summary>
public static class NativeSearch
{
    /// <summary>
    /// The <see cref="AppContext"/> data key under which the engine names the training runtime's native folder; the
    /// load context reads it on every lookup, so a runtime installed after the import is found.
    /// </summary>
    public const string RuntimeNativeDirectoryKey = "Uptrain.RuntimeNativeDirectory";

    /// <summary>
    /// The folders to try, in order: <paramref name="dependencyDirectory"/>; its <c>runtimes/&lt;rid&gt;/native</c> for
    /// the exact runtime identifier, for the portable <c>os-architecture</c> one, and for the system alone (SkiaSharp's
    /// macOS libraries are universal, under <c>osx</c>); then <paramref name="runtimeNativeDirectory"/>, if any.
    /// </summary>
    /// <param name="dependencyDirectory">The module's Dependencies folder.</param>
    /// <param name="runtimeIdentifier">The process's runtime identifier (such as <c>linux-x64</c> or <c>debian.12-x64</c>).</param>
    /// <param name="os"><c>win</c>, <c>osx</c> or <c>linux</c>.</param>
    /// <param name="architecture"><c>x64</c>, <c>arm64</c> and so on, lower case.</param>
    /// <param name="runtimeNativeDirectory">The training runtime's native folder, or null.</param>
    public static IReadOnlyList<string> Directories(
        string dependencyDirectory, string runtimeIdentifier, string os, string architecture, string? runtimeNativeDirectory)
    {
        var runtimes = Path.Combine(dependencyDirectory, "runtimes");
        var directories = new List<string>
        {
            dependencyDirectory,
            Path.Combine(runtimes, runtimeIdentifier, "native"),
            Path.Combine(runtimes, os + "-" + architecture, "native"),
            Path.Combine(runtimes, os, "native"),
        };
        if (!string.IsNullOrEmpty(runtimeNativeDirectory))
        {
            directories.Add(runtimeNativeDirectory);
        }
        return directories.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The file names a library asked for as <paramref name="name"/> may have on <paramref name="os"/>.</summary>
    public static IReadOnlyList<string> FileNames(string name, string os)
    {
        var fileNames = new List<string> { name };
        if (Path.HasExtension(name) && (name.Contains(".so", StringComparison.Ordinal) || name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".dylib", StringComparison.Ordinal)))
        {
            return fileNames;
        }
        switch (os)
        {
            case "win":
                fileNames.Add(name + ".dll");
                break;
            case "osx":
                fileNames.Add("lib" + name + ".dylib");
                fileNames.Add(name + ".dylib");
                break;
            default:
                fileNames.Add("lib" + name + ".so");
                fileNames.Add(name + ".so");
                break;
        }
        return fileNames;
    }

    /// <summary>The running system: <c>win</c>, <c>osx</c> or <c>linux</c>.</summary>
    public static string CurrentOs() => OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";

    /// <summary>The process's architecture, lower case (<c>x64</c>, <c>arm64</c>).</summary>
    public static string CurrentArchitecture() => RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();

    /// <summary>The portable runtime identifier of the running process, such as <c>linux-x64</c> or <c>osx-arm64</c>.</summary>
    public static string PortableRuntimeIdentifier() => CurrentOs() + "-" + CurrentArchitecture();
}
