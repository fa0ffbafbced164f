namespace Uptrain.Diagnostics;

/// <summary>One progress update. Ids let a host nest activities (epoch as parent, batch as child).</summary>
/// <param name="ActivityId">Stable id of this activity.</param>
/// <param name="Activity">What is being done.</param>
/// <param name="Status">Current detail (counts, loss, speed).</param>
/// <param name="PercentComplete">0..100, or -1 when unknown.</param>
/// <param name="SecondsRemaining">Estimate, or -1 when unknown.</param>
/// <param name="ParentActivityId">The enclosing activity, or -1.</param>
/// <param name="Completed">True to close the activity.</param>
public sealed record ProgressInfo(
    int ActivityId,
    string Activity,
    string Status,
    int PercentComplete = -1,
    int SecondsRemaining = -1,
    int ParentActivityId = -1,
    bool Completed = false);
