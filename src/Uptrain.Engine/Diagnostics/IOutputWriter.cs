namespace Uptrain.Diagnostics;

/// <summary>
/// The only way the engine talks back to its host while it works. A PowerShell cmdlet implements it by
/// queueing or forwarding to WriteError/WriteWarning/WriteVerbose/WriteProgress on the pipeline thread;
/// other hosts (tests, tools) can collect or ignore. Implementations need not be thread-safe unless
/// the engine method says it reports from a worker thread.
/// </summary>
public interface IOutputWriter
{
    /// <summary>A problem with one record; the work goes on with the next record.</summary>
    void WriteError(RecordError error);

    /// <summary>Something the user should know about, that is not an error.</summary>
    void WriteWarning(string message);

    /// <summary>Detail for <c>-Verbose</c>.</summary>
    void WriteVerbose(string message);

    /// <summary>Progress of long work; <see cref="ProgressInfo.Completed"/> closes the activity.</summary>
    void WriteProgress(ProgressInfo progress);
}

/// <summary>An <see cref="IOutputWriter"/> that discards everything.</summary>
public sealed class NullOutputWriter : IOutputWriter
{
    /// <summary>The shared instance.</summary>
    public static NullOutputWriter Instance { get; } = new();

    private NullOutputWriter()
    {
    }

    /// <inheritdoc />
    public void WriteError(RecordError error)
    {
    }

    /// <inheritdoc />
    public void WriteWarning(string message)
    {
    }

    /// <inheritdoc />
    public void WriteVerbose(string message)
    {
    }

    /// <inheritdoc />
    public void WriteProgress(ProgressInfo progress)
    {
    }
}
