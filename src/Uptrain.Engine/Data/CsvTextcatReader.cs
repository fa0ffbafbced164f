using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Uptrain.Diagnostics;

namespace Uptrain.Data;

/// <summary>
/// Reads a delimited file with a header row: a text column, label columns, and any other columns
/// into <see cref="TextcatExample.Meta"/>. The layout is decided when the reader is opened (so a missing
/// column fails at once); the records are read lazily.
/// </summary>
internal sealed class CsvTextcatReader
{
    private readonly string _path;
    private readonly string _delimiter;
    private readonly int _textIndex;
    private readonly (int Index, string Name)[] _labelColumns;
    private readonly (int Index, string Name)[] _metaColumns;
    private readonly bool _labelPerRow;
    private readonly System.Text.Encoding? _encoding;

    private CsvTextcatReader(
        string path,
        System.Text.Encoding? encoding,
        string delimiter,
        int textIndex,
        (int, string)[] labelColumns,
        (int, string)[] metaColumns,
        bool labelPerRow)
    {
        _path = path;
        _encoding = encoding;
        _delimiter = delimiter;
        _textIndex = textIndex;
        _labelColumns = labelColumns;
        _metaColumns = metaColumns;
        _labelPerRow = labelPerRow;
    }

    /// <summary>The delimiter of a file: a tab for <c>.tsv</c>, else a comma.</summary>
    internal static string DefaultDelimiter(string path) =>
        string.Equals(Path.GetExtension(path), ".tsv", StringComparison.OrdinalIgnoreCase) ? "\t" : ",";

    /// <summary>The CsvHelper settings Uptrain reads and writes with: RFC 4180, invariant culture.</summary>
    internal static CsvConfiguration Configuration(string delimiter, BadDataFound? badDataFound = null) =>
        new(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter,
            DetectDelimiter = false,
            HasHeaderRecord = true,
            IgnoreBlankLines = false, // keeps CsvParser.RawRow equal to the file's line number
            BadDataFound = badDataFound,
            MissingFieldFound = null,
        };

    /// <summary>Reads the header and decides the layout.</summary>
    /// <exception cref="UptrainException"><c>ColumnNotFound</c> for a missing text or label column, or no header.</exception>
    internal static CsvTextcatReader Open(string path, TextcatReadOptions options)
    {
        var delimiter = string.IsNullOrEmpty(options.Delimiter) ? DefaultDelimiter(path) : options.Delimiter;
        string[] header;
        using (var file = TextFile.Open(path, options.Encoding))
        using (var parser = new CsvParser(file.Reader, Configuration(delimiter)))
        {
            if (!parser.Read() || parser.Record is not { } record || record.All(string.IsNullOrWhiteSpace))
            {
                throw new UptrainException(
                    "ColumnNotFound", ErrorKind.ObjectNotFound, DataFiles.Format(Messages.CsvNoHeader, path, options.TextColumn), path);
            }
            header = record.Select(h => h.Trim()).ToArray();
        }

        var textIndex = FindColumn(header, options.TextColumn, path);
        (int Index, string Name)[] labels;
        bool labelPerRow;
        if (options.LabelColumns is { } given)
        {
            labels = given.Select(name => FindColumn(header, name, path)).Select(i => (i, header[i])).ToArray();
            labelPerRow = labels.Length == 1;
        }
        else if (IndexOf(header, TextcatReadOptions.DefaultLabelColumn) is var labelIndex and >= 0 && labelIndex != textIndex)
        {
            labels = [(labelIndex, header[labelIndex])];
            labelPerRow = true;
        }
        else
        {
            labels = Enumerable.Range(0, header.Length)
                .Where(i => i != textIndex && header[i].Length > 0 && !TextcatCsvColumns.IsPredictionColumn(header[i]))
                .Select(i => (i, header[i]))
                .ToArray();
            labelPerRow = false;
        }
        var meta = Enumerable.Range(0, header.Length)
            .Where(i => i != textIndex && header[i].Length > 0 && !labels.Any(l => l.Index == i))
            .Select(i => (i, header[i]))
            .ToArray();
        return new CsvTextcatReader(path, options.Encoding, delimiter, textIndex, labels, meta, labelPerRow);
    }

