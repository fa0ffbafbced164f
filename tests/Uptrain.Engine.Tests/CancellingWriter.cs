using Uptrain.Diagnostics;

namespace Uptrain.Tests;

/// <summary>Cancels its source on the first training step it sees (progress of a run's epoch activity, id 2), as Ctrl+C would.</summary>
public sealed class CancellingWriter(CancellationTokenSource cancel) : IOutputWriter
{
    /// <summary>The epoch activity of both trainers.</summary>
    public const int EpochActivityId = 2;

    public int Steps { get; private set; }

    public void WriteError(RecordError error)
    {
    }

    public void WriteWarning(string message)
    {
    }

    public void WriteVerbose(string message)
    {
    }

    public void WriteProgress(ProgressInfo progress)
    {
        if (progress.ActivityId == EpochActivityId && !progress.Completed && progress.Status.StartsWith("step", StringComparison.Ordinal))
        {
            Steps++;
            cancel.Cancel();
        }
    }
}
