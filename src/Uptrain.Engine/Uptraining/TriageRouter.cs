namespace Uptrain.Uptraining;

/// <summary>
/// Routes one scored text by a <see cref="ThresholdSet"/> (the triage rules of docs/data-semantics.md). A High of 1 accepts
/// nothing and a Low of 0 skips nothing, so the thresholds of a label that reached no target never decide.
/// </summary>
public static class TriageRouter
{
    /// <summary>The decision for <paramref name="prediction"/>.</summary>
    public static UptrainDecision Decide(TextcatPrediction prediction, ThresholdSet thresholds, TriageOptions options)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(options);
        return thresholds.Exclusive ? DecideExclusive(prediction, thresholds) : DecideMultilabel(prediction, thresholds, options);
    }

    /// <summary>True when <paramref name="score"/> is decisive for the label: at or above a High below 1.</summary>
    public static bool IsPositive(double score, LabelThreshold threshold) => threshold.High < 1 && score >= threshold.High;

    /// <summary>True when <paramref name="score"/> is decisive against the label: at or below a Low above 0.</summary>
    public static bool IsNegative(double score, LabelThreshold threshold) => threshold.Low > 0 && score <= threshold.Low;

    private static UptrainDecision DecideExclusive(TextcatPrediction prediction, ThresholdSet thresholds)
    {
        var top = prediction.Label;
        var threshold = thresholds.For(top);
        if (threshold is not null && IsPositive(prediction.Confidence, threshold))
        {
            var cats = new LabelValues();
            foreach (var label in prediction.Scores.Keys)
            {
                cats[label] = string.Equals(label, top, StringComparison.Ordinal) ? 1.0 : 0.0;
            }
            return new UptrainDecision(prediction, TriageRoute.Accept, cats, []);
        }
        var route = threshold is not null && IsNegative(prediction.Confidence, threshold) ? TriageRoute.Skip : TriageRoute.Review;
        return new UptrainDecision(prediction, route, new LabelValues(), route == TriageRoute.Review ? [top] : []);
    }

    private static UptrainDecision DecideMultilabel(TextcatPrediction prediction, ThresholdSet thresholds, TriageOptions options)
    {
        var decisive = new LabelValues();
        var uncertain = new List<string>();
        foreach (var (label, score) in prediction.Scores)
        {
            var threshold = thresholds.For(label);
            if (threshold is not null && IsPositive(score, threshold))
            {
                decisive[label] = 1.0;
            }
            else if (threshold is not null && IsNegative(score, threshold))
            {
                decisive[label] = 0.0;
            }
            else
            {
                uncertain.Add(label);
            }
        }
        var anyPositive = decisive.Values.Any(v => v > 0.5);
        if (uncertain.Count == 0)
        {
            var route = anyPositive || options.KeepNegatives ? TriageRoute.Accept : TriageRoute.Skip;
            return new UptrainDecision(prediction, route, route == TriageRoute.Accept ? decisive : new LabelValues(), []);
        }
        var partial = options.AcceptPartial && decisive.Count > 0 && (anyPositive || options.KeepNegatives);
        return partial
            ? new UptrainDecision(prediction, TriageRoute.Accept, decisive, uncertain)
            : new UptrainDecision(prediction, TriageRoute.Review, new LabelValues(), uncertain);
    }
}
