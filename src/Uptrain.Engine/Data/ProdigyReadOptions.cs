namespace Uptrain.Data;

/// <summary>How disagreeing answers on one label of one input are resolved when rows are merged.</summary>
public enum ConflictPolicy
{
    /// <summary>The value most rows gave wins; a tie leaves the label unknown and writes a warning.</summary>
    Majority,

    /// <summary>Any disagreement leaves the label unknown and writes a warning.</summary>
    Drop,

    /// <summary>The last row in input order wins.</summary>
    Latest,
}

/// <summary>Whose answers win when rows of the same input come from people and from triage.</summary>
public enum SourcePreference
{
    /// <summary>
    /// On every label that a human row answers (a row whose <c>meta.source</c> is missing or anything but
    /// <c>uptrain</c>), the human rows decide and the silver rows (<c>meta.source</c> <c>uptrain</c>) are set aside.
    /// </summary>
    Human,

    /// <summary>Every row's answer counts alike, whatever its source.</summary>
    None,
}

/// <summary>Settings of <see cref="ProdigyJsonlReader"/>.</summary>
public sealed record ProdigyReadOptions
{
    /// <summary>
    /// The labels to keep, or null to keep every label in the input. Answers on other labels are dropped
    /// (with one verbose message per label). Declared labels join the label set even when no row names
    /// them, so exclusive examples get 0 for them.
    /// </summary>
    public IReadOnlyCollection<string>? Labels { get; init; }

    /// <summary>
    /// True when the categories are mutually exclusive: every example must end up with exactly one
    /// positive label (others are reported as <c>NotExclusive</c> and left out), and gets 0 for every
    /// other label of the label set.
    /// </summary>
    public bool Exclusive { get; init; }

    /// <summary>How disagreeing rows of one input are resolved; <see cref="ConflictPolicy.Majority"/> by default.</summary>
    public ConflictPolicy ConflictPolicy { get; init; } = ConflictPolicy.Majority;

    /// <summary>
    /// Whose answers win when merged rows of one input come from people and from triage (silver rows carry
    /// <c>meta.source</c> <c>uptrain</c>): <see cref="SourcePreference.Human"/> by default, so that gold always beats
    /// silver wherever datasets are merged. Not used with <see cref="NoMerge"/>.
    /// </summary>
    public SourcePreference PreferSource { get; init; } = SourcePreference.Human;

    /// <summary>
    /// True to emit one example per row, as soon as it is read, without merging rows of the same input.
    /// Nothing is held in memory, so files of any size stream through.
    /// </summary>
    public bool NoMerge { get; init; }

    /// <summary>
    /// The text encoding of files, or null (the default) for UTF-8, with UTF-16 and UTF-32 told by a byte order
    /// mark or, for UTF-16 without one, by its zero bytes. A byte order mark wins over a given encoding.
    /// </summary>
    public System.Text.Encoding? Encoding { get; init; }
}
