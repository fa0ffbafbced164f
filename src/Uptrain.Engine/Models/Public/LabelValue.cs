using System.Globalization;
using Uptrain.Diagnostics;

namespace Uptrain;

/// <summary>
/// The one rule for label values and predicted scores, shared by the file readers, the scorer and the
/// conversion of piped objects: a value is a number from 0 to 1 (NaN and infinities are not).
/// </summary>
public static class LabelValue
{
    /// <summary>The error id of a label value outside 0..1, from a file or from a piped object.</summary>
    public const string InvalidErrorId = "InvalidLabelValue";

    /// <summary>The error id of a predicted score outside 0..1.</summary>
    public const string InvalidScoreErrorId = "InvalidScore";

    /// <summary>True when <paramref name="value"/> is a number from 0 to 1 (NaN is not).</summary>
    public static bool IsValid(double value) => value is >= 0.0 and <= 1.0;

    /// <summary>
    /// Throws <c>InvalidLabelValue</c> (InvalidData) unless every value of <paramref name="cats"/> is valid.
    /// </summary>
    /// <param name="cats">Label → value.</param>
    /// <param name="where">Where the values came from (a <c>file:line</c>, or a property name such as <c>Cats</c>).</param>
    /// <param name="target">The offending object, for the error.</param>
    /// <param name="allowNaN">True where NaN means unknown (gold values handed to the scorer).</param>
    public static void Require(IEnumerable<KeyValuePair<string, double>> cats, string where, object? target, bool allowNaN = false)
    {
        ArgumentNullException.ThrowIfNull(cats);
        foreach (var (label, value) in cats)
        {
            if (!IsValid(value) && !(allowNaN && double.IsNaN(value)))
            {
                throw new UptrainException(
                    InvalidErrorId,
                    ErrorKind.InvalidData,
                    string.Format(CultureInfo.CurrentCulture, Messages.InvalidCatValue, where, label, Show(value)),
                    target);
            }
        }
    }

    /// <summary>Throws <c>InvalidScore</c> (InvalidData) unless every score of <paramref name="scores"/> is valid.</summary>
    public static void RequireScores(IEnumerable<KeyValuePair<string, double>> scores, object? target)
    {
        ArgumentNullException.ThrowIfNull(scores);
        foreach (var (label, value) in scores)
        {
            if (!IsValid(value))
            {
                throw new UptrainException(
                    InvalidScoreErrorId,
                    ErrorKind.InvalidData,
                    string.Format(CultureInfo.CurrentCulture, Messages.InvalidScore, label, Show(value)),
                    target);
            }
        }
    }

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
