using Uptrain.Diagnostics;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Metrics;

/// <summary>One prediction to compare: the text, its input hash if known, its gold labels and the model's scores.</summary>
public sealed record ComparedItem(string Text, long? InputHash, IReadOnlyDictionary<string, double> Gold, IReadOnlyDictionary<string, double> Scores);

/// <summary>One model's predictions on the held-out examples.</summary>
public sealed record ComparedPredictions(string Model, IReadOnlyList<ComparedItem> Items);

/// <summary>How <see cref="ScoreComparer"/> compares.</summary>
public sealed class ScoreComparerOptions
{
    /// <summary>Default number of bootstrap resamples and of permutations.</summary>
    public const int DefaultResamples = 2000;

    /// <summary>Bootstrap resamples, and permutations of the test (at least 1,000 for a stable 95% interval).</summary>
    public int Resamples { get; init; } = DefaultResamples;

    /// <summary>Seed of the resampling: the same seed gives the same intervals and p-values.</summary>
    public int Seed { get; init; }

    /// <summary>As <see cref="TextcatScorerOptions.Threshold"/>.</summary>
    public double? Threshold { get; init; }

    /// <summary>As <see cref="TextcatScorerOptions.PositiveLabel"/>.</summary>
    public string? PositiveLabel { get; init; }

    /// <summary>As <see cref="TextcatScorerOptions.Exclusive"/>; null: as the reference's predictions say.</summary>
    public bool? Exclusive { get; init; }
}

/// <summary>
/// Compares models on the same held-out examples, paired: a bootstrap that draws examples with replacement and scores
/// every model on the same draw gives the 95% interval of each difference (percentiles 2.5 and 97.5), and a
/// permutation test that swaps the two models' predictions on random examples gives its p-value.
/// </summary>
public static class ScoreComparer
{
    /// <summary>The difference in points (Score × 100) a verdict says more eval texts would resolve.</summary>
    public const double ResolvablePoints = 2.0;

    private const int ProgressActivityId = 1;
    private const int CancelCheckInterval = 64;

    /// <summary>
    /// Compares each of <paramref name="others"/> with <paramref name="reference"/>, in order; every set of predictions
    /// must cover the same examples, matched by input hash when all have one, else by text.
    /// </summary>
    /// <exception cref="UptrainException">
    /// <c>NoExamples</c>: the reference has no prediction with gold labels. <c>ExamplesDiffer</c>: a model's predictions
    /// are not on the same examples as the reference's (the message names one that differs). <c>GoldDiffers</c>: an
    /// example has other gold labels in the two sets. <c>InvalidResamples</c>: fewer than 1,000 resamples.
    /// </exception>
    public static IReadOnlyList<ScoreComparison> Compare(
        ComparedPredictions reference,
        IReadOnlyList<ComparedPredictions> others,
        ScoreComparerOptions? options = null,
        IOutputWriter? writer = null,
        CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(others);
        options ??= new ScoreComparerOptions();
        writer ??= NullOutputWriter.Instance;
        if (options.Resamples < 1000)
        {
            throw new UptrainException("InvalidResamples", ErrorKind.InvalidArgument, Format(Messages.CompareTooFewResamples, options.Resamples), options.Resamples);
        }
        var referenceItems = reference.Items.Select(i => new ScoredItem(i.Gold, i.Scores)).ToList();
        var whole = TextcatScorer.Score(referenceItems, new TextcatScorerOptions { Threshold = options.Threshold, PositiveLabel = options.PositiveLabel, Exclusive = options.Exclusive });
        if (whole.Examples == 0 || referenceItems.All(i => i.Gold.Count == 0))
        {
            throw new UptrainException("NoExamples", ErrorKind.InvalidData, Format(Messages.CompareNoGold, reference.Model));
        }
        var models = new List<IReadOnlyList<ScoredItem>> { referenceItems };
        var labels = whole.PerLabel.Select(l => l.Label).ToList();
        foreach (var other in others)
        {
            var aligned = PredictionPairing.Align(reference, other);
            models.Add(aligned);
            labels.AddRange(aligned.SelectMany(i => i.Predicted.Keys).Distinct().Where(l => !labels.Contains(l)).ToList());
        }
        var scores = new ResampledScores(models, labels, whole.Exclusive, options.Threshold, options.PositiveLabel);
        var metrics = MetricNames(whole);
        var point = Enumerable.Range(0, scores.Models).Select(m => scores.Evaluate(m)).ToArray();
        var boot = Bootstrap(scores, options, writer, cancel);

        var comparisons = new List<ScoreComparison>(others.Count);
        for (var d = 1; d < scores.Models; d++)
        {
            var permuted = Permute(scores, d, options, cancel);
            var compared = new List<MetricComparison>(metrics.Count);
            foreach (var (name, pick) in metrics)
            {
                var observed = pick(point[d]) - pick(point[0]);
                var deltas = boot.Select(b => pick(b[d]) - pick(b[0])).ToArray();
                Array.Sort(deltas);
                var larger = permuted.Count(p => Math.Abs(pick(p.Second) - pick(p.First)) >= Math.Abs(observed) - 1e-12);
                compared.Add(new MetricComparison(
                    name, pick(point[0]), pick(point[d]), Percentile(deltas, 0.025), Percentile(deltas, 0.975), (larger + 1.0) / (permuted.Count + 1.0)));
            }
            var verdict = Verdict(reference.Model, others[d - 1].Model, compared[0], scores.Examples);
            comparisons.Add(new ScoreComparison(reference.Model, others[d - 1].Model, scores.Examples, options.Resamples, options.Seed, compared, verdict));
        }
        return comparisons;
    }

