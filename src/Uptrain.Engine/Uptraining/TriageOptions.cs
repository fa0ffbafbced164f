namespace Uptrain.Uptraining;

/// <summary>How <see cref="TriageRouter"/> treats multilabel texts that are not simply confident.</summary>
public sealed record TriageOptions
{
    /// <summary>
    /// Accept a text whose decisive labels include a positive one although other labels are uncertain: the
    /// decisive labels become silver, the uncertain ones stay unknown. Off: such texts go to review.
    /// </summary>
    public bool AcceptPartial { get; init; }

    /// <summary>
    /// Accept a text whose decisive labels are all negative as an all-negative example (with
    /// <see cref="AcceptPartial"/>, also when some labels are uncertain). Off: all-negative texts are skipped.
    /// </summary>
    public bool KeepNegatives { get; init; }
}
