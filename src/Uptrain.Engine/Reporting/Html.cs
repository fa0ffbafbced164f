using System.Globalization;
using System.Net;

namespace Uptrain.Reporting;

/// <summary>Small pieces of HTML for the report's tables; every text is encoded.</summary>
internal static class Html
{
    /// <summary>Shown where a value is not known.</summary>
    public const string Missing = "–";

    /// <summary><paramref name="text"/> HTML-encoded (also quotes, so it is safe in attributes).</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>A header cell.</summary>
    public static string Th(string text) => "<th>" + Encode(text) + "</th>";

    /// <summary>A text cell.</summary>
    public static string Td(string? text) => "<td>" + Encode(text) + "</td>";

    /// <summary>A right-aligned number cell.</summary>
    public static string Num(string text) => "<td class=\"num\">" + Encode(text) + "</td>";

    /// <summary>A right-aligned count cell.</summary>
    public static string Num(int value) => Num(value.ToString("N0", CultureInfo.InvariantCulture));

    /// <summary>A score with 4 decimals, or <see cref="Missing"/> for null or NaN.</summary>
    public static string Fixed(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : Missing;

    /// <summary>A share as a percentage with one decimal, or <see cref="Missing"/>.</summary>
    public static string Percent(double? value) =>
        value is { } v && double.IsFinite(v) ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : Missing;

    /// <summary>A byte count in B, KB, MB or GB (powers of 1024).</summary>
    public static string Bytes(long? bytes)
    {
        if (bytes is not { } b)
        {
            return Missing;
        }
        string[] units = ["B", "KB", "MB", "GB"];
        double value = b;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString(unit == 0 ? "0" : "0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>A duration with its units: "1 h 2 min 5 s", "8 min 12 s", "45 s".</summary>
    public static string Duration(TimeSpan duration)
    {
        // Units on every part: "8:12" alone reads as a time of day or as minutes and seconds alike.
        var whole = TimeSpan.FromSeconds(Math.Round(duration.TotalSeconds));
        return whole.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)whole.TotalHours} h {whole.Minutes} min {whole.Seconds} s")
            : whole.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{whole.Minutes} min {whole.Seconds} s")
                : string.Create(CultureInfo.InvariantCulture, $"{whole.Seconds} s");
    }

    /// <summary>A value of a model card's settings or data entries as text (numbers in invariant culture).</summary>
    public static string Value(object? value) => value switch
    {
        null => Missing,
        string s => s,
        bool b => b ? "true" : "false",
        System.Text.Json.JsonElement json => json.ValueKind == System.Text.Json.JsonValueKind.String ? json.GetString() ?? string.Empty : json.GetRawText(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Value)),
        _ => value.ToString() ?? string.Empty,
    };
}
