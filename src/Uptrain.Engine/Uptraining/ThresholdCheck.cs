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
    /// <param name="options">The thresholds given (a set, or High and Low).</param>
    /// <param name="model">The model of the first prediction.</param>
    /// <param name="labels">Its labels.</param>
    /// <param name="output">A warning when the set was found on another model's predictions.</param>
    /// <exception cref="UptrainException"><c>ThresholdModelMismatch</c>, <c>ThresholdLabelMismatch</c>, <c>LowAboveHigh</c> (InvalidArgument).</exception>
    public static ThresholdSet Resolve(UptrainSelectOptions options, ModelReference model, IReadOnlyCollection<string> labels, IOutputWriter output)
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
        var predictedBy = model.Path ?? model.Name;
        if (set.Model is { Length: > 0 } foundOn && !string.Equals(Normalise(foundOn), Normalise(predictedBy), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            // Thresholds hold for the calibration of the model they were found on: another model's scores mean other things.
            output.WriteWarning(Format(Messages.TriageThresholdsOfAnotherModel, foundOn, predictedBy));
        }
        return set;
    }

    private static string Normalise(string model) =>
        Path.IsPathFullyQualified(model) ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(model)) : model;

    private static string Kind(bool exclusive) => exclusive ? Messages.TriageExclusive : Messages.TriageMultilabel;

    private static string Names(IReadOnlyList<string> labels) => labels.Count == 0 ? "-" : string.Join(", ", labels);
}
