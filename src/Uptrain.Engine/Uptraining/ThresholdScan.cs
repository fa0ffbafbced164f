using Uptrain.Metrics;

namespace Uptrain.Uptraining;

/// <summary>
/// The choice that <see cref="ThresholdSearch"/> makes per label among the points of a held-out precision/coverage
/// curve (<see cref="PrecisionCoverage.Scan"/>): candidates are the scores observed, ties together (a High at v decides
/// every text scoring at least v, a Low at v every text scoring at most v), and a candidate deciding fewer than the
/// minimum support is not used.
/// </summary>
internal static class ThresholdScan
{
    // A share compared with its target is a ratio of counts; this absorbs the rounding of k/n and of target*n.
    private const double Tolerance = 1e-9;

    /// <summary>The result of a scan: the chosen candidate, if any reached the target, and the best one seen.</summary>
    internal readonly record struct Result(CurvePoint? Chosen, CurvePoint? Best);

    /// <summary>
    /// The model's own decision threshold for a multilabel score. A multilabel High is never below it and a Low never
    /// above it: a label the model scores under 0.5 is one it calls absent, and a silver positive there (or a silver
    /// negative above 0.5) would contradict the model, however well the few held-out texts happen to separate.
    /// </summary>
    internal const double DecisionThreshold = 0.5;

    /// <summary>
    /// Of the points of <paramref name="curve"/> (the scan from the highest score), the lowest High below 1, and at
    /// least <paramref name="atLeast"/>, whose texts at or above it agree at <paramref name="target"/> or better, with
    /// at least <paramref name="minSupport"/> of them. A High of exactly 1 is never chosen: 1 means "accept nothing".
    /// </summary>
    internal static Result High(IReadOnlyList<CurvePoint> curve, double target, int minSupport, double atLeast = 0) =>
        Choose(curve, target, minSupport, value => value < 1.0 && value >= atLeast);

    /// <summary>
    /// Of the points of <paramref name="curve"/> (the scan from the lowest score, agreeing where gold is negative), the
    /// highest Low above 0, below <paramref name="below"/> and at most <paramref name="atMost"/> whose texts at or
    /// below it agree (are gold-negative) at <paramref name="target"/> or better, with at least
    /// <paramref name="minSupport"/> of them. A Low of exactly 0 is never chosen: 0 means "skip nothing".
    /// </summary>
    internal static Result Low(IReadOnlyList<CurvePoint> curve, double target, int minSupport, double below, double atMost = 1) =>
        Choose(curve, target, minSupport, value => value > 0.0 && value < below && value <= atMost);

    private static Result Choose(IReadOnlyList<CurvePoint> curve, double target, int minSupport, Func<double, bool> usable)
    {
        CurvePoint? chosen = null, best = null;
        foreach (var point in curve)
        {
            if (!usable(point.Threshold) || point.Decided < minSupport)
            {
                continue;
            }
            if (best is not { } b || point.Precision > b.Precision || (point.Precision == b.Precision && point.Decided > b.Decided))
            {
                best = point;
            }
            if (point.Agreeing >= target * point.Decided - Tolerance)
            {
                chosen = point; // later candidates decide more texts: the last that reaches the target wins
            }
        }
        return new Result(chosen, best);
    }
}
