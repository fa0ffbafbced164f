using System.Globalization;
using System.Management.Automation;
using Uptrain.Diagnostics;

namespace Uptrain.Hosting;

/// <summary>
/// What every Uptrain cmdlet shares: the engine's <see cref="IOutputWriter"/> mapped onto the
/// PowerShell streams, engine exceptions turned into terminating or non-terminating errors, provider path
/// resolution, the one rule for which errors end a file that is read, and cancellation on Ctrl+C. Cmdlets
/// derive from it and stay thin.
/// </summary>
public abstract class UptrainCmdlet : PSCmdlet, IDisposable
{
    // How often the pipeline's stopping state is read: fast enough that Ctrl+C feels immediate, rare
    // enough to cost nothing.
    private static readonly TimeSpan StopPollInterval = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _stopping = new();
    private readonly object _stoppingLock = new();
    private Timer? _stopWatch;
    private bool _disposed;

    /// <summary>
    /// Cancelled when the user presses Ctrl+C or the host stops the pipeline. The first use starts
    /// watching the pipeline's stopping state (see <see cref="WatchStopping"/>).
    /// </summary>
    protected CancellationToken CancelToken
    {
        get
        {
            lock (_stoppingLock)
            {
                if (!_disposed)
                {
                    _stopWatch ??= new Timer(_ => WatchStopping(), null, StopPollInterval, StopPollInterval);
                }
            }
            return _stopping.Token;
        }
    }

    /// <summary>An output writer that forwards to this cmdlet's streams; use it on the pipeline thread only.</summary>
    protected IOutputWriter Output => _output ??= new CmdletOutputWriter(this);

    private CmdletOutputWriter? _output;

    /// <inheritdoc />
    protected override void StopProcessing() => CancelWork();

    /// <summary>Cancels <see cref="CancelToken"/>; safe from any thread, and after the cmdlet was disposed.</summary>
    internal void CancelWork()
    {
        lock (_stoppingLock)
        {
            if (!_disposed)
            {
                _stopping.Cancel();
            }
        }
    }

    // PowerShell calls StopProcessing only when it stops a pipeline for the first time (PipelineProcessor.Stop
    // asks RecordFailure, which answers from the processor's own stopping flag). Select-Object -First ends
    // the commands before it by throwing StopUpstreamCommandsException, which sets that flag for good; the
    // commands after it then run EndProcessing, and a Ctrl+C (PowerShell.Stop) during it reaches no
    // StopProcessing at all. Cmdlet.Stopping, which reads the runspace pipeline's state, still turns true,
    // so a timer watches it; reading it is a field read, safe on any thread.
    private void WatchStopping()
    {
        if (Stopping)
        {
            CancelWork();
        }
    }

