namespace Uptrain;

/// <summary>
/// The triage thresholds that Find-UptrainThreshold chose on held-out predictions, per label or one pair
/// for all, with the precision and coverage they bought there. Select-UptrainExample -Threshold takes it
/// (or its JSON file).
/// </summary>
public sealed class ThresholdSet
{
    /// <summary>Creates a set of <paramref name="labels"/> thresholds.</summary>
    public ThresholdSet(bool exclusive, IReadOnlyList<LabelThreshold> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Exclusive = exclusive;
        Labels = labels;
    }

    /// <summary>True for mutually exclusive labels (triage by the top label).</summary>
    public bool Exclusive { get; }

    /// <summary>True when each label has its own pair; false for one pair (<c>*</c>) shared by all labels.</summary>
    public bool PerLabel => !(Labels.Count == 1 && Labels[0].Label == SharedLabel);

    /// <summary>The thresholds, one per label in the model's order, or a single shared pair.</summary>
    public IReadOnlyList<LabelThreshold> Labels { get; }

    /// <summary>The precision asked for on accepted labels.</summary>
    public double TargetPrecision { get; init; }

    /// <summary>The precision asked for on confident negatives (multilabel).</summary>
    public double TargetNegativePrecision { get; init; }

    /// <summary>The fewest held-out texts a candidate High needed above it.</summary>
    public int MinSupport { get; init; }

    /// <summary>Held-out texts the thresholds were found on.</summary>
    public int Examples { get; init; }

    /// <summary>Share of the held-out texts that these thresholds route to Accept.</summary>
    public double AcceptShare { get; init; }

    /// <summary>Share of the held-out texts that these thresholds route to Review.</summary>
    public double ReviewShare { get; init; }

    /// <summary>Share of the held-out texts that these thresholds route to Skip.</summary>
    public double SkipShare { get; init; }

    /// <summary>The model whose predictions the thresholds were found on, if known.</summary>
    public string? Model { get; init; }

    /// <summary>The label name of a pair shared by all labels.</summary>
    public const string SharedLabel = "*";

    /// <summary>The thresholds that apply to <paramref name="label"/>: its own, else the shared pair; null if none.</summary>
    public LabelThreshold? For(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        LabelThreshold? shared = null;
        foreach (var threshold in Labels)
        {
            if (string.Equals(threshold.Label, label, StringComparison.Ordinal))
            {
                return threshold;
            }
            if (threshold.Label == SharedLabel)
            {
                shared = threshold;
            }
        }
        return shared;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Labels.Count} threshold pair(s), accept {AcceptShare:P0} / review {ReviewShare:P0} / skip {SkipShare:P0}";
}