    /// <summary>
    /// The verdict: the better model and its margin with the interval, in points, where the interval leaves 0 out; else
    /// that no difference is detectable, and about how many more examples would narrow the interval to ±2 points.
    /// </summary>
    internal static string Verdict(string reference, string difference, MetricComparison score, int examples)
    {
        double Points(double value) => Math.Round(value * 100.0, 1);
        if (score.CiLow > 0 || score.CiHigh < 0)
        {
            var (winner, sign) = score.CiLow > 0 ? (difference, 1.0) : (reference, -1.0);
            var (low, high) = sign > 0 ? (score.CiLow, score.CiHigh) : (-score.CiHigh, -score.CiLow);
            return Format(Messages.CompareVerdictBetter, winner, Points(sign * score.Delta), Points(low), Points(high), examples);
        }
        if (score.CiLow == 0 && score.CiHigh == 0)
        {
            return Format(Messages.CompareVerdictSame, examples);
        }
        var more = MoreTextsToResolve(examples, (score.CiHigh - score.CiLow) / 2.0 * 100.0);
        return more == 0
            ? Format(Messages.CompareVerdictWithin, examples, Points(score.CiLow), Points(score.CiHigh))
            : Format(Messages.CompareVerdictUnresolved, examples, Points(score.CiLow), Points(score.CiHigh), more, ResolvablePoints);
    }

    /// <summary>
    /// About how many more eval texts than <paramref name="examples"/> would narrow a 95% interval of ±
    /// <paramref name="halfWidthPoints"/> points to ±<see cref="ResolvablePoints"/> (two significant digits, rounded
    /// up); 0 when it is that narrow already. An interval narrows as 1/√n: n (w / 2)² texts give a half-width of 2.
    /// </summary>
    internal static long MoreTextsToResolve(int examples, double halfWidthPoints)
    {
        if (halfWidthPoints <= ResolvablePoints)
        {
            return 0;
        }
        return RoundUp((examples * Math.Pow(halfWidthPoints / ResolvablePoints, 2)) - examples);
    }

    // The Score first; then accuracy, macro F and macro AUC where the task has them and they are not the Score itself.
    private static List<(string Name, Func<MetricValues, double> Pick)> MetricNames(TextcatScore whole)
    {
        var metrics = new List<(string, Func<MetricValues, double>)> { (whole.ScoreDescription, v => v.Score) };
        if (whole.Exclusive)
        {
            metrics.Add((Messages.CompareAccuracy, v => v.Accuracy));
        }
        if (whole.ScoreDescription != TextcatScore.MacroFDescription)
        {
            metrics.Add((TextcatScore.MacroFDescription, v => v.MacroF));
        }
        if (whole.ScoreDescription != TextcatScore.MacroAucDescription)
        {
            metrics.Add((TextcatScore.MacroAucDescription, v => v.MacroAuc));
        }
        return metrics;
    }

    // Per resample, every model's metrics on the same draw of examples.
    private static List<MetricValues[]> Bootstrap(ResampledScores scores, ScoreComparerOptions options, IOutputWriter writer, CancellationToken cancel)
    {
        var random = new Random(options.Seed);
        var n = scores.Examples;
        var weights = new int[n];
        var results = new List<MetricValues[]>(options.Resamples);
        for (var b = 0; b < options.Resamples; b++)
        {
            if (b % CancelCheckInterval == 0)
            {
                cancel.ThrowIfCancellationRequested();
                writer.WriteProgress(new ProgressInfo(ProgressActivityId, Messages.CompareActivity, Format(Messages.CompareStatus, b, options.Resamples), b * 100 / options.Resamples));
            }
            ResampledScores.Draw(random, weights);
            results.Add(Enumerable.Range(0, scores.Models).Select(m => scores.Evaluate(m, weights)).ToArray());
        }
        writer.WriteProgress(new ProgressInfo(ProgressActivityId, Messages.CompareActivity, string.Empty, 100, Completed: true));
        return results;
    }

    // Per permutation, the metrics of the two mixes: each example's prediction from the reference or from model d at random.
    private static List<(MetricValues First, MetricValues Second)> Permute(ResampledScores scores, int d, ScoreComparerOptions options, CancellationToken cancel)
    {
        // Seeded per model compared, the same in every process (HashCode.Combine is not).
        var random = new Random(unchecked((options.Seed * 7919) + d));
        var swap = new bool[scores.Examples];
        var results = new List<(MetricValues, MetricValues)>(options.Resamples);
        for (var p = 0; p < options.Resamples; p++)
        {
            if (p % CancelCheckInterval == 0)
            {
                cancel.ThrowIfCancellationRequested();
            }
            for (var i = 0; i < swap.Length; i++)
            {
                swap[i] = random.Next(2) == 1;
            }
            results.Add((scores.Evaluate(i => swap[i] ? d : 0), scores.Evaluate(i => swap[i] ? 0 : d)));
        }
        return results;
    }

    // The q-quantile of sorted values, interpolating linearly between neighbours.
    internal static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    // A count rounded up to two significant digits, so that an estimate does not look more exact than it is.
    private static long RoundUp(double count)
    {
        if (count <= 10)
        {
            return (long)Math.Ceiling(Math.Max(count, 1));
        }
        var scale = Math.Pow(10, Math.Floor(Math.Log10(count)) - 1);
        return (long)(Math.Ceiling(count / scale) * scale);
    }
}
