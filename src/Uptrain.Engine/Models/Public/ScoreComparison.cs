using System.Globalization;

namespace Uptrain;

/// <summary>
/// Two models' predictions on the same held-out examples, compared: the difference in their Score with a paired
/// bootstrap 95% interval and a paired permutation p-value, the same for accuracy, macro F and macro AUC where the task
/// has them, and a verdict in words. Compare-TextcatScore emits one per model compared with the reference.
/// </summary>
public sealed class ScoreComparison
{
    internal ScoreComparison(
        string reference, string difference, int examples, int resamples, int seed, IReadOnlyList<MetricComparison> metrics, string verdict)
    {
        Reference = reference;
        Difference = difference;
        Examples = examples;
        Resamples = resamples;
        Seed = seed;
        Metrics = metrics;
        Verdict = verdict;
    }

    /// <summary>The reference model's name.</summary>
    public string Reference { get; }

    /// <summary>The name of the model compared with the reference.</summary>
    public string Difference { get; }

    /// <summary>What the Score is: <c>macro F</c>, <c>F (label)</c> or <c>macro AUC</c>.</summary>
    public string Metric => Metrics[0].Metric;

    /// <summary>The reference model's Score on the examples.</summary>
    public double ReferenceScore => Metrics[0].Reference;

    /// <summary>The difference model's Score on the examples.</summary>
    public double DifferenceScore => Metrics[0].Difference;

    /// <summary>The difference model's Score minus the reference's (positive: the difference model is better).</summary>
    public double Delta => Metrics[0].Delta;

    /// <summary>The lower end of the paired bootstrap 95% interval of <see cref="Delta"/>.</summary>
    public double CiLow => Metrics[0].CiLow;

    /// <summary>The upper end of the paired bootstrap 95% interval of <see cref="Delta"/>.</summary>
    public double CiHigh => Metrics[0].CiHigh;

    /// <summary>
    /// The paired permutation test's two-sided p-value of <see cref="Delta"/>: how often swapping the two models'
    /// predictions on random examples gives a difference at least as large.
    /// </summary>
    public double PValue => Metrics[0].PValue;

    /// <summary>The number of examples both models scored.</summary>
    public int Examples { get; }

    /// <summary>The number of bootstrap resamples and of permutations.</summary>
    public int Resamples { get; }

    /// <summary>The seed of the resampling.</summary>
    public int Seed { get; }

    /// <summary>The Score first, then accuracy (exclusive tasks), macro F and macro AUC, each compared in the same way.</summary>
    public IReadOnlyList<MetricComparison> Metrics { get; }

    /// <summary>
    /// The comparison in one sentence: which model is better and by how many points (Score × 100), or that no difference
    /// is detectable with this many examples and about how many more would resolve 2 points.
    /// </summary>
    public string Verdict { get; }

    /// <inheritdoc />
    public override string ToString() => Verdict;
}

/// <summary>One metric of a <see cref="ScoreComparison"/>.</summary>
public sealed class MetricComparison
{
    internal MetricComparison(string metric, double reference, double difference, double ciLow, double ciHigh, double pValue)
    {
        Metric = metric;
        Reference = reference;
        Difference = difference;
        CiLow = ciLow;
        CiHigh = ciHigh;
        PValue = pValue;
    }

    /// <summary>The metric: the Score's description, <c>accuracy</c>, <c>macro F</c> or <c>macro AUC</c>.</summary>
    public string Metric { get; }

    /// <summary>The reference model's value.</summary>
    public double Reference { get; }

    /// <summary>The difference model's value.</summary>
    public double Difference { get; }

    /// <summary>Difference minus reference.</summary>
    public double Delta => Difference - Reference;

    /// <summary>The lower end of the paired bootstrap 95% interval of <see cref="Delta"/>.</summary>
    public double CiLow { get; }

    /// <summary>The upper end of the paired bootstrap 95% interval of <see cref="Delta"/>.</summary>
    public double CiHigh { get; }

    /// <summary>The paired permutation test's two-sided p-value.</summary>
    public double PValue { get; }

    /// <inheritdoc />
    public override string ToString() => string.Format(
        CultureInfo.CurrentCulture, "{0}: {1:+0.000;-0.000;0.000} [{2:0.000}, {3:0.000}], p {4:0.000}", Metric, Delta, CiLow, CiHigh, PValue);
}
