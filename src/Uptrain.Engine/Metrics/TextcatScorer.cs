namespace Uptrain.Metrics;

/// <summary>
/// Scores text classification the way spaCy v3's <c>Scorer.score_cats</c> does: per-label P/R/F and ROC AUC, micro
/// and macro totals, and one overall score.
/// </summary>
public static class TextcatScorer
{
    /// <summary>
    /// Scores <paramref name="items"/>, reading them once. With no items the result has <see cref="TextcatScore.Examples"/>
    /// 0, no labels (unless given) and every score 0.
    /// </summary>
    /// <param name="items">The scored texts.</param>
    /// <param name="options">Labels, threshold, positive label and exclusivity; null for all defaults.</param>
    /// <exception cref="Diagnostics.UptrainException">
    /// <c>InvalidThreshold</c> (InvalidArgument): the threshold is not in 0..1. <c>UnknownPositiveLabel</c>
    /// (InvalidArgument): the positive label is not among the labels. <c>InvalidScore</c>, <c>InvalidLabelValue</c>
    /// (InvalidData): an item's score or gold value is outside 0..1 (see <see cref="TextcatScoreAccumulator.Add"/>).
    /// </exception>
    public static TextcatScore Score(IEnumerable<ScoredItem> items, TextcatScorerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        var accumulator = new TextcatScoreAccumulator(options);
        foreach (var item in items)
        {
            accumulator.Add(item);
        }
        return accumulator.Finish();
    }
}
