using Uptrain.Diagnostics;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Uptraining;

/// <summary>Makes the thresholds of a triage run fit the model whose predictions arrive.</summary>
internal static class ThresholdCheck
{
    /// <summary>
    /// The set to route predictions of <paramref name="model"/> (labels <paramref name="labels"/>, in its order) by:
    /// the given one, checked against the model, or one shared pair from High and Low.
    /// </summary>
    /// <exception cref="UptrainException"><c>ThresholdModelMismatch</c>, <c>ThresholdLabelMismatch</c>, <c>LowAboveHigh</c> (InvalidArgument).</exception>
    public static ThresholdSet Resolve(UptrainSelectOptions options, ModelReference model, IReadOnlyCollection<string> labels)
    {
        if (options.Thresholds is not { } set)
        {
            var low = options.Low ?? (model.Exclusive ? 0 : UptrainSelectOptions.DefaultMultilabelLow);
            if (low > options.High)
            {
                throw new UptrainException("LowAboveHigh", ErrorKind.InvalidArgument, Format(Messages.TriageLowAboveHigh, low, options.High));
            }
            return new ThresholdSet(model.Exclusive, [new LabelThreshold(ThresholdSet.SharedLabel, options.High, low)]) { Model = model.Name };
        }
        if (set.Exclusive != model.Exclusive)
        {
            throw new UptrainException(
                "ThresholdModelMismatch", ErrorKind.InvalidArgument,
                Format(Messages.TriageExclusiveMismatch, model.Name, Kind(model.Exclusive), Kind(set.Exclusive)), set);
        }
        var named = set.Labels.Select(t => t.Label).Where(l => l != ThresholdSet.SharedLabel).ToList();
        var unknown = named.Where(l => !labels.Contains(l)).ToList();
        var missing = set.PerLabel && set.For(ThresholdSet.SharedLabel) is null ? labels.Where(l => !named.Contains(l)).ToList() : [];
        if (unknown.Count > 0 || missing.Count > 0)
        {
            throw new UptrainException(
                "ThresholdLabelMismatch", ErrorKind.InvalidArgument,
                Format(Messages.TriageLabelMismatch, model.Name, string.Join(", ", labels), Names(unknown), Names(missing)), set);
        }
        return set;
    }

    private static string Kind(bool exclusive) => exclusive ? Messages.TriageExclusive : Messages.TriageMultilabel;

    private static string Names(IReadOnlyList<string> labels) => labels.Count == 0 ? "-" : string.Join(", ", labels);
}
