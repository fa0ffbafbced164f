using System.Collections;
using System.Globalization;
using System.Text;

namespace Uptrain;

/// <summary>A list of strings (answers, annotators) that reads as <c>a, b</c> in <c>Export-Csv</c> and string expansion.</summary>
public sealed class TextList : List<string>
{
    /// <inheritdoc />
    public override string ToString() => string.Join(", ", this);
}

/// <summary>Metadata (key → value) that reads as <c>key=value; key=value</c> in <c>Export-Csv</c> and string expansion.</summary>
public sealed class MetaValues : Dictionary<string, object?>
{
    /// <summary>Creates empty metadata with ordinal keys.</summary>
    public MetaValues()
        : base(StringComparer.Ordinal)
    {
    }

    /// <inheritdoc />
    public override string ToString() => ShellText.Join(this.Select(p => (p.Key, ShellText.Value(p.Value))));
}

/// <summary>How Uptrain's collections read as one line of text.</summary>
internal static class ShellText
{
    /// <summary><c>key=value; key=value</c>.</summary>
    internal static string Join(IEnumerable<(string Key, string Value)> pairs)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }
            text.Append(key).Append('=').Append(value);
        }
        return text.ToString();
    }

    /// <summary>A value as invariant text; a nested list or object as <c>[a, b]</c> or <c>{k=v}</c>.</summary>
    internal static string Value(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        IDictionary dictionary => "{" + Join(dictionary.Cast<DictionaryEntry>().Select(e => (Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? string.Empty, Value(e.Value)))) + "}",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Value)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
