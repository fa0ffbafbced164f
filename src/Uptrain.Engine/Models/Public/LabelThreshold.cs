namespace Uptrain;

/// <summary>
/// The thresholds of one label (or of all labels, for one shared pair) in a <see cref="ThresholdSet"/>,
/// with what they bought on the held-out data they were found on.
/// </summary>
public sealed class LabelThreshold
{
    /// <summary>Creates the thresholds of <paramref name="label"/>.</summary>
    public LabelThreshold(string label, double high, double low)
    {
        ArgumentNullException.ThrowIfNull(label);
        Label = label;
        High = high;
        Low = low;
    }

    /// <summary>The label; <c>*</c> for one pair shared by all labels.</summary>
    public string Label { get; }

    /// <summary>A score at or above this is decisive for the label (accepted); 1 accepts nothing.</summary>
    public double High { get; }

    /// <summary>A score at or below this is decisive against the label (skipped or a known negative); 0 skips nothing.</summary>
    public double Low { get; }

    /// <summary>Share of the held-out texts at or above <see cref="High"/> whose gold agrees (NaN where none are).</summary>
    public double Precision { get; init; } = double.NaN;

    /// <summary>One-sided 95% Wilson lower confidence bound of <see cref="Precision"/> (NaN where none are).</summary>
    public double PrecisionLowerBound { get; init; } = double.NaN;

    /// <summary>Share of the held-out texts at or below <see cref="Low"/> that are gold-negative (NaN where none are).</summary>
    public double NegativePrecision { get; init; } = double.NaN;

    /// <summary>One-sided 95% Wilson lower confidence bound of <see cref="NegativePrecision"/> (NaN where none are).</summary>
    public double NegativePrecisionLowerBound { get; init; } = double.NaN;

    /// <summary>Held-out texts with known gold at or above <see cref="High"/>.</summary>
    public int Support { get; init; }

    /// <summary>Held-out texts with known gold at or below <see cref="Low"/>.</summary>
    public int NegativeSupport { get; init; }

    /// <summary>Held-out texts with known gold for this label.</summary>
    public int Examples { get; init; }

    /// <summary>True when some candidate reached the target precision (else High is 1 and nothing is accepted).</summary>
    public bool TargetReached { get; init; }

    /// <summary>Share of this label's held-out scores at or above High.</summary>
    public double AcceptShare { get; init; }

    /// <summary>Share of this label's held-out scores strictly between Low and High.</summary>
    public double ReviewShare { get; init; }

    /// <summary>Share of this label's held-out scores at or below Low.</summary>
    public double SkipShare { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Label}: High {High:0.###}, Low {Low:0.###}";
}
