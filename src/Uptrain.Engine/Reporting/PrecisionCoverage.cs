namespace Uptrain.Reporting;

/// <summary>One point of a precision/coverage curve: deciding at <see cref="Threshold"/> and above.</summary>
/// <param name="Threshold">The score at or above which texts are auto-accepted for the label.</param>
/// <param name="Precision">The share of those texts whose gold agrees.</param>
/// <param name="Coverage">Those texts as a share of all the label's held-out texts (the label's accept share).</param>
public readonly record struct CurvePoint(double Threshold, double Precision, double Coverage);

/// <summary>
/// The precision and coverage that every candidate High buys on held-out predictions with gold, per label, judged
/// as Find-UptrainThreshold judges them: exclusive models by their top label and top probability, over the texts
/// whose gold has exactly one positive label; multilabel models per label, over the texts whose gold for it is known.
/// </summary>
public static class PrecisionCoverage
{
    /// <summary>Curves are thinned to about this many points (a plotted staircase needs no more).</summary>
    public const int MaxPoints = 400;

    /// <summary>The curve of each of the model's labels (in its order); a label without held-out texts has none.</summary>
    public static IReadOnlyList<(string Label, IReadOnlyList<CurvePoint> Points)> Curves(IReadOnlyList<TextcatPrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        if (predictions.Count == 0)
        {
            return [];
        }
        var exclusive = predictions[0].Model.Exclusive;
        var labels = predictions[0].Scores.Keys.ToList();
        return labels.Select(label => (label, Curve(Outcomes(predictions, label, exclusive)))).ToList();
    }

    /// <summary>The curve over (score, agrees) outcomes: one point per distinct score, highest first.</summary>
    internal static IReadOnlyList<CurvePoint> Curve(IReadOnlyList<(double Score, bool Agrees)> outcomes)
    {
        var sorted = outcomes.OrderByDescending(o => o.Score).ToList();
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
            points.Add(new CurvePoint(value, (double)agreeing / decided, (double)decided / sorted.Count));
        }
        return Thin(points);
    }

    private static List<(double Score, bool Agrees)> Outcomes(IReadOnlyList<TextcatPrediction> predictions, string label, bool exclusive)
    {
        var outcomes = new List<(double, bool)>();
        foreach (var prediction in predictions)
        {
            if (exclusive)
            {
                var gold = prediction.Cats.Where(c => c.Value > 0.5).Select(c => c.Key).ToList();
                if (gold.Count == 1 && string.Equals(prediction.Label, label, StringComparison.Ordinal))
                {
                    outcomes.Add((prediction.Confidence, gold[0] == label));
                }
            }
            else if (prediction.Cats.TryGetValue(label, out var gold) && prediction.Scores.TryGetValue(label, out var score))
            {
                outcomes.Add((score, gold > 0.5));
            }
        }
        return outcomes;
    }

    // Keeps the first and the last point and evenly spaced ones between.
    private static IReadOnlyList<CurvePoint> Thin(List<CurvePoint> points)
    {
        if (points.Count <= MaxPoints)
        {
            return points;
        }
        var step = (double)(points.Count - 1) / (MaxPoints - 1);
        return Enumerable.Range(0, MaxPoints).Select(k => points[(int)Math.Round(k * step)]).ToList();
    }
}
