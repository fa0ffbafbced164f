namespace Uptrain;

/// <summary>
/// One point of a training curve: models trained on a fraction of the gold with several seeds, scored on one fixed eval
/// set; the mean Score with a 95% interval, and the gain over the previous point with its interval.
/// </summary>
public sealed class TrainingCurvePoint
{
    internal TrainingCurvePoint(
        string kind, double fraction, int examples, string metric, IReadOnlyList<double> scores, double score, double ciLow, double ciHigh,
        double? gain, double? gainCiLow, double? gainCiHigh, int evalExamples)
    {
        Kind = kind;
        Fraction = fraction;
        Examples = examples;
        Metric = metric;
        Scores = scores;
        Score = score;
        CiLow = ciLow;
        CiHigh = ciHigh;
        Gain = gain;
        GainCiLow = gainCiLow;
        GainCiHigh = gainCiHigh;
        EvalExamples = evalExamples;
    }

    /// <summary>The kind of model trained: teacher or student.</summary>
    public string Kind { get; }

    /// <summary>The share of the gold the models trained on, 0..1.</summary>
    public double Fraction { get; }

    /// <summary>The number of gold examples the models trained on.</summary>
    public int Examples { get; }

    /// <summary>What the Score is: <c>macro F</c>, <c>F (label)</c> or <c>macro AUC</c>.</summary>
    public string Metric { get; }

    /// <summary>The Score of each seed's model on the eval set, in seed order.</summary>
    public IReadOnlyList<double> Scores { get; }

    /// <summary>The mean Score over the seeds.</summary>
    public double Score { get; }

    /// <summary>The lower end of the 95% interval of <see cref="Score"/> (a bootstrap over the eval texts of the seeds' mean).</summary>
    public double CiLow { get; }

    /// <summary>The upper end of the 95% interval of <see cref="Score"/>.</summary>
    public double CiHigh { get; }

    /// <summary>The mean Score minus the previous point's (null at the first point): what the extra labels bought.</summary>
    public double? Gain { get; }

    /// <summary>The lower end of the paired 95% interval of <see cref="Gain"/> (the same eval texts drawn for both points).</summary>
    public double? GainCiLow { get; }

    /// <summary>The upper end of the paired 95% interval of <see cref="Gain"/>.</summary>
    public double? GainCiHigh { get; }

    /// <summary>The number of eval texts every model was scored on.</summary>
    public int EvalExamples { get; }

    /// <inheritdoc />
    public override string ToString() => string.Format(
        System.Globalization.CultureInfo.CurrentCulture, "{0:P0} ({1} examples): {2:0.000} [{3:0.000}, {4:0.000}]", Fraction, Examples, Score, CiLow, CiHigh);
}
