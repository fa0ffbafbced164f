using System.Text;
using System.Text.Json;
using Uptrain.Diagnostics;

namespace Uptrain.Data;

/// <summary>
/// Reads labelled (or unlabelled) texts from Prodigy JSONL, spaCy JSONL, spaCy tuples, CSV/TSV or plain
/// text files as <see cref="TextcatExample"/>s. Every format streams, except where noted: CSV files
/// with one label column are read twice (first for the label set), and Prodigy rows are merged per
/// input unless <see cref="ProdigyReadOptions.NoMerge"/> is set.
/// </summary>
/// <remarks>
/// A bad record is reported through <see cref="IOutputWriter.WriteError"/> with its <c>file:line</c>
/// as target and reading goes on; every example's <see cref="TextcatExample.Source"/> is its
/// <c>file:line</c>.
/// </remarks>
public static class TextcatReader
{
    /// <summary>
    /// Tells the format of a file: <c>.csv</c> and <c>.tsv</c> are <see cref="TextcatFormat.Csv"/>,
    /// <c>.txt</c> is <see cref="TextcatFormat.Text"/>; for any other name (<c>.jsonl</c>, <c>.json</c>)
    /// the first record decides: an array is <see cref="TextcatFormat.SpacyTuple"/>, an object with
    /// <c>cats</c> is <see cref="TextcatFormat.SpacyJsonl"/>, an object with <c>answer</c>,
    /// <c>_input_hash</c>, <c>options</c> or <c>label</c> is <see cref="TextcatFormat.ProdigyJsonl"/>. The first
    /// record is the first non-blank line, or the first element of a file that is one JSON array of objects
    /// (<c>[{...}, ...]</c>, on one line or pretty-printed); a line <c>["text", {...}]</c> and an array of
    /// such pairs are tuples.
    /// </summary>
    /// <exception cref="UptrainException">
    /// <c>FileNotFound</c>; <c>NotATextFile</c> (InvalidData) for binary content; <c>UnknownFormat</c> (InvalidData)
    /// when the content fits no format.
    /// </exception>
    public static TextcatFormat Detect(string path) => Detect(path, null);

