using System.Globalization;
using Uptrain.Diagnostics;
using Uptrain.Metrics;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Uptraining;

/// <summary>
/// Finds triage thresholds on held-out predictions with gold labels (Find-UptrainThreshold): per label, or one
/// pair for all, the lowest High whose auto-accepted texts reach the target precision with enough support, and for
/// multilabel models the highest Low whose confident negatives reach the negative target. Reports each precision
/// with its one-sided 95% Wilson lower bound and the coverage the thresholds buy, routed by <see cref="TriageRouter"/>.
/// </summary>
/// <remarks>
/// Exclusive models: a text is judged by its top label and top probability; only texts whose gold has exactly one
/// positive label count (the others are left out and counted in the verbose stream); Low is 0 unless given.
/// Multilabel models: per label, only texts whose gold for that label is known count.
/// Where no candidate reaches the target, High is 1 (nothing auto-accepted) and a warning names the label and the
/// best precision reached; where no Low reaches the negative target, Low is 0 (nothing decided negative).
/// </remarks>
public static class ThresholdSearch
{
    /// <summary>The thresholds for <paramref name="predictions"/> (all from one model, some with gold).</summary>
    /// <exception cref="UptrainException">
    /// <c>InvalidTargetPrecision</c>, <c>InvalidMinSupport</c>, <c>InvalidLow</c> for bad options; <c>NoPredictions</c>;
    /// <c>MixedModels</c> when the predictions come from different models; <c>NoGold</c> when none has a gold label.
    /// </exception>
    public static ThresholdSet Find(IReadOnlyList<TextcatPrediction> predictions, ThresholdSearchOptions options, IOutputWriter output)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        Validate(options);
        var model = SingleModel(predictions);
        if (!predictions.Any(p => p.Cats.Count > 0))
        {
            throw new UptrainException("NoGold", ErrorKind.InvalidData, Format(Messages.ThresholdSearchNoGold, predictions.Count));
        }
        var labels = predictions[0].Scores.Keys.ToList();
        WarnUnknownGoldLabels(predictions, labels, output);
        var perLabel = options.PerLabel ?? !model.Exclusive;
        var search = new Search(options, output);
        var pairs = search.Pairs(predictions, labels, model.Exclusive, perLabel);
        var draft = new ThresholdSet(model.Exclusive, pairs);
        int accept = 0, review = 0, skip = 0;
        foreach (var prediction in predictions)
        {
            switch (TriageRouter.Decide(prediction, draft, new TriageOptions()).Route)
            {
                case TriageRoute.Accept: accept++; break;
                case TriageRoute.Review: review++; break;
                default: skip++; break;
            }
        }
        double total = predictions.Count;
        return new ThresholdSet(model.Exclusive, pairs)
        {
            TargetPrecision = options.TargetPrecision,
            TargetNegativePrecision = options.NegativeTarget,
            MinSupport = options.MinSupport,
            Examples = predictions.Count,
            AcceptShare = accept / total,
            ReviewShare = review / total,
            SkipShare = skip / total,
            Model = model.Path ?? model.Name,
        };
    }

    /// <summary>Checks <paramref name="options"/> before any prediction is read.</summary>
    /// <exception cref="UptrainException"><c>InvalidTargetPrecision</c>, <c>InvalidMinSupport</c> or <c>InvalidLow</c>.</exception>
    public static void Validate(ThresholdSearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var target in (ReadOnlySpan<double>)[options.TargetPrecision, options.NegativeTarget])
        {
            if (!(target > 0 && target <= 1))
            {
                throw new UptrainException("InvalidTargetPrecision", ErrorKind.InvalidArgument, Format(Messages.ThresholdSearchInvalidTarget, Show(target)), target);
            }
        }
        if (options.MinSupport < 1)
        {
            throw new UptrainException("InvalidMinSupport", ErrorKind.InvalidArgument, Format(Messages.ThresholdSearchInvalidMinSupport, options.MinSupport), options.MinSupport);
        }
        if (options.Low is { } low && !(low >= 0 && low < 1))
        {
            throw new UptrainException("InvalidLow", ErrorKind.InvalidArgument, Format(Messages.ThresholdSearchInvalidLow, Show(low)), low);
        }
    }

    private static ModelReference SingleModel(IReadOnlyList<TextcatPrediction> predictions)
    {
        if (predictions.Count == 0)
        {
            throw new UptrainException("NoPredictions", ErrorKind.InvalidData, Format(Messages.ThresholdSearchNoPredictions));
        }
        var first = predictions[0].Model;
        foreach (var prediction in predictions)
        {
            var other = prediction.Model;
            if (ReferenceEquals(other.GetCard(), first.GetCard()))
            {
                continue;
            }
            if (!string.Equals(other.Path, first.Path, StringComparison.Ordinal)
                || other.Exclusive != first.Exclusive
                || !other.GetCard().Labels.SequenceEqual(first.GetCard().Labels, StringComparer.Ordinal))
            {
                throw new UptrainException(
                    "MixedModels", ErrorKind.InvalidData, Format(Messages.ThresholdSearchMixedModels, first.Path ?? first.Name, other.Path ?? other.Name), prediction);
            }
        }
        return first;
    }

    /// <summary>Names every gold label that is not one of the model's labels: labels are compared exactly.</summary>
    private static void WarnUnknownGoldLabels(IReadOnlyList<TextcatPrediction> predictions, List<string> labels, IOutputWriter output)
    {
        var known = new HashSet<string>(labels, StringComparer.Ordinal);
        var unknown = predictions.SelectMany(p => p.Cats.Keys).Where(l => !known.Contains(l)).Distinct(StringComparer.Ordinal);
        foreach (var label in unknown)
        {
            var sameButCase = labels.FirstOrDefault(l => string.Equals(l, label, StringComparison.OrdinalIgnoreCase));
            output.WriteWarning(sameButCase is not null
                ? Format(Messages.LabelCaseMismatch, label, sameButCase)
                : Format(Messages.ThresholdSearchUnknownGoldLabel, label, string.Join(", ", labels)));
        }
    }

    internal static string Show(double value) => value.ToString("0.####", CultureInfo.CurrentCulture);

    /// <summary>
    /// The held-out outcomes and the precision/coverage curve each High is chosen on, label by label in
    /// <paramref name="labels"/>' order, or one <see cref="ThresholdSet.SharedLabel"/> entry over all labels' texts:
    /// the curves of <see cref="PrecisionCoverage"/>, which the report draws. Texts left out are counted in the verbose stream.
    /// </summary>
    internal static List<(string Label, List<ScoredOutcome> Outcomes, IReadOnlyList<CurvePoint> Curve)> HighCurves(
        IReadOnlyList<TextcatPrediction> predictions, IReadOnlyList<string> labels, bool exclusive, bool perLabel, IOutputWriter output)
    {
        var outcomes = PrecisionCoverage.HighOutcomes(predictions, labels, exclusive, perLabel);
        if (exclusive)
        {
            var judged = perLabel ? PrecisionCoverage.Outcomes(predictions, label: null, exclusive: true).Count : outcomes[0].Outcomes.Count;
            if (judged < predictions.Count)
            {
                output.WriteVerbose(Format(Messages.ThresholdSearchLeftOutExclusive, predictions.Count - judged, predictions.Count));
            }
        }
        else
        {
            foreach (var label in labels)
            {
                var known = perLabel ? outcomes.First(o => o.Label == label).Outcomes.Count : PrecisionCoverage.Outcomes(predictions, label, exclusive: false).Count;
                if (known < predictions.Count)
                {
                    output.WriteVerbose(Format(Messages.ThresholdSearchLeftOutLabel, predictions.Count - known, label));
                }
            }
        }
        return outcomes.Select(o => (o.Label, o.Outcomes, PrecisionCoverage.Scan(o.Outcomes, fromHighest: true))).ToList();
    }

    /// <summary>The state of one search: its options and where it reports.</summary>
    private sealed class Search(ThresholdSearchOptions options, IOutputWriter output)
    {
        public List<LabelThreshold> Pairs(IReadOnlyList<TextcatPrediction> predictions, List<string> labels, bool exclusive, bool perLabel) =>
            HighCurves(predictions, labels, exclusive, perLabel, output)
                .Select(c => Pair(c.Label, c.Outcomes, c.Curve, exclusive))
                .ToList();

        /// <summary>
        /// The pair of one label from its held-out outcomes and their curve for High; a multilabel Low is chosen on the
        /// same texts, agreeing where gold is negative.
        /// </summary>
        private LabelThreshold Pair(string label, List<ScoredOutcome> forHigh, IReadOnlyList<CurvePoint> highCurve, bool exclusive)
        {
            List<ScoredOutcome> forLow = exclusive ? [] : forHigh.Select(o => o with { Agrees = !o.Agrees }).ToList();
            var high = ThresholdScan.High(highCurve, options.TargetPrecision, options.MinSupport, exclusive ? 0 : ThresholdScan.DecisionThreshold);
            var highValue = high.Chosen?.Threshold ?? 1.0;
            if (high.Chosen is null)
            {
                output.WriteWarning(Format(Messages.ThresholdSearchHighNotReached, label, Show(options.TargetPrecision), options.MinSupport, Best(high.Best, forHigh.Count)));
            }
            double lowValue;
            CurvePoint? lowPick = null;
            if (options.Low is { } given)
            {
                lowValue = Math.Min(given, highValue);
                if (lowValue < given)
                {
                    output.WriteWarning(Format(Messages.ThresholdSearchLowAboveHigh, label, Show(given), Show(highValue)));
                }
                var below = forLow.Where(o => o.Score <= lowValue).ToList();
                lowPick = exclusive || lowValue <= 0 || below.Count == 0 ? null : new CurvePoint(lowValue, below.Count(o => o.Agrees), below.Count, forLow.Count);
            }
            else if (exclusive)
            {
                lowValue = 0;
            }
            else
            {
                var low = ThresholdScan.Low(PrecisionCoverage.Scan(forLow, fromHighest: false), options.NegativeTarget, options.MinSupport, highValue, ThresholdScan.DecisionThreshold);
                lowPick = low.Chosen;
                lowValue = low.Chosen?.Threshold ?? 0.0;
                if (low.Chosen is null)
                {
                    output.WriteWarning(Format(Messages.ThresholdSearchLowNotReached, label, Show(options.NegativeTarget), options.MinSupport, Best(low.Best, forLow.Count)));
                }
            }
            return Describe(label, highValue, lowValue, high.Chosen, lowPick, forHigh);
        }

        private LabelThreshold Describe(string label, double high, double low, CurvePoint? highPick, CurvePoint? lowPick, List<ScoredOutcome> items)
        {
            var probe = new LabelThreshold(label, high, low);
            int accepted = 0, skipped = 0;
            foreach (var item in items)
            {
                if (TriageRouter.IsPositive(item.Score, probe))
                {
                    accepted++;
                }
                else if (TriageRouter.IsNegative(item.Score, probe))
                {
                    skipped++;
                }
            }
            double count = Math.Max(items.Count, 1);
            var result = new LabelThreshold(label, high, low)
            {
                Precision = highPick?.Precision ?? double.NaN,
                PrecisionLowerBound = highPick is { } h ? WilsonBound.Lower(h.Agreeing, h.Decided) : double.NaN,
                Support = highPick?.Decided ?? 0,
                NegativePrecision = lowPick?.Precision ?? double.NaN,
                NegativePrecisionLowerBound = lowPick is { } l ? WilsonBound.Lower(l.Agreeing, l.Decided) : double.NaN,
                NegativeSupport = low > 0 ? items.Count(i => i.Score <= low) : 0,
                Examples = items.Count,
                TargetReached = highPick is not null,
                AcceptShare = accepted / count,
                ReviewShare = items.Count == 0 ? 0 : (items.Count - accepted - skipped) / count,
                SkipShare = skipped / count,
            };
            output.WriteVerbose(Format(
                Messages.ThresholdSearchFound, label, Show(high), Show(low), Show(result.Precision), Show(result.PrecisionLowerBound), result.Support, items.Count));
            return result;
        }

        private static string Best(CurvePoint? best, int known) => best is { } b
            ? Format(Messages.ThresholdSearchBest, Show(b.Precision), b.Agreeing, b.Decided, Show(b.Threshold))
            : Format(Messages.ThresholdSearchNoCandidate, known);
    }
}
