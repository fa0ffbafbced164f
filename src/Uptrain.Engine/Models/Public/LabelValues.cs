using System.Globalization;

namespace Uptrain;

/// <summary>
/// Label → value (gold 1/0, or a probability), compared by ordinal label. A plain dictionary, except that it
/// reads as <c>LABEL=value; LABEL=value</c>: what <c>Export-Csv</c> and string expansion show instead of a type name.
/// </summary>
public sealed class LabelValues : Dictionary<string, double>
{
    /// <summary>Decimals shown by <see cref="ToString"/>; the values themselves keep full precision.</summary>
    private const string ValueFormat = "0.####";

    /// <summary>Creates an empty set of label values.</summary>
    public LabelValues()
        : base(StringComparer.Ordinal)
    {
    }

    /// <summary>Copies <paramref name="values"/>, in their order.</summary>
    public LabelValues(IEnumerable<KeyValuePair<string, double>> values)
        : base(values, StringComparer.Ordinal)
    {
    }

    /// <inheritdoc />
    public override string ToString() =>
        ShellText.Join(this.Select(p => (p.Key, p.Value.ToString(ValueFormat, CultureInfo.InvariantCulture))));
}
