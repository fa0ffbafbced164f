namespace Uptrain.Metrics;

/// <summary>One held-out score and whether the text's gold agrees with deciding on it (right label, or gold-negative).</summary>
internal readonly record struct ScoredOutcome(double Score, bool Agrees);

/// <summary>One point of a precision/coverage curve: deciding every text at <see cref="Threshold"/> and beyond.</summary>
/// <param name="Threshold">The score at or above which texts are decided (at or below, for a scan from the lowest score).</param>
/// <param name="Agreeing">How many of the decided texts the gold agrees with.</param>
/// <param name="Decided">How many texts are decided.</param>
/// <param name="Total">How many texts the curve is over.</param>
public readonly record struct CurvePoint(double Threshold, int Agreeing, int Decided, int Total)
{
    /// <summary>The share of the decided texts whose gold agrees.</summary>
    public double Precision => (double)Agreeing / Decided;

    /// <summary>The decided texts as a share of all the curve's texts (for a High, the label's accept share).</summary>
    public double Coverage => (double)Decided / Total;
}

/// <summary>
/// The precision and coverage that every candidate threshold buys on held-out predictions with gold, the one scan
/// that Find-UptrainThreshold chooses its thresholds on and the report draws. Texts are judged per label: exclusive
/// models by their top label and top probability, over the texts whose gold has exactly one positive label;
/// multilabel models by the label's score, over the texts whose gold for it is known.
/// </summary>
public static class PrecisionCoverage
{
    /// <summary>The curve of each of the model's labels (in its order) over deciding at each High; a label without held-out texts has none.</summary>
    public static IReadOnlyList<(string Label, IReadOnlyList<CurvePoint> Points)> Curves(IReadOnlyList<TextcatPrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        if (predictions.Count == 0)
        {
            return [];
        }
        return HighOutcomes(predictions, [.. predictions[0].Scores.Keys], predictions[0].Model.Exclusive, perLabel: true)
            .Select(o => (o.Label, Scan(o.Outcomes, fromHighest: true)))
            .ToList();
    }

    /// <summary>
    /// The held-out outcomes a High is chosen on, per label or (<paramref name="perLabel"/> false) pooled under
    /// <see cref="ThresholdSet.SharedLabel"/>: exclusive, the texts of any top label; multilabel, every label's outcomes.
    /// </summary>
    internal static List<(string Label, List<ScoredOutcome> Outcomes)> HighOutcomes(IReadOnlyList<TextcatPrediction> predictions, IReadOnlyList<string> labels, bool exclusive, bool perLabel)
    {
        if (perLabel)
        {
            return labels.Select(label => (label, Outcomes(predictions, label, exclusive))).ToList();
        }
        var pooled = exclusive ? Outcomes(predictions, label: null, exclusive: true) : labels.SelectMany(label => Outcomes(predictions, label, exclusive: false)).ToList();
        return [(ThresholdSet.SharedLabel, pooled)];
    }

    /// <summary>
    /// The held-out outcomes of deciding on <paramref name="label"/>. Exclusive: the texts whose gold has exactly one
    /// positive label and whose top label is <paramref name="label"/> (null: any), scored by their top probability and
    /// agreeing where the gold label is the top one. Multilabel: the texts whose gold for the label is known, scored by
    /// its score and agreeing where the gold is positive.
    /// </summary>
    internal static List<ScoredOutcome> Outcomes(IReadOnlyList<TextcatPrediction> predictions, string? label, bool exclusive)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var outcomes = new List<ScoredOutcome>();
        foreach (var prediction in predictions)
        {
            if (exclusive)
            {
                // Gold with exactly one positive label is the only gold that says what the top label should be.
                var gold = prediction.Cats.Where(c => c.Value > 0.5).Select(c => c.Key).ToList();
                if (gold.Count == 1 && (label is null || string.Equals(prediction.Label, label, StringComparison.Ordinal)))
                {
                    outcomes.Add(new ScoredOutcome(prediction.Confidence, gold[0] == prediction.Label));
                }
            }
            else if (label is not null && prediction.Cats.TryGetValue(label, out var gold) && prediction.Scores.TryGetValue(label, out var score))
            {
                outcomes.Add(new ScoredOutcome(score, gold > 0.5));
            }
        }
        return outcomes;
    }

    /// <summary>
    /// The curve over <paramref name="outcomes"/>: one point per distinct score, ties together. From the highest score
    /// a point at v decides every text scoring at least v (a High); from the lowest, every text scoring at most v (a Low).
    /// </summary>
    internal static IReadOnlyList<CurvePoint> Scan(IReadOnlyList<ScoredOutcome> outcomes, bool fromHighest)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var sorted = fromHighest ? outcomes.OrderByDescending(o => o.Score).ToList() : outcomes.OrderBy(o => o.Score).ToList();
        var points = new List<CurvePoint>();
        int decided = 0, agreeing = 0, i = 0;
        while (i < sorted.Count)
        {
            var value = sorted[i].Score;
            for (; i < sorted.Count && sorted[i].Score.Equals(value); i++)
            {
                decided++;
                agreeing += sorted[i].Agrees ? 1 : 0;
            }
            points.Add(new CurvePoint(value, agreeing, decided, sorted.Count));
        }
        return points;
    }
}
