using Uptrain.Diagnostics;

namespace Uptrain.Tests;

/// <summary>An <see cref="IOutputWriter"/> that records everything, for assertions.</summary>
public sealed class CollectingOutputWriter : IOutputWriter
{
    public List<RecordError> Errors { get; } = [];

    public List<string> Warnings { get; } = [];

    public List<string> Verbose { get; } = [];

    public List<ProgressInfo> Progress { get; } = [];

    public void WriteError(RecordError error) => Errors.Add(error);

    public void WriteWarning(string message) => Warnings.Add(message);

    public void WriteVerbose(string message) => Verbose.Add(message);

    public void WriteProgress(ProgressInfo progress) => Progress.Add(progress);
}
