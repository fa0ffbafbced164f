namespace Uptrain.Metrics;

/// <summary>How <see cref="TextcatScorer"/> scores a set of <see cref="ScoredItem"/>s.</summary>
public sealed class TextcatScorerOptions
{
    /// <summary>Default threshold for multilabel scoring (spaCy <c>score_cats</c>: 0.5 when <c>multi_label</c>).</summary>
    public const double DefaultMultilabelThreshold = 0.5;

    /// <summary>
    /// Default threshold for exclusive scoring (spaCy <c>score_cats</c>: 0.0 otherwise, i.e. whatever scores highest
    /// counts as predicted).
    /// </summary>
    public const double DefaultExclusiveThreshold = 0.0;

    /// <summary>
    /// The labels to score, in report order. Labels found in items but not listed here are ignored (reported in
    /// <see cref="TextcatScore.IgnoredLabels"/>). When null or empty, the labels are those of the items: first the
    /// labels of the predictions in order of first appearance, then the labels found only in gold, in order of first
    /// appearance.
    /// </summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>
    /// Score at or above which a prediction counts as positive, in 0..1. When null:
    /// <see cref="DefaultMultilabelThreshold"/> for multilabel, <see cref="DefaultExclusiveThreshold"/> for exclusive.
    /// </summary>
    public double? Threshold { get; init; }

    /// <summary>
    /// The positive label of a binary exclusive task: with exactly two labels and exclusive classes, the overall score is
    /// this label's F. Must be one of the labels. Null or empty: none.
    /// </summary>
    public string? PositiveLabel { get; init; }

    /// <summary>
    /// True: exactly one label per text (argmax scoring). False: any number of labels per text (per-label threshold
    /// scoring). Null: inferred, exclusive when every item's known gold has exactly one label with value 1 and all
    /// others 0 (with no items: multilabel).
    /// </summary>
    public bool? Exclusive { get; init; }
}
