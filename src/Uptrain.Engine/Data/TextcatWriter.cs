using System.Buffers;
using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Uptrain.Diagnostics;
using Uptrain.IO;

namespace Uptrain.Data;

/// <summary>The file formats <see cref="TextcatWriter"/> writes.</summary>
public enum TextcatWriteFormat
{
    /// <summary>One <c>{"text": ..., "cats": {...}, "meta": {...}}</c> object per line; only known labels, meta when not empty.</summary>
    SpacyJsonl,

    /// <summary>One <c>["text", {"cats": {...}}]</c> pair per line.</summary>
    SpacyTuple,

    /// <summary>
    /// A header <c>text,label1,label2,...</c> and one row per example with 1, 0 or empty (unknown). The
    /// header needs every label of every example, so a new CSV file is written only when
    /// <see cref="TextcatWriter.Commit"/> is called and the examples are held in memory until then.
    /// </summary>
    Csv,

    /// <summary>
    /// One accepted Prodigy choice row per example: <c>options</c> are its known labels,
    /// <c>accept</c> its positive labels, with <c>_input_hash</c> and <c>meta</c> when present.
    /// </summary>
    ProdigyJsonl,
}

/// <summary>
/// Writes examples to a file, safely. A new file is written to a temporary file in the same folder and
/// moved into place by <see cref="Commit"/>; disposing without committing leaves the target untouched,
/// and so does committing when no example was written (no empty file replaces or creates the target).
/// In append mode every record is added whole, under an exclusive lock, and reaches the operating system
/// at once, so concurrent writers interleave whole records and a crash loses nothing already written.
/// An example read from the target itself (its <see cref="TextcatExample.Source"/>) is refused.
/// </summary>
/// <remarks>
/// Refusing to overwrite is the caller's decision: call <see cref="ThrowIfExists"/> unless the user
/// asked to overwrite. Opening a new file removes the temporary files that killed writers left beside the
/// target. The writer is not thread-safe.
/// </remarks>
public sealed class TextcatWriter : IDisposable
{
    private readonly IOutputWriter _output;
    private readonly SourceCheck _sourceCheck;

    // A new file: its temporary file. Appending: the file, and the record being built.
    private readonly PendingFile? _pending;
    private readonly AppendFile? _appendFile;
    private readonly ArrayBufferWriter<byte>? _record;
    private readonly Utf8JsonWriter? _json;

    // CSV: the examples of a new file, buffered until Commit; the header of an appended file.
    private readonly List<(TextcatExample Example, IReadOnlyDictionary<string, double>? Scores)>? _buffered;
    private readonly string[]? _appendHeader;
    private readonly int _appendTextIndex;
    private readonly StringWriter? _csvRow;
    private readonly CsvWriter? _csv;
    private bool _committed;
    private bool _disposed;