    /// <summary>
    /// Tells the format of a file as <see cref="Detect(string)"/> does, decoding it with
    /// <paramref name="encoding"/> (null: UTF-8, UTF-16 or UTF-32 as the start of the file says). A file
    /// that is one JSON array of objects (on one line or pretty-printed) is told by its first element.
    /// </summary>
    /// <exception cref="UptrainException">
    /// <c>FileNotFound</c>; <c>NotATextFile</c> (InvalidData) for binary content; <c>UnknownFormat</c> (InvalidData)
    /// when the content fits no format.
    /// </exception>
    public static TextcatFormat Detect(string path, Encoding? encoding)
    {
        DataFiles.RequireFile(path);
        switch (Path.GetExtension(path).ToUpperInvariant())
        {
            case ".CSV":
            case ".TSV":
                return TextcatFormat.Csv;
            case ".TXT":
                return TextcatFormat.Text;
        }

        var resolved = TextFile.Resolve(path, encoding);
        switch (JsonRecords.Layout(path, resolved))
        {
            case JsonLayout.TupleArray:
                return TextcatFormat.SpacyTuple;
            case JsonLayout.ObjectArray:
                foreach (var (record, _) in JsonRecords.Read(path, encoding, NullOutputWriter.Instance, CancellationToken.None))
                {
                    return FormatOf(record) ?? throw UnknownFormat(path, Messages.UnknownFormatContent);
                }
                throw UnknownFormat(path, Messages.UnknownFormatContent);
        }

        string? line;
        using (var file = TextFile.Open(path, resolved))
        {
            while ((line = file.Reader.ReadLine()) is not null && string.IsNullOrWhiteSpace(line))
            {
            }
        }
        if (line is null)
        {
            throw UnknownFormat(path, Messages.UnknownFormatEmpty);
        }
        line = line.Trim();
        if (line.StartsWith('['))
        {
            return TextcatFormat.SpacyTuple;
        }
        if (line.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(line, JsonPlain.DocumentOptions);
                if (FormatOf(document.RootElement) is { } format)
                {
                    return format;
                }
            }
            catch (JsonException)
            {
                // Not one JSON object per line: fall through to the error below.
            }
        }
        throw UnknownFormat(path, Messages.UnknownFormatContent);
    }

    /// <summary>The format a record's keys say: <c>cats</c> is spaCy; <c>answer</c>, <c>_input_hash</c>, <c>options</c> or <c>label</c> Prodigy.</summary>
    private static TextcatFormat? FormatOf(JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (record.TryGetProperty("cats", out _))
        {
            return TextcatFormat.SpacyJsonl;
        }
        foreach (var name in (ReadOnlySpan<string>)["answer", "_input_hash", "options", "label"])
        {
            if (record.TryGetProperty(name, out _))
            {
                return TextcatFormat.ProdigyJsonl;
            }
        }
        return null;
    }

    /// <summary>
    /// Reads the examples of one file. File and header problems (missing file, unknown format, a
    /// missing CSV column) throw when this method is called; record problems are reported through
    /// <paramref name="output"/> while the result is enumerated.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Format and format-specific settings.</param>
    /// <param name="output">Receives record errors, warnings and verbose detail.</param>
    /// <param name="cancellationToken">Checked every few thousand lines (line formats) and per example.</param>
    /// <exception cref="UptrainException">
    /// <c>FileNotFound</c>, <c>NotATextFile</c>, <c>UnknownFormat</c>, <c>ColumnNotFound</c>.
    /// </exception>
    public static IEnumerable<TextcatExample> Read(
        string path, TextcatReadOptions options, IOutputWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        DataFiles.RequireFile(path);
        // A binary file is one error for the whole file, before any record is read.
        TextFile.Resolve(path, options.Encoding);
        var format = options.Format == TextcatFormat.Auto ? Detect(path, options.Encoding) : options.Format;
        var encoding = options.Encoding;
        return format switch
        {
            TextcatFormat.ProdigyJsonl => ReadProdigy(path, options.Prodigy with { Encoding = encoding ?? options.Prodigy.Encoding }, output, cancellationToken),
            TextcatFormat.SpacyJsonl => ReadJson(path, encoding, output, cancellationToken, SpacyRecord),
            TextcatFormat.SpacyTuple => ReadJson(path, encoding, output, cancellationToken, TupleRecord),
            TextcatFormat.Csv => CsvTextcatReader.Open(path, options).Read(output),
            TextcatFormat.Text => ReadText(path, encoding, output, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Format, null),
        };
    }

    private static UptrainException UnknownFormat(string path, string reason) =>
        new("UnknownFormat", ErrorKind.InvalidData, DataFiles.Format(Messages.UnknownFormat, path, reason), path);

    private static IEnumerable<TextcatExample> ReadProdigy(
        string path, ProdigyReadOptions options, IOutputWriter output, CancellationToken cancellationToken)
    {
        var reader = new ProdigyJsonlReader(options, output);
        foreach (var example in reader.ReadFile(path, cancellationToken))
        {
            yield return example;
        }
        foreach (var example in reader.Complete())
        {
            yield return example;
        }
    }

    private static IEnumerable<TextcatExample> ReadText(
        string path, Encoding? encoding, IOutputWriter output, CancellationToken cancellationToken)
    {
        foreach (var (lineNumber, line) in FileProgress.ReadLines(path, encoding, output, cancellationToken))
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return new TextcatExample(line) { Source = DataFiles.Location(path, lineNumber) };
            }
        }
    }

    /// <summary>The JSON records of a file (one per line, or the elements of one array), each turned into an example by <paramref name="toExample"/>.</summary>
    private static IEnumerable<TextcatExample> ReadJson(
        string path,
        Encoding? encoding,
        IOutputWriter output,
        CancellationToken cancellationToken,
        Func<JsonElement, string, IOutputWriter, TextcatExample?> toExample)
    {
        foreach (var (record, line) in JsonRecords.Read(path, encoding, output, cancellationToken))
        {
            if (toExample(record, DataFiles.Location(path, line), output) is { } example)
            {
                yield return example;
            }
        }
    }

    private static TextcatExample? SpacyRecord(JsonElement record, string location, IOutputWriter output)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            output.WriteError(new RecordError(
                "InvalidJsonLine", ErrorKind.ParserError, DataFiles.Format(Messages.InvalidJson, location, record.ValueKind), location));
            return null;
        }
        if (!record.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
        {
            output.WriteError(new RecordError("MissingText", ErrorKind.InvalidData, DataFiles.Format(Messages.MissingText, location), location));
            return null;
        }
        var example = new TextcatExample(text.GetString()!) { Source = location };
        if (record.TryGetProperty("cats", out var cats) && !ReadCats(cats, example, location, output))
        {
            return null;
        }
        if (record.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in meta.EnumerateObject())
            {
                example.Meta[property.Name] = JsonPlain.ToPlain(property.Value);
            }
        }
        return example;
    }

    private static TextcatExample? TupleRecord(JsonElement record, string location, IOutputWriter output)
    {
        if (record.ValueKind != JsonValueKind.Array
            || record.GetArrayLength() != 2
            || record[0].ValueKind != JsonValueKind.String
            || record[1].ValueKind != JsonValueKind.Object)
        {
            output.WriteError(new RecordError("InvalidTuple", ErrorKind.InvalidData, DataFiles.Format(Messages.InvalidTuple, location), location));
            return null;
        }
        var example = new TextcatExample(record[0].GetString()!) { Source = location };
        if (record[1].TryGetProperty("cats", out var cats) && !ReadCats(cats, example, location, output))
        {
            return null;
        }
        return example;
    }

    /// <summary>
    /// Copies spaCy <c>cats</c> into the example: numbers from 0 to 1 as they are, booleans as 1/0,
    /// null as unknown. Anything else is reported and the record is skipped (returns false).
    /// </summary>
    private static bool ReadCats(JsonElement cats, TextcatExample example, string location, IOutputWriter output)
    {
        if (cats.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (cats.ValueKind != JsonValueKind.Object)
        {
            output.WriteError(new RecordError("InvalidCats", ErrorKind.InvalidData, DataFiles.Format(Messages.InvalidCats, location), location));
            return false;
        }
        foreach (var property in cats.EnumerateObject())
        {
            double? value = property.Value.ValueKind switch
            {
                JsonValueKind.Number when property.Value.GetDouble() is var number && LabelValue.IsValid(number) => number,
                JsonValueKind.True => 1.0,
                JsonValueKind.False => 0.0,
                _ => null,
            };
            if (value is { } known)
            {
                example.Cats[property.Name] = known;
            }
            else if (property.Value.ValueKind != JsonValueKind.Null)
            {
                output.WriteError(new RecordError(
                    LabelValue.InvalidErrorId,
                    ErrorKind.InvalidData,
                    DataFiles.Format(Messages.InvalidCatValue, location, property.Name, property.Value.GetRawText()),
                    location));
                return false;
            }
        }
        return true;
    }
}
