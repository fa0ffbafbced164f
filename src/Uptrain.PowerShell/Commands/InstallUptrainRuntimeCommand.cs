using System.Globalization;
using System.Management.Automation;
using Uptrain.Hosting;
using Uptrain.Teacher;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Installs the teacher-training runtime (LibTorch and the MiniLM-L6 base model) for this platform from a NuGet feed.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Install, "UptrainRuntime", SupportsShouldProcess = true)]
[OutputType(typeof(RuntimeInstallResult))]
public sealed class InstallUptrainRuntimeCommand : UptrainCmdlet
{
    /// <summary>The runtime folder (default: a versioned per-user folder; $env:UPTRAIN_RUNTIME_PATH when set).</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>A NuGet feed (V3 index URL; default nuget.org) or a folder of .nupkg files, for machines without internet.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = RuntimeInstallOptions.DefaultSource;

    /// <summary>Installs again over a complete runtime.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var target = Path is null ? TeacherRuntime.InstalledPath : ResolveOutputPath(Path);
        var source = Uri.TryCreate(Source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? Source : ResolveOutputPath(Source);
        if (!Force.IsPresent && TeacherRuntime.Check(target) is null)
        {
            WriteVerbose(string.Format(CultureInfo.CurrentCulture, Messages.RuntimeAlreadyInstalled, target));
        }
        else if (!ShouldProcess(target, string.Format(CultureInfo.CurrentCulture, Messages.RuntimeInstallAction, TeacherRuntime.LibTorchVersion, TeacherRuntime.RuntimeIdentifier, source)))
        {
            return;
        }
        var options = new RuntimeInstallOptions { Path = target, Source = source, Force = Force.IsPresent };
        RuntimeInstallResult? result = null;
        RunEngine(() => result = new BackgroundWork(this).Run(writer => TeacherRuntimeInstaller.Install(options, writer, CancelToken)));
        if (!string.Equals(target, TeacherRuntime.InstalledPath, StringComparison.Ordinal))
        {
            // This session finds it at once; a new one needs the variable too.
            Environment.SetEnvironmentVariable(TeacherRuntime.PathVariable, target);
            WriteWarning(string.Format(CultureInfo.CurrentCulture, Messages.RuntimeElsewhere, target, TeacherRuntime.PathVariable));
        }
        WriteObject(result);
    }
}
