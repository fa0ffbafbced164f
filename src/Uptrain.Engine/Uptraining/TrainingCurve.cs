using System.Globalization;
using Uptrain.Diagnostics;
using Uptrain.Metrics;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Uptraining;

/// <summary>How <see cref="TrainingCurve"/> measures.</summary>
public sealed class TrainingCurveOptions
{
    /// <summary>The default fractions of the gold: 25, 50, 75 and 100%.</summary>
    public static readonly IReadOnlyList<double> DefaultFractions = [0.25, 0.5, 0.75, 1.0];

    /// <summary>The default number of seeds per fraction.</summary>
    public const int DefaultSeeds = 3;

    /// <summary>The fractions of the gold, each in (0, 1], in increasing order.</summary>
    public IReadOnlyList<double> Fractions { get; init; } = DefaultFractions;

    /// <summary>Models per fraction, each with its own seed and its own stratified order of the gold.</summary>
    public int Seeds { get; init; } = DefaultSeeds;

    /// <summary>The first seed; the others follow it (Seed, Seed + 1, ...).</summary>
    public int Seed { get; init; }

    /// <summary>Bootstrap resamples of the eval texts for the intervals.</summary>
    public int Resamples { get; init; } = ScoreComparerOptions.DefaultResamples;
}

/// <summary>The points of a training curve, and whether a stop ended it early.</summary>
/// <param name="Points">One point per fraction whose models all finished.</param>
/// <param name="Stopped">True when a stop (Ctrl+C) came before the last fraction finished.</param>
public sealed record TrainingCurveResult(IReadOnlyList<TrainingCurvePoint> Points, bool Stopped);

/// <summary>
/// Prodigy's train-curve with error bars: models of one kind trained on nested, stratified fractions of the gold (for
/// each seed, prefixes of one <see cref="StratifiedOrder"/>), all scored on the same eval set; each point the mean over
/// the seeds with a bootstrap interval over the eval texts, and the gain of each step with a paired interval.
/// </summary>
public static class TrainingCurve
{
    /// <summary>The progress activity of the runs; a trainer's own activities show below it.</summary>
    public const int CurveActivityId = 20;

    /// <summary>Trains and scores every fraction and seed, fraction by fraction.</summary>
    /// <exception cref="UptrainException"><c>InvalidFraction</c>, <c>NoExamples</c> (no gold or no eval data), and those of the kind's trainer.</exception>
    public static TrainingCurveResult Measure(
        IReadOnlyList<TextcatExample> gold,
        IReadOnlyList<TextcatExample> eval,
        ModelRecipe recipe,
        TrainingCurveOptions options,
        IOutputWriter output,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(eval);
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        Check(gold, eval, options);
        var orders = Enumerable.Range(0, options.Seeds).Select(s => StratifiedOrder.Of(gold, options.Seed + s)).ToList();
        var runs = options.Fractions.Count * options.Seeds;
        var scored = new List<List<TextcatPrediction>>();
        var stopped = false;
        try
        {
            foreach (var fraction in options.Fractions)
            {
                var count = ExamplesOf(fraction, gold.Count);
                var models = new List<List<TextcatPrediction>>();
                for (var s = 0; s < options.Seeds && !stopped; s++)
                {
                    var run = scored.Count + models.Count;
                    output.WriteProgress(new ProgressInfo(CurveActivityId, Format(Messages.CurveActivity, recipe.Kind),
                        Format(Messages.CurveStatus, fraction, count, options.Seed + s, run + 1, runs), run * 100 / runs));
                    var train = orders[s].Take(count).Select(i => gold[i]).ToList();
                    var predictions = recipe.TrainAndScore(
                        train, eval, options.Seed + s, eval, ModelKinds.Name(recipe.Kind), output, CurveActivityId, cancellationToken);
                    if (predictions is null)
                    {
                        stopped = true;
                        break;
                    }
                    models.Add(predictions);
                }
                if (stopped)
                {
                    break;
                }
                scored.AddRange(models);
                output.WriteVerbose(Format(Messages.CurveFractionDone, fraction, count, options.Seeds));
            }
        }
        finally
        {
            output.WriteProgress(new ProgressInfo(CurveActivityId, Format(Messages.CurveActivity, recipe.Kind), string.Empty, 100, Completed: true));
        }
        var done = scored.Count / options.Seeds;
        var points = done == 0 ? [] : Points(gold.Count, options, scored, done, recipe.Kind);
        return new TrainingCurveResult(points, stopped);
    }

