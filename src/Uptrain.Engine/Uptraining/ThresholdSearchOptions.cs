namespace Uptrain.Uptraining;

/// <summary>Settings of <see cref="ThresholdSearch"/>.</summary>
public sealed record ThresholdSearchOptions
{
    /// <summary>The default <see cref="TargetPrecision"/>: one wrong silver label in twenty (the default).</summary>
    public const double DefaultTargetPrecision = 0.95;

    /// <summary>
    /// The default <see cref="MinSupport"/>: below twenty texts a share says little (19 of 20 right has a one-sided
    /// 95% Wilson lower bound of 0.80), so a candidate with fewer texts above it is not used.
    /// </summary>
    public const int DefaultMinSupport = 20;

    /// <summary>The share of auto-accepted labels that must agree with gold, in (0, 1]; 0.95 by default.</summary>
    public double TargetPrecision { get; init; } = DefaultTargetPrecision;

    /// <summary>
    /// The share of confident negatives (multilabel scores at or below Low) that must be gold-negative, in (0, 1];
    /// null (the default) means the same as <see cref="TargetPrecision"/>.
    /// </summary>
    public double? TargetNegativePrecision { get; init; }

    /// <summary>
    /// True: a pair per label; false: one pair (<c>*</c>) for all labels; null (the default): per label for
    /// multilabel models, one pair for exclusive ones.
    /// </summary>
    public bool? PerLabel { get; init; }

    /// <summary>The fewest held-out texts a candidate must have at or above it (at or below, for Low); 20 by default.</summary>
    public int MinSupport { get; init; } = DefaultMinSupport;

    /// <summary>
    /// A Low given by the user, in [0, 1), used instead of a searched one. For exclusive models Low is 0 (nothing
    /// skipped) unless given: held-out gold cannot say which texts fit no label.
    /// </summary>
    public double? Low { get; init; }

    /// <summary>The negative target in effect.</summary>
    internal double NegativeTarget => TargetNegativePrecision ?? TargetPrecision;
}
