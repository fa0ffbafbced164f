namespace Uptrain;

/// <summary>What one review session did: answers by kind, what was left, and the pace. Emitted by Invoke-TextcatReview.</summary>
public sealed class ReviewSummary
{
    /// <summary>The answers file.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Tasks accepted in this session (after undo).</summary>
    public int Accepted { get; init; }

    /// <summary>Tasks rejected in this session (after undo).</summary>
    public int Rejected { get; init; }

    /// <summary>Tasks skipped (answer ignore) in this session (after undo).</summary>
    public int Ignored { get; init; }

    /// <summary>Answers withdrawn with undo.</summary>
    public int Undone { get; init; }

    /// <summary>Tasks left out because the answers file already held an answer for their input.</summary>
    public int AlreadyAnswered { get; init; }

    /// <summary>Tasks still without an answer (the session was quit before the end).</summary>
    public int Remaining { get; init; }

    /// <summary>Distinct tasks in the input.</summary>
    public int Total { get; init; }

    /// <summary>How long the session ran.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Answers given in this session.</summary>
    public int Answered => Accepted + Rejected + Ignored;

    /// <summary>Answers per minute of the session, or 0 before a first answer.</summary>
    public double AnswersPerMinute => Answered == 0 || Duration <= TimeSpan.Zero ? 0 : Answered / Duration.TotalMinutes;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Answered} answered ({Accepted} accept, {Rejected} reject, {Ignored} ignore), {Remaining} remaining: {OutputPath}";
}