    /// <summary>
    /// A warning when the eval set cannot tell whether the last step helped (its interval holds 0 and is wider than
    /// ±1 point), with about how many more eval texts would resolve 2 points where it takes more; null otherwise.
    /// </summary>
    public static string? SmallEvalWarning(IReadOnlyList<TrainingCurvePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 2 || points[^1] is not { Gain: { } gain, GainCiLow: { } low, GainCiHigh: { } high } last || low > 0 || high < 0)
        {
            return null;
        }
        var halfWidth = (high - low) / 2 * 100;
        if (halfWidth <= 1)
        {
            return null;
        }
        var warning = Format(Messages.CurveSmallEval, last.EvalExamples, points[^2].Fraction, last.Fraction, gain * 100, low * 100, high * 100);
        var more = ScoreComparer.MoreTextsToResolve(last.EvalExamples, halfWidth);
        return more == 0 ? warning : warning + Format(Messages.CurveMoreTexts, more, ScoreComparer.ResolvablePoints);
    }

    // The examples a fraction of the gold trains on: the nearest whole number, at least one.
    private static int ExamplesOf(double fraction, int goldCount) =>
        Math.Max(1, (int)Math.Round(fraction * goldCount, MidpointRounding.AwayFromZero));

    private static void Check(IReadOnlyList<TextcatExample> gold, IReadOnlyList<TextcatExample> eval, TrainingCurveOptions options)
    {
        if (gold.Count == 0 || eval.Count == 0)
        {
            throw new UptrainException("NoExamples", ErrorKind.InvalidData, Format(Messages.CurveNoExamples, gold.Count, eval.Count));
        }
        var previous = 0.0;
        foreach (var fraction in options.Fractions)
        {
            if (!(fraction > previous && fraction <= 1.0))
            {
                throw new UptrainException("InvalidFraction", ErrorKind.InvalidArgument,
                    Format(Messages.CurveInvalidFraction, string.Join(", ", options.Fractions.Select(f => f.ToString(CultureInfo.InvariantCulture)))), fraction);
            }
            previous = fraction;
        }
        if (options.Fractions.Count == 0 || options.Seeds < 1)
        {
            throw new UptrainException("InvalidFraction", ErrorKind.InvalidArgument, Format(Messages.CurveInvalidFraction, string.Empty), options.Seeds);
        }
    }

    // The points of the finished fractions: every model's scores on the same bootstrap draws of the eval texts.
    private static List<TrainingCurvePoint> Points(int goldCount, TrainingCurveOptions options, List<List<TextcatPrediction>> scored, int done, ModelKind kind)
    {
        var items = scored.Select(p => (IReadOnlyList<ScoredItem>)p.Select(x => new ScoredItem(x.Cats, x.Scores)).ToList()).ToList();
        var whole = TextcatScorer.Score(items[0]);
        var resampled = new ResampledScores(items, whole.PerLabel.Select(l => l.Label).ToList(), whole.Exclusive, null, null);
        double Mean(int fraction, int[]? weights) =>
            Enumerable.Range(fraction * options.Seeds, options.Seeds).Average(m => resampled.Evaluate(m, weights).Score);

        var random = new Random(options.Seed);
        var n = resampled.Examples;
        var means = new double[done][];
        for (var f = 0; f < done; f++)
        {
            means[f] = new double[options.Resamples];
        }
        var weights = new int[n];
        for (var b = 0; b < options.Resamples; b++)
        {
            ResampledScores.Draw(random, weights);
            for (var f = 0; f < done; f++)
            {
                means[f][b] = Mean(f, weights);
            }
        }

        var points = new List<TrainingCurvePoint>(done);
        for (var f = 0; f < done; f++)
        {
            var scores = Enumerable.Range(f * options.Seeds, options.Seeds).Select(m => resampled.Evaluate(m).Score).ToList();
            var sorted = means[f].Order().ToArray();
            double? gain = null, gainLow = null, gainHigh = null;
            if (f > 0)
            {
                gain = scores.Average() - points[f - 1].Score;
                var gains = means[f].Zip(means[f - 1], (a, b) => a - b).Order().ToArray();
                (gainLow, gainHigh) = (ScoreComparer.Percentile(gains, 0.025), ScoreComparer.Percentile(gains, 0.975));
            }
            var fraction = options.Fractions[f];
            points.Add(new TrainingCurvePoint(
                ModelKinds.Name(kind), fraction, ExamplesOf(fraction, goldCount), whole.ScoreDescription, scores, scores.Average(),
                ScoreComparer.Percentile(sorted, 0.025), ScoreComparer.Percentile(sorted, 0.975), gain, gainLow, gainHigh, n));
        }
        return points;
    }
}
