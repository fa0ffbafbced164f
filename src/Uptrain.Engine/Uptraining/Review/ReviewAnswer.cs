namespace Uptrain.Uptraining.Review;

/// <summary>A reviewer's answer to a task, as Prodigy names them.</summary>
public enum ReviewAnswer
{
    /// <summary>The chosen labels apply (and, for a choice task, the other options do not).</summary>
    Accept,

    /// <summary>The chosen labels do not apply; nothing is said about the others.</summary>
    Reject,

    /// <summary>Skipped: the task is answered (not shown again) but teaches nothing.</summary>
    Ignore,
}
