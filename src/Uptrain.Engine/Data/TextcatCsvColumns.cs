using System.Globalization;
using CsvHelper;
using Uptrain.Diagnostics;

namespace Uptrain.Data;

/// <summary>
/// The columns of a CSV file that <see cref="TextcatWriter"/> writes: <c>text</c>, one 1/0/empty column per
/// label, and for predictions <c>predicted_label</c>, <c>confidence</c> and one <c>score_&lt;label&gt;</c>
/// column per scored label. Readers take the prediction columns as metadata, not as labels.
/// </summary>
public static class TextcatCsvColumns
{
    /// <summary>The text column.</summary>
    public const string Text = TextcatReadOptions.DefaultTextColumn;

    /// <summary>The label with the highest score.</summary>
    public const string PredictedLabel = "predicted_label";

    /// <summary>The highest score.</summary>
    public const string Confidence = "confidence";

    /// <summary>The start of the column holding one label's score.</summary>
    public const string ScorePrefix = "score_";

    /// <summary>
    /// The column names of the CSV file <paramref name="path"/> (its first record, trimmed, empty names left out), read
    /// with <paramref name="delimiter"/> (null: a tab for <c>.tsv</c>, else a comma); none when the file is empty. For
    /// argument completion.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<string> ReadHeader(string path, string? delimiter = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = TextFile.Open(path, (System.Text.Encoding?)null);
        using var parser = new CsvParser(file.Reader, CsvTextcatReader.Configuration(string.IsNullOrEmpty(delimiter) ? CsvTextcatReader.DefaultDelimiter(path) : delimiter));
        return parser.Read() && parser.Record is { } record ? [.. record.Select(h => h.Trim()).Where(h => h.Length > 0)] : [];
    }

    /// <summary>True for the columns written for predictions (not gold labels).</summary>
    public static bool IsPredictionColumn(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.StartsWith(ScorePrefix, StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, PredictedLabel, StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, Confidence, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The header of a new file: text, every gold label in order of first appearance, then, when any row
    /// has scores, the predicted label, the confidence and a score column per scored label.
    /// </summary>
    internal static string[] Header(IEnumerable<(TextcatExample Example, IReadOnlyDictionary<string, double>? Scores)> rows)
    {
        var labels = new List<string>();
        var scored = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var seenScored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (example, scores) in rows)
        {
            labels.AddRange(example.Cats.Keys.Where(seen.Add));
            scored.AddRange((scores?.Keys ?? []).Where(seenScored.Add));
        }
        var header = new List<string> { Text };
        header.AddRange(labels);
        if (scored.Count > 0)
        {
            header.Add(PredictedLabel);
            header.Add(Confidence);
            header.AddRange(scored.Select(label => ScorePrefix + label));
        }
        return [.. header];
    }

    /// <summary>The value of <paramref name="column"/> (not the text column) for one row.</summary>
    internal static string Value(string column, TextcatExample example, IReadOnlyDictionary<string, double>? scores)
    {
        if (!IsPredictionColumn(column) || scores is null || scores.Count == 0)
        {
            return IsPredictionColumn(column) ? string.Empty : Number(example.Cats, column);
        }
        if (column.StartsWith(ScorePrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Number(scores, column[ScorePrefix.Length..]);
        }
        var best = scores.MaxBy(s => s.Value);
        return string.Equals(column, PredictedLabel, StringComparison.OrdinalIgnoreCase)
            ? best.Key
            : best.Value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The header of an existing CSV file and the index of its text column.</summary>
    /// <exception cref="UptrainException"><c>ColumnNotFound</c> without a text column.</exception>
    internal static string[] ReadHeader(string path, out int textIndex)
    {
        using var reader = DataFiles.OpenText(path);
        using var parser = new CsvParser(reader, CsvTextcatReader.Configuration(CsvTextcatReader.DefaultDelimiter(path)));
        var header = parser.Read() && parser.Record is { } record ? record.Select(h => h.Trim()).ToArray() : [];
        textIndex = CsvTextcatReader.FindColumn(header, Text, path);
        return header;
    }

    private static string Number(IReadOnlyDictionary<string, double> values, string label) =>
        values.TryGetValue(label, out var value) ? value.ToString(CultureInfo.InvariantCulture) : string.Empty;
}
