namespace Uptrain.Data;

/// <summary>The file formats <see cref="TextcatReader"/> reads.</summary>
public enum TextcatFormat
{
    /// <summary>Decide from the file name and, for JSON, from the first non-blank line (<see cref="TextcatReader.Detect(string)"/>).</summary>
    Auto,

    /// <summary>Prodigy annotation rows, as <c>prodigy db-out</c> writes them.</summary>
    ProdigyJsonl,

    /// <summary>One <c>{"text": ..., "cats": {...}, "meta": {...}}</c> object per line.</summary>
    SpacyJsonl,

    /// <summary><c>["text", {"cats": {...}}]</c> pairs: one per line, or one JSON array of pairs for the whole file.</summary>
    SpacyTuple,

    /// <summary>A delimited file with a header: a text column and label columns.</summary>
    Csv,

    /// <summary>One unlabelled text per non-blank line.</summary>
    Text,
}

/// <summary>Settings of <see cref="TextcatReader.Read"/>.</summary>
public sealed record TextcatReadOptions
{
    /// <summary>The column name of the text in CSV files (matched ignoring case).</summary>
    public const string DefaultTextColumn = "text";

    /// <summary>The label column that, when present, makes a CSV file label-per-row by default.</summary>
    public const string DefaultLabelColumn = "label";

    /// <summary>The file format; <see cref="TextcatFormat.Auto"/> (the default) detects it.</summary>
    public TextcatFormat Format { get; init; } = TextcatFormat.Auto;

    /// <summary>CSV only: the column that holds the text; <c>text</c> by default.</summary>
    public string TextColumn { get; init; } = DefaultTextColumn;

    /// <summary>
    /// CSV only: the label columns. One column holds label names, one label per row (every example
    /// then gets 1 for its label and 0 for every other label in the file). Several columns hold 0/1
    /// values, one column per label. When null: a column named <c>label</c> if there is one (label per
    /// row), else every column but the text column (0/1 columns). Columns that are neither text nor
    /// label go to <see cref="TextcatExample.Meta"/> as strings.
    /// </summary>
    public IReadOnlyList<string>? LabelColumns { get; init; }

    /// <summary>CSV only: the field delimiter; when null, a tab for <c>.tsv</c> files and a comma otherwise.</summary>
    public string? Delimiter { get; init; }

    /// <summary>
    /// The text encoding, or null (the default) for UTF-8, with UTF-16 and UTF-32 told by a byte order mark
    /// or, for UTF-16 without one, by its zero bytes. A byte order mark wins over a given encoding.
    /// </summary>
    public System.Text.Encoding? Encoding { get; init; }

    /// <summary>Prodigy JSONL only: labels, exclusivity, conflict policy and merging.</summary>
    public ProdigyReadOptions Prodigy { get; init; } = new();
}
