using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Uptrain.Diagnostics;

namespace Uptrain.Data;

/// <summary>How the JSON records of a file are laid out.</summary>
internal enum JsonLayout
{
    /// <summary>One JSON value per line (JSONL, spaCy tuples one per line).</summary>
    Lines,

    /// <summary>One top-level array of objects (<c>[{...}, {...}]</c>), on one line or pretty-printed over many.</summary>
    ObjectArray,

    /// <summary>One top-level array of arrays (<c>[["text", {...}], ...]</c>) or an empty array.</summary>
    TupleArray,
}

/// <summary>
/// The JSON records of a file, whatever their layout: one per non-blank line, or the elements of one
/// top-level array (streamed, only the element being read is held). A line or element that is not JSON,
/// or holds bytes that are not UTF-8, is reported with its <c>file:line</c> and the rest is read.
/// </summary>
internal static class JsonRecords
{
    /// <summary>
    /// The layout of a file from its first two characters that are not white space: <c>[{</c> is an array
    /// of objects, <c>[[</c> or <c>[]</c> an array of arrays, anything else one value per line (a line
    /// <c>["text", {...}]</c> starts with <c>["</c>).
    /// </summary>
    public static JsonLayout Layout(string path, TextEncoding encoding)
    {
        using var file = TextFile.Open(path, encoding);
        if (NextNonSpace(file.Reader) != '[')
        {
            return JsonLayout.Lines;
        }
        return NextNonSpace(file.Reader) switch
        {
            '{' => JsonLayout.ObjectArray,
            '[' or ']' => JsonLayout.TupleArray,
            _ => JsonLayout.Lines,
        };
    }

    /// <summary>
    /// Each record with the line it starts on. The element is valid until the enumeration moves on.
    /// </summary>
    /// <exception cref="UptrainException"><c>NotATextFile</c>, when enumeration starts.</exception>
    public static IEnumerable<(JsonElement Record, long Line)> Read(
        string path, Encoding? requested, IOutputWriter output, CancellationToken cancellationToken)
    {
        var encoding = TextFile.Resolve(path, requested, output);
        return Layout(path, encoding) == JsonLayout.Lines
            ? ReadLines(path, encoding, output, cancellationToken)
            : ReadArray(path, encoding, output, cancellationToken);
    }

    private static IEnumerable<(JsonElement Record, long Line)> ReadLines(
        string path, TextEncoding encoding, IOutputWriter output, CancellationToken cancellationToken)
    {
        foreach (var (lineNumber, line) in FileProgress.ReadLines(path, encoding, output, cancellationToken))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line, JsonPlain.DocumentOptions);
            }
            catch (JsonException exception)
            {
                var location = DataFiles.Location(path, lineNumber);
                output.WriteError(new RecordError(
                    "InvalidJsonLine", ErrorKind.ParserError, DataFiles.Format(Messages.InvalidJson, location, JsonPlain.LineError(exception)), location));
                continue;
            }
            using (document)
            {
                yield return (document.RootElement, lineNumber);
            }
        }
    }

    private static IEnumerable<(JsonElement Record, long Line)> ReadArray(
        string path, TextEncoding encoding, IOutputWriter output, CancellationToken cancellationToken)
    {
        using var file = DataFiles.OpenRead(path);
        file.Position = encoding.PreambleLength;
        // The array reader takes UTF-8; any other encoding is transcoded on the way in.
        using var stream = encoding.IsStrictUtf8 ? file : Encoding.CreateTranscodingStream(file, encoding.Encoding!, Encoding.UTF8, leaveOpen: true);
        using var progress = new FileProgress(output, file, path, cancellationToken);
        var elements = new JsonArrayStream(stream);
        using var enumerator = elements.Elements().GetEnumerator();
        long count = 0;
        while (true)
        {
            byte[] bytes;
            long line;
            try
            {
                if (!enumerator.MoveNext())
                {
                    break;
                }
                (bytes, line) = enumerator.Current;
            }
            catch (JsonException exception)
            {
                var at = DataFiles.Location(path, exception.LineNumber is { } zeroBased ? zeroBased + 1 : elements.CurrentLine);
                output.WriteError(new RecordError(
                    "InvalidJson", ErrorKind.ParserError, DataFiles.Format(Messages.InvalidJsonDocument, at, exception.Message), at));
                break;
            }
            progress.Tick(++count);
            if (encoding.IsStrictUtf8 && !Utf8.IsValid(bytes))
            {
                FileProgress.ReportInvalidUtf8(output, DataFiles.Location(path, line));
                continue;
            }
            using var document = JsonDocument.Parse(bytes, JsonPlain.DocumentOptions);
            yield return (document.RootElement, line);
        }
    }

    private static int NextNonSpace(TextReader reader)
    {
        int c;
        while ((c = reader.Read()) >= 0 && char.IsWhiteSpace((char)c))
        {
        }
        return c;
    }
}
