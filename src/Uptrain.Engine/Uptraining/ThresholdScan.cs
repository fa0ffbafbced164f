namespace Uptrain.Uptraining;

/// <summary>One held-out score and whether the text's gold agrees with deciding on it (right label, or gold-negative).</summary>
internal readonly record struct ScoredOutcome(double Score, bool Agrees);

/// <summary>A candidate threshold with the texts it decides on the held-out data: <c>Agreeing</c> of <c>Support</c> right.</summary>
internal readonly record struct ThresholdPick(double Value, int Agreeing, int Support)
{
    public double Precision => (double)Agreeing / Support;
}

/// <summary>
/// The scan over the distinct held-out scores that <see cref="ThresholdSearch"/> runs per label: candidates are the
/// scores observed, ties go together (a High at v decides every text scoring at least v, a Low at v every text
/// scoring at most v), and a candidate deciding fewer than the minimum support is not used.
/// </summary>
internal static class ThresholdScan
{
    // A share compared with its target is a ratio of counts; this absorbs the rounding of k/n and of target*n.
    private const double Tolerance = 1e-9;

    /// <summary>The result of a scan: the chosen candidate, if any reached the target, and the best one seen.</summary>
    internal readonly record struct Result(ThresholdPick? Chosen, ThresholdPick? Best);

    /// <summary>
    /// The model's own decision threshold for a multilabel score. A multilabel High is never below it and a Low never
    /// above it: a label the model scores under 0.5 is one it calls absent, and a silver positive there (or a silver
    /// negative above 0.5) would contradict the model, however well the few held-out texts happen to separate.
    /// </summary>
    internal const double DecisionThreshold = 0.5;

    /// <summary>
    /// The lowest High below 1, and at least <paramref name="atLeast"/>, whose texts at or above it agree at
    /// <paramref name="target"/> or better, with at least <paramref name="minSupport"/> of them. A High of exactly 1 is
    /// never chosen: 1 means "accept nothing".
    /// </summary>
    internal static Result High(IReadOnlyList<ScoredOutcome> items, double target, int minSupport, double atLeast = 0)
    {
        var sorted = items.OrderByDescending(i => i.Score).ToList();
        return Scan(sorted, target, minSupport, value => value < 1.0 && value >= atLeast);
    }

    /// <summary>
    /// The highest Low above 0, below <paramref name="below"/> and at most <paramref name="atMost"/> whose texts at or
    /// below it agree (are gold-negative) at <paramref name="target"/> or better, with at least
    /// <paramref name="minSupport"/> of them. A Low of exactly 0 is never chosen: 0 means "skip nothing".
    /// </summary>
    internal static Result Low(IReadOnlyList<ScoredOutcome> items, double target, int minSupport, double below, double atMost = 1)
    {
        var sorted = items.OrderBy(i => i.Score).ToList();
        return Scan(sorted, target, minSupport, value => value > 0.0 && value < below && value <= atMost);
    }

    private static Result Scan(List<ScoredOutcome> sorted, double target, int minSupport, Func<double, bool> usable)
    {
        ThresholdPick? chosen = null, best = null;
        int decided = 0, agreeing = 0, i = 0;
        while (i < sorted.Count)
        {
            var value = sorted[i].Score;
            for (; i < sorted.Count && sorted[i].Score.Equals(value); i++)
            {
                decided++;
                agreeing += sorted[i].Agrees ? 1 : 0;
            }
            if (!usable(value) || decided < minSupport)
            {
                continue;
            }
            var pick = new ThresholdPick(value, agreeing, decided);
            if (best is not { } b || pick.Precision > b.Precision || (pick.Precision == b.Precision && pick.Support > b.Support))
            {
                best = pick;
            }
            if (agreeing >= target * decided - Tolerance)
            {
                chosen = pick; // later candidates decide more texts: the last that reaches the target wins
            }
        }
        return new Result(chosen, best);
    }
}