    /// <summary>Opens <paramref name="path"/> for writing.</summary>
    /// <param name="path">The target file; its folder must exist.</param>
    /// <param name="format">The format to write.</param>
    /// <param name="output">Receives record errors (<c>LabelNotInHeader</c>).</param>
    /// <param name="append">
    /// True to add to the file (created when missing) and flush every record. An appended CSV file keeps
    /// its header; appending to a missing or empty CSV file writes a new one, buffered like any new CSV file.
    /// </param>
    /// <exception cref="UptrainException"><c>DirectoryNotFound</c>; <c>ColumnNotFound</c> for an appended CSV without a text column.</exception>
    /// <remarks>An appended file is opened (and, when missing, created) with its first record.</remarks>
    public TextcatWriter(string path, TextcatWriteFormat format, IOutputWriter output, bool append = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(output);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }
        Path = System.IO.Path.GetFullPath(path);
        Format = format;
        _output = output;
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(folder))
        {
            throw new UptrainException(
                "DirectoryNotFound", ErrorKind.ObjectNotFound, DataFiles.Format(Messages.DirectoryNotFound, folder), folder);
        }
        _sourceCheck = new SourceCheck(Path);
        var existing = new FileInfo(Path);
        Append = append && !(format == TextcatWriteFormat.Csv && (!existing.Exists || existing.Length == 0));
        if (Append)
        {
            TempFiles.RemoveStale(Path);
            _appendFile = new AppendFile(Path);
            if (format == TextcatWriteFormat.Csv)
            {
                _appendHeader = TextcatCsvColumns.ReadHeader(Path, out _appendTextIndex);
                _csvRow = new StringWriter(CultureInfo.InvariantCulture);
                _csv = new CsvWriter(_csvRow, CsvConfiguration(), leaveOpen: true);
            }
            else
            {
                _record = new ArrayBufferWriter<byte>();
                _json = new Utf8JsonWriter(_record, JsonPlain.WriterOptions);
            }
            return;
        }

        _pending = AtomicFile.Create(Path, DataFiles.BufferSize);
        if (format == TextcatWriteFormat.Csv)
        {
            _buffered = [];
        }
        else
        {
            _json = new Utf8JsonWriter(_pending.Stream, JsonPlain.WriterOptions);
        }
    }

    /// <summary>The full path of the target file.</summary>
    public string Path { get; }

    /// <summary>The format being written.</summary>
    public TextcatWriteFormat Format { get; }

    /// <summary>True when records go straight into the existing file, whole and one by one.</summary>
    public bool Append { get; }

    /// <summary>The examples written (or, for a new CSV file, accepted for writing) so far.</summary>
    public int Count { get; private set; }

    /// <summary>The format a file name implies when none is given: CSV for <c>.csv</c>, else spaCy JSONL.</summary>
    public static TextcatWriteFormat FormatFromExtension(string path) =>
        string.Equals(System.IO.Path.GetExtension(path), ".csv", StringComparison.OrdinalIgnoreCase)
            ? TextcatWriteFormat.Csv
            : TextcatWriteFormat.SpacyJsonl;

    /// <summary>Throws <c>FileExists</c> (ResourceExists) when <paramref name="path"/> exists: call it unless the user allowed overwriting.</summary>
    /// <exception cref="UptrainException"><c>FileExists</c>.</exception>
    public static void ThrowIfExists(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            throw new UptrainException("FileExists", ErrorKind.ResourceExists, DataFiles.Format(Messages.FileExists, path), path);
        }
    }

    /// <summary>True when <paramref name="first"/> and <paramref name="second"/> name one file (full paths, symbolic links resolved).</summary>
    public static bool SameFile(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return SourceCheck.SameFile(first, second);
    }

    /// <summary>
    /// Throws <c>TargetIsInput</c> when any of <paramref name="examples"/> was read from <paramref name="path"/>:
    /// for callers that hold all examples and write several files, to refuse before writing any.
    /// </summary>
    /// <exception cref="UptrainException"><c>TargetIsInput</c>.</exception>
    public static void ThrowIfInput(string path, IEnumerable<TextcatExample> examples)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(examples);
        var check = new SourceCheck(System.IO.Path.GetFullPath(path));
        foreach (var example in examples)
        {
            check.ThrowIfTarget(example.Source);
        }
    }

    /// <summary>Writes all <paramref name="examples"/> to <paramref name="path"/> and commits; returns how many were written.</summary>
    public static int WriteAll(
        string path, IEnumerable<TextcatExample> examples, TextcatWriteFormat format, IOutputWriter output, bool append = false)
    {
        ArgumentNullException.ThrowIfNull(examples);
        using var writer = new TextcatWriter(path, format, output, append);
        foreach (var example in examples)
        {
            writer.Write(example);
        }
        writer.Commit();
        return writer.Count;
    }

    /// <summary>Writes one example (a new CSV file buffers it until <see cref="Commit"/>).</summary>
    /// <exception cref="UptrainException"><c>TargetIsInput</c> when the example was read from the target.</exception>
    public void Write(TextcatExample example) => Write(example, null);

    /// <summary>
    /// Writes one example with a model's <paramref name="scores"/> (label → probability): CSV gets the
    /// prediction columns of <see cref="TextcatCsvColumns"/> (a new file, or an appended file whose header has
    /// them); the other formats write the example only.
    /// </summary>
    /// <exception cref="UptrainException"><c>TargetIsInput</c> when the example was read from the target.</exception>
    public void Write(TextcatExample example, IReadOnlyDictionary<string, double>? scores)
    {
        ArgumentNullException.ThrowIfNull(example);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException("The writer has been committed.");
        }
        _sourceCheck.ThrowIfTarget(example.Source);
        switch (Format)
        {
            case TextcatWriteFormat.Csv when _buffered is not null:
                _buffered.Add((example, scores));
                break;
            case TextcatWriteFormat.Csv:
                if (!WriteAppendedCsvRow(example, scores))
                {
                    return;
                }
                break;
            default:
                WriteJson(example);
                break;
        }
        Count++;
    }

    /// <summary>
    /// Finishes the file: writes a buffered CSV file, flushes, and moves a new file into place
    /// (replacing the target if it exists). When no example was written the target is left as it was:
    /// not replaced, and not created.
    /// </summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            return;
        }
        if (Count == 0)
        {
            Discard();
            _committed = true;
            return;
        }
        if (_buffered is not null)
        {
            WriteBufferedCsv();
        }
        _json?.Flush();
        _appendFile?.FlushToDisk();
        CloseStreams();
        _pending?.Commit();
        _committed = true;
    }

    /// <summary>Closes the file. Without <see cref="Commit"/>, a new file's temporary file is deleted and the target is left untouched.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_committed)
        {
            Discard();
        }
    }

    /// <summary>Closes the file and deletes a new file's temporary file, leaving the target as it was.</summary>
    private void Discard()
    {
        try
        {
            CloseStreams();
        }
        finally
        {
            _pending?.Dispose();
        }
    }

    private void CloseStreams()
    {
        _csv?.Dispose();
        _csvRow?.Dispose();
        _json?.Dispose();
        _appendFile?.Dispose();
    }

    private void WriteJson(TextcatExample example)
    {
        var json = _json!;
        json.Reset();
        TextcatJsonRecords.Write(json, Format, example);
        json.Flush();
        if (_record is null)
        {
            _pending!.Stream.WriteByte((byte)'\n');
            return;
        }
        _record.Write("\n"u8);
        _appendFile!.Append(_record.WrittenSpan);
        _record.ResetWrittenCount();
    }

    private CsvConfiguration CsvConfiguration()
    {
        var configuration = CsvTextcatReader.Configuration(CsvTextcatReader.DefaultDelimiter(Path));
        configuration.NewLine = "\n";
        return configuration;
    }

    private void WriteBufferedCsv()
    {
        var header = TextcatCsvColumns.Header(_buffered!);
        var text = new StreamWriter(_pending!.Stream, DataFiles.Utf8NoBom, DataFiles.BufferSize, leaveOpen: true);
        var csv = new CsvWriter(text, CsvConfiguration(), leaveOpen: true);
        using (text)
        using (csv)
        {
            foreach (var column in header)
            {
                csv.WriteField(column);
            }
            csv.NextRecord();
            foreach (var (example, scores) in _buffered!)
            {
                csv.WriteField(example.Text);
                for (var i = 1; i < header.Length; i++)
                {
                    csv.WriteField(TextcatCsvColumns.Value(header[i], example, scores));
                }
                csv.NextRecord();
            }
            csv.Flush();
            text.Flush();
        }
        _buffered!.Clear();
    }

    private bool WriteAppendedCsvRow(TextcatExample example, IReadOnlyDictionary<string, double>? scores)
    {
        var header = _appendHeader!;
        foreach (var label in example.Cats.Keys)
        {
            var index = Array.IndexOf(header, label);
            if (index < 0 || index == _appendTextIndex || TextcatCsvColumns.IsPredictionColumn(label))
            {
                var name = example.Source ?? "\"" + DataFiles.Preview(example.Text) + "\"";
                _output.WriteError(new RecordError(
                    "LabelNotInHeader", ErrorKind.InvalidData, DataFiles.Format(Messages.LabelNotInHeader, name, label, Path), example));
                return false;
            }
        }
        for (var i = 0; i < header.Length; i++)
        {
            _csv!.WriteField(i == _appendTextIndex ? example.Text : TextcatCsvColumns.Value(header[i], example, scores));
        }
        _csv!.NextRecord();
        _csv.Flush();
        var row = _csvRow!.GetStringBuilder();
        _appendFile!.Append(DataFiles.Utf8NoBom.GetBytes(row.ToString()));
        row.Clear();
        return true;
    }
}