    /// <summary>Runs engine code, turning <see cref="UptrainException"/> into a terminating error.</summary>
    protected void RunEngine(Action action)
    {
        try
        {
            action();
        }
        catch (UptrainException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Maps the engine's error category onto PowerShell's (the names are the same).</summary>
    internal static ErrorCategory ToCategory(ErrorKind kind) =>
        Enum.TryParse<ErrorCategory>(kind.ToString(), out var category) ? category : ErrorCategory.NotSpecified;

    /// <summary>An error record for an engine exception, keeping its id, category and target.</summary>
    internal static ErrorRecord ToErrorRecord(UptrainException ex) => ToErrorRecord(ex, ex.Target);

    /// <summary>An error record for an engine exception about <paramref name="target"/>.</summary>
    internal static ErrorRecord ToErrorRecord(UptrainException ex, object? target) =>
        new(ex, ex.ErrorId, ToCategory(ex.Kind), target);

    /// <summary>An error record for a record-level problem reported by the engine.</summary>
    internal static ErrorRecord ToErrorRecord(RecordError error) =>
        new(new InvalidDataException(error.Message), error.ErrorId, ToCategory(error.Kind), error.Target);

    /// <summary>Throws a terminating error with a message from the resource file.</summary>
    protected void ThrowTerminating(string errorId, ErrorCategory category, object? target, string format, params object?[] args) =>
        ThrowTerminatingError(new ErrorRecord(
            new InvalidOperationException(string.Format(CultureInfo.CurrentCulture, format, args)),
            errorId,
            category,
            target));

    /// <summary>
    /// Resolves <c>-Path</c> (wildcards, must match) or <c>-LiteralPath</c> (taken as is, must exist) to
    /// file-system paths. A path that matches nothing (<c>FileNotFound</c>) or names a folder
    /// (<c>PathIsDirectory</c>) is a non-terminating error and the rest go on; with <paramref name="required"/>
    /// it stops the command instead.
    /// </summary>
    protected IEnumerable<string> ResolveInputFiles(string[] paths, bool literal, bool required = false)
    {
        foreach (var path in paths)
        {
            List<string> resolved;
            try
            {
                resolved = ResolveProviderPaths(path, literal);
            }
            catch (ItemNotFoundException ex)
            {
                ReportFileError(new ErrorRecord(ex, "FileNotFound", ErrorCategory.ObjectNotFound, path), required);
                continue;
            }
            foreach (var file in resolved)
            {
                if (Directory.Exists(file))
                {
                    ReportFileError(
                        new ErrorRecord(
                            new IOException(string.Format(CultureInfo.CurrentCulture, Messages.PathIsDirectory, file)),
                            "PathIsDirectory",
                            ErrorCategory.InvalidArgument,
                            file),
                        required);
                    continue;
                }
                yield return file;
            }
        }
    }

    /// <summary>
    /// The file-system paths <paramref name="path"/> names: with <paramref name="literal"/> the path as is,
    /// which must exist (a file or a folder); else every match of its wildcards in the file system.
    /// </summary>
    /// <exception cref="ItemNotFoundException">Nothing exists there, or nothing in the file system matches.</exception>
    protected List<string> ResolveProviderPaths(string path, bool literal)
    {
        if (literal)
        {
            var full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            if (!File.Exists(full) && !Directory.Exists(full))
            {
                throw new ItemNotFoundException(string.Format(CultureInfo.CurrentCulture, Messages.FileNotFound, path));
            }
            return [full];
        }
        var resolved = GetResolvedProviderPathFromPSPath(path, out var provider)
            .Where(_ => provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            .ToList();
        if (resolved.Count == 0)
        {
            // A wildcard that matches nothing, or a path of another provider.
            throw new ItemNotFoundException(string.Format(CultureInfo.CurrentCulture, Messages.NotAFileSystemPath, path));
        }
        return resolved;
    }

    /// <summary>
    /// Resolves <paramref name="paths"/> as <see cref="ResolveInputFiles"/> does and reads each file with
    /// <paramref name="read"/>, after a verbose line that names it. What a file error is (see
    /// <see cref="IsFileError"/>) ends that file only, reported as a non-terminating error, and the next
    /// file is read; with <paramref name="required"/> (every file is needed, as for
    /// <c>Select-UptrainExample -Exclude</c>) it stops the command. A bad record inside a file is the
    /// reader's to report, as a record error. Any other engine error stops the command.
    /// </summary>
    protected void ReadInputFiles(string[] paths, bool literal, Action<string> read, bool required = false)
    {
        foreach (var file in ResolveInputFiles(paths, literal, required))
        {
            WriteVerbose(string.Format(CultureInfo.CurrentCulture, Messages.ReadingFile, file));
            RunEngine(() =>
            {
                try
                {
                    read(file);
                }
                catch (UptrainException ex) when (!required && IsFileError(ex))
                {
                    WriteError(ex);
                }
            });
        }
    }

    /// <summary>
    /// Whether <paramref name="ex"/>, thrown while a file is read, is that file's error: the file went
    /// (<c>FileNotFound</c>), a column is missing (<c>ColumnNotFound</c>), the file is not text
    /// (<c>NotATextFile</c>) or in no format known (<c>UnknownFormat</c>). Configuration errors, such as an
    /// input that is also the output (<c>TargetIsInput</c>), are not: they would fail for every file.
    /// </summary>
    internal static bool IsFileError(UptrainException ex) =>
        ex.Kind is ErrorKind.ObjectNotFound or ErrorKind.InvalidData or ErrorKind.ParserError;

    private void ReportFileError(ErrorRecord error, bool required)
    {
        if (required)
        {
            ThrowTerminatingError(error);
        }
        WriteError(error);
    }

    /// <summary>Writes an engine exception as a non-terminating error, keeping its id, category and target.</summary>
    protected void WriteError(UptrainException ex) => WriteError(ToErrorRecord(ex, ex.Target));

    /// <summary>Writes an engine exception about <paramref name="target"/> (a piped object) as a non-terminating error.</summary>
    protected void WriteError(UptrainException ex, object? target) => WriteError(ToErrorRecord(ex, target));

    /// <summary>Writes <c>InvalidInputObject</c>: <paramref name="input"/> is not an object this cmdlet takes.</summary>
    protected void WriteInvalidInput(Exception ex, object input) =>
        WriteError(new ErrorRecord(ex, "InvalidInputObject", ErrorCategory.InvalidData, input));

    /// <summary>
    /// <paramref name="value"/> when the parameter <paramref name="name"/> was given, else null (the engine
    /// then chooses): for parameters whose default depends on the data.
    /// </summary>
    protected T? BoundOrNull<T>(T value, string name)
        where T : struct =>
        MyInvocation.BoundParameters.ContainsKey(name) ? value : null;

    /// <summary>
    /// The piped items that are examples (Uptrain.TextcatExample, strings, objects with Text), each with its
    /// input; an item that is not is reported as <c>InvalidInputObject</c>, one whose label values break the
    /// rule files follow as <c>InvalidLabelValue</c>, and skipped.
    /// </summary>
    protected IEnumerable<(PSObject Input, TextcatExample Example)> ExamplesOf(IEnumerable<PSObject?> items) =>
        Converted(items, PipelineInput.ToExample);

    /// <summary>
    /// The piped items that <paramref name="convert"/> accepts, each with its input; an item it refuses (a cast
    /// failure: <c>InvalidInputObject</c>; an engine check such as <c>InvalidLabelValue</c>) is reported and skipped.
    /// </summary>
    protected IEnumerable<(PSObject Input, T Value)> Converted<T>(IEnumerable<PSObject?> items, Func<PSObject, T> convert)
    {
        foreach (var item in items)
        {
            if (item is null)
            {
                continue;
            }
            T value;
            try
            {
                value = convert(item);
            }
            catch (PSInvalidCastException ex)
            {
                WriteInvalidInput(ex, item);
                continue;
            }
            catch (UptrainException ex)
            {
                // The same checks as for files (a label value outside 0..1 is InvalidLabelValue).
                WriteError(ex, item);
                continue;
            }
            yield return (item, value);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/>, which writes <paramref name="target"/>; a file-system failure (no access,
    /// a full disk) stops the command with <paramref name="errorId"/>, naming the file.
    /// </summary>
    protected void WriteFile(string errorId, string target, Action write)
    {
        try
        {
            write();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, errorId, ErrorCategory.WriteError, target));
        }
    }

    /// <summary>Loads the model folder <paramref name="folder"/>; <paramref name="quantized"/> asks for a teacher's 8-bit graph.</summary>
    protected TextcatModel LoadModel(string folder, ComputeDevice device, bool quantized) =>
        TextcatModel.Load(folder, device, output: Output, precision: quantized ? ModelPrecision.Int8 : ModelPrecision.Float32);

    /// <summary>Resolves an output path (which need not exist) to a file-system path.</summary>
    protected string ResolveOutputPath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the cancellation source; derived cmdlets release their sessions too.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }
        lock (_stoppingLock)
        {
            if (!_disposed)
            {
                _stopWatch?.Dispose();
                _stopping.Dispose();
            }
            _disposed = true;
        }
    }

    /// <summary>Forwards engine output to the cmdlet's streams. Pipeline thread only.</summary>
    private sealed class CmdletOutputWriter(UptrainCmdlet cmdlet) : IOutputWriter
    {
        public void WriteError(RecordError error) => cmdlet.WriteError(ToErrorRecord(error));

        public void WriteWarning(string message) => cmdlet.WriteWarning(message);

        public void WriteVerbose(string message) => cmdlet.WriteVerbose(message);

        public void WriteProgress(ProgressInfo progress) => cmdlet.WriteProgress(BackgroundWork.ToRecord(progress));
    }
}
