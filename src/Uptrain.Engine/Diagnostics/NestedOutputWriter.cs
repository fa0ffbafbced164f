namespace Uptrain.Diagnostics;

/// <summary>
/// Passes everything on to <paramref name="inner"/>, with the progress activities of a nested piece of work moved under
/// a parent activity: their ids are shifted by <paramref name="idOffset"/>, and those without a parent get
/// <paramref name="parentId"/>. So a trainer's epoch and step bars show below "fold 2 of 5".
/// </summary>
internal sealed class NestedOutputWriter(IOutputWriter inner, int parentId, int idOffset) : IOutputWriter
{
    /// <inheritdoc />
    public void WriteError(RecordError error) => inner.WriteError(error);

    /// <inheritdoc />
    public void WriteWarning(string message) => inner.WriteWarning(message);

    /// <inheritdoc />
    public void WriteVerbose(string message) => inner.WriteVerbose(message);

    /// <inheritdoc />
    public void WriteProgress(ProgressInfo progress) => inner.WriteProgress(progress with
    {
        ActivityId = progress.ActivityId + idOffset,
        ParentActivityId = progress.ParentActivityId < 0 ? parentId : progress.ParentActivityId + idOffset,
    });
}
