using System.Runtime.InteropServices;
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

    /// <summary>The folder that holds LibTorch, or null when this installation has none.</summary>
    public static string? NativeDirectory() =>
        SearchDirectories().FirstOrDefault(d => File.Exists(Path.Combine(d, LibTorchFileName)));

    /// <summary>Stops with a named error unless LibTorch is here.</summary>
    /// <exception cref="UptrainException"><c>TeacherRuntimeMissing</c> (ResourceUnavailable): no LibTorch for this platform.</exception>
    public static void Require()
    {
        if (NativeDirectory() is null)
        {
            throw new UptrainException(
                "TeacherRuntimeMissing",
                ErrorKind.ResourceUnavailable,
                UserMessage.Format(Messages.TeacherRuntimeMissing, LibTorchVersion, RuntimeIdentifier, string.Join(", ", SearchDirectories())));
        }
    }

    // The engine's folder and the application's, each as it is and with runtimes/<rid>/native below it.
    private static IEnumerable<string> SearchDirectories()
    {
        string?[] starts = [Path.GetDirectoryName(typeof(TeacherRuntime).Assembly.Location), AppContext.BaseDirectory];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in starts.Where(s => !string.IsNullOrEmpty(s)).Select(s => Path.GetFullPath(s!)))
        {
            foreach (var directory in new[] { start, Path.Combine(start, "runtimes", RuntimeInformation.RuntimeIdentifier, "native"), Path.Combine(start, "runtimes", RuntimeIdentifier, "native") })
            {
                if (seen.Add(directory))
                {
                    yield return directory;
                }
            }
        }
    }
}
