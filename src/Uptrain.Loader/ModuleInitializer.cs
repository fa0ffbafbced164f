using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Uptrain.Hosting;

/// <summary>
/// Runs when PowerShell imports the module (this assembly is a nested module, imported before the
/// cmdlet assembly): routes the engine and everything under <c>Dependencies/</c> into the module's
/// own <see cref="DependencyLoadContext"/>, so that Uptrain's packages (and native libraries) never
/// clash with what PowerShell or other modules have loaded.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string ModuleDirectory =
        Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? AppContext.BaseDirectory;

    private static readonly DependencyLoadContext Context =
        new(Path.Combine(ModuleDirectory, "Dependencies"));

    private static int _registered;

    /// <summary>Called by PowerShell on Import-Module. Registering twice (Import-Module -Force) is harmless.</summary>
    public void OnImport()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += ResolveFromDefault;
        }
    }

    /// <summary>
    /// Called by PowerShell on Remove-Module. The handler stays: the engine cannot be unloaded from
    /// the process, and a later Import-Module must find it again in the same context.
    /// </summary>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
    }

    // The default context asks only for assemblies it cannot find itself; the cmdlet assembly's
    // reference to Uptrain.Engine is one of them, and it lands in our context. From there on the
    // engine's own references resolve inside DependencyLoadContext.
    private static Assembly? ResolveFromDefault(AssemblyLoadContext defaultContext, AssemblyName name) =>
        string.Equals(name.Name, "Uptrain.Engine", StringComparison.Ordinal)
            ? Context.LoadFromAssemblyName(name)
            : null;
}

/// <summary>
/// The module's private load context: managed assemblies from <c>Dependencies/</c>, native libraries
/// from the folders <see cref="NativeSearch"/> names for the running platform.
/// </summary>
internal sealed class DependencyLoadContext(string dependencyDirectory)
    : AssemblyLoadContext("Uptrain", isCollectible: false)
{
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var candidate = Path.Combine(dependencyDirectory, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (var path in NativeCandidates(unmanagedDllName))
        {
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle))
            {
                return handle;
            }
        }
        return IntPtr.Zero;
    }

    private IEnumerable<string> NativeCandidates(string name)
    {
        var os = NativeSearch.CurrentOs();
        var directories = NativeSearch.Directories(
            dependencyDirectory,
            RuntimeInformation.RuntimeIdentifier,
            os,
            NativeSearch.CurrentArchitecture(),
            AppContext.GetData(NativeSearch.RuntimeNativeDirectoryKey) as string);
        foreach (var directory in directories)
        {
            foreach (var fileName in NativeSearch.FileNames(name, os))
            {
                yield return Path.Combine(directory, fileName);
            }
        }
    }
}