    private static int IndexOf(string[] header, string name) =>
        Array.FindIndex(header, h => string.Equals(h, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The index of column <paramref name="name"/> (case-insensitive) in <paramref name="header"/>.</summary>
    /// <exception cref="UptrainException"><c>ColumnNotFound</c>, naming the columns there are.</exception>
    internal static int FindColumn(string[] header, string name, string path)
    {
        var index = IndexOf(header, name);
        if (index < 0)
        {
            throw new UptrainException(
                "ColumnNotFound",
                ErrorKind.ObjectNotFound,
                DataFiles.Format(Messages.ColumnNotFound, name, path, string.Join(", ", header)),
                name);
        }
        return index;
    }

    /// <summary>Reads the records. Label-per-row files are read twice: first for the label set.</summary>
    internal IEnumerable<TextcatExample> Read(IOutputWriter output)
    {
        var labelSet = _labelPerRow ? CollectLabelNames() : [];
        foreach (var (record, line, badField, invalidUtf8) in Records())
        {
            var location = DataFiles.Location(_path, line);
            if (invalidUtf8)
            {
                FileProgress.ReportInvalidUtf8(output, location);
                continue;
            }
            if (badField is not null)
            {
                output.WriteError(new RecordError(
                    "InvalidCsvRecord", ErrorKind.ParserError, DataFiles.Format(Messages.InvalidCsvRecord, location, badField), location));
                continue;
            }
            if (_textIndex >= record.Length)
            {
                output.WriteError(new RecordError("MissingText", ErrorKind.InvalidData, DataFiles.Format(Messages.MissingText, location), location));
                continue;
            }
            var example = new TextcatExample(record[_textIndex]) { Source = location };
            if (_labelPerRow)
            {
                var value = Field(record, _labelColumns[0].Index).Trim();
                if (value.Length > 0)
                {
                    foreach (var label in labelSet)
                    {
                        example.Cats[label] = string.Equals(label, value, StringComparison.Ordinal) ? 1.0 : 0.0;
                    }
                }
            }
            else if (!ReadBinaryColumns(record, example, location, output))
            {
                continue;
            }
            foreach (var (index, name) in _metaColumns)
            {
                if (index < record.Length)
                {
                    example.Meta[name] = record[index];
                }
            }
            yield return example;
        }
    }

    private bool ReadBinaryColumns(string[] record, TextcatExample example, string location, IOutputWriter output)
    {
        foreach (var (index, name) in _labelColumns)
        {
            var value = Field(record, index).Trim();
            double? parsed = value.ToUpperInvariant() switch
            {
                "" => null,
                "1" or "1.0" or "TRUE" => 1.0,
                "0" or "0.0" or "FALSE" => 0.0,
                _ => double.NaN,
            };
            if (parsed is double.NaN)
            {
                output.WriteError(new RecordError(
                    "InvalidLabelValue", ErrorKind.InvalidData, DataFiles.Format(Messages.InvalidLabelValue, location, value, name), location));
                return false;
            }
            if (parsed is { } known)
            {
                example.Cats[name] = known;
            }
        }
        return true;
    }

    private static string Field(string[] record, int index) => index < record.Length ? record[index] : string.Empty;

    /// <summary>The distinct non-empty values of the label column, in order of first appearance.</summary>
    private List<string> CollectLabelNames()
    {
        var labels = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (record, _, badField, invalidUtf8) in Records())
        {
            var value = badField is null && !invalidUtf8 ? Field(record, _labelColumns[0].Index).Trim() : string.Empty;
            if (value.Length > 0 && seen.Add(value))
            {
                labels.Add(value);
            }
        }
        return labels;
    }

    /// <summary>
    /// The data records after the header, each with the line it starts on, the bad field if malformed, and
    /// whether it holds bytes that are not UTF-8.
    /// </summary>
    private IEnumerable<(string[] Record, long Line, string? BadField, bool InvalidUtf8)> Records()
    {
        string? badField = null;
        using var file = TextFile.Open(_path, _encoding);
        using var parser = new CsvParser(file.Reader, Configuration(_delimiter, args => badField ??= args.Field));
        long lastLine = 0;
        var header = true;
        while (parser.Read())
        {
            var line = lastLine + 1;
            lastLine = parser.RawRow;
            var record = parser.Record ?? [];
            var bad = badField;
            badField = null;
            if (header)
            {
                header = false;
                continue;
            }
            if (bad is null && record.All(string.IsNullOrWhiteSpace) && record.Length <= 1)
            {
                continue; // a blank line
            }
            yield return (record, line, bad, file.MayBeInvalid && file.IsInvalid(parser.RawRecord));
        }
    }
}
