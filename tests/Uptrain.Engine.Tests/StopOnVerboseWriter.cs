using Uptrain.Diagnostics;

namespace Uptrain.Tests;

/// <summary>Cancels <paramref name="stop"/> when a verbose line matches: a Ctrl+C at a known point of long work.</summary>
internal sealed class StopOnVerboseWriter(Func<string, bool> when, CancellationTokenSource stop) : IOutputWriter
{
    public void WriteError(RecordError error)
    {
    }

    public void WriteWarning(string message)
    {
    }

    public void WriteVerbose(string message)
    {
        if (when(message))
        {
            stop.Cancel();
        }
    }

    public void WriteProgress(ProgressInfo progress)
    {
    }
}
