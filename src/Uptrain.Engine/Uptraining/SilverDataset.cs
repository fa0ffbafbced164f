using System.Buffers;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Uptrain.Data;
using Uptrain.Diagnostics;

namespace Uptrain.Uptraining;

/// <summary>
/// The Prodigy JSONL dataset that accepted texts are appended to as silver records (see
/// <see cref="UptrainRecords.WriteSilver"/>). Each record is appended whole under an exclusive lock and reaches
/// the operating system before the next (<see cref="AppendFile"/>), so concurrent writers interleave whole lines
/// and a crash loses nothing already added. Idempotent: a record is identified by its task hash and its text (a
/// 128-bit digest of it: two texts whose 32-bit hashes collide are two records), the records in the file are read
/// when it is opened, and under the lock of every append whatever other writers added since is read too, so a record
/// that is there already (from this writer or another) is not added again.
/// </summary>
/// <remarks>
/// Everything already in the file is never touched. Lines of the file that are not JSON objects with a numeric
/// <c>_task_hash</c> and a <c>text</c> are ignored.
/// </remarks>
public sealed class SilverDataset : IDisposable
{
    /// <summary>Bytes read at a time from the file.</summary>
    private const int ReadChunk = 1 << 16;

    private readonly HashSet<RecordKey> _records = [];
    private readonly SourceCheck _sourceCheck;
    private readonly AppendFile _file;
    private readonly ArrayBufferWriter<byte> _record = new();
    private readonly bool _exclusive;

    /// <summary>Where this writer has read the file up to: just after the last complete line it read (or wrote).</summary>
    private long _readUpTo;

    /// <summary>Complete lines read so far (at the open, the number of the file's last whole line).</summary>
    private long _linesRead;

    /// <summary>The buffer the file is read through, made at the first read.</summary>
    private byte[]? _chunk;

    /// <summary>Opens <paramref name="path"/> (created with the first record) for records of an exclusive or multilabel model.</summary>
    /// <exception cref="UptrainException"><c>DirectoryNotFound</c>; <c>NotATextFile</c> when the file is not text.</exception>
    public SilverDataset(string path, bool exclusive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        Path = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(folder))
        {
            throw new UptrainException("DirectoryNotFound", ErrorKind.ObjectNotFound, DataFiles.Format(Messages.DirectoryNotFound, folder), folder);
        }
        _exclusive = exclusive;
        if (File.Exists(Path))
        {
            using var reader = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            var length = RandomAccess.GetLength(reader.SafeFileHandle);
            ReadNewRecords(reader.SafeFileHandle, length, cancellationToken);
            if (_readUpTo < length)
            {
                TornLine = _linesRead + 1;
            }
        }

        Existing = _records.Count;
        _sourceCheck = new SourceCheck(Path);
        _file = new AppendFile(Path);
    }

    /// <summary>The dataset's full path.</summary>
    public string Path { get; }

    /// <summary>Distinct records (task hash and text) in the file when it was opened.</summary>
    public int Existing { get; }

    /// <summary>
    /// The number of the file's last line when it was opened without its line break (a writer stopped half way): it holds
    /// no record, and the next record starts on a new line. Null when the file ended with a whole line.
    /// </summary>
    public long? TornLine { get; }

    /// <summary>Records added.</summary>
    public int Added { get; private set; }

    /// <summary>Accepted texts not added because their record was already in the dataset.</summary>
    public int AlreadyThere { get; private set; }

    /// <summary>
    /// Appends the silver record of an accepted <paramref name="decision"/> unless the dataset has it already;
    /// true when it was added.
    /// </summary>
    /// <exception cref="UptrainException"><c>TargetIsInput</c> when the prediction was read from the dataset; <c>FileLocked</c>.</exception>
    public bool Add(UptrainDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Route != TriageRoute.Accept)
        {
            throw new ArgumentException("Only accepted decisions have a silver record.", nameof(decision));
        }
        _sourceCheck.ThrowIfTarget(decision.Source);
        var key = new RecordKey(UptrainRecords.SilverTaskHash(decision), UptrainHashes.TextDigest(decision.Text));
        if (_records.Contains(key))
        {
            AlreadyThere++;
            return false;
        }
        using (var json = new Utf8JsonWriter(_record, JsonPlain.WriterOptions))
        {
            UptrainRecords.WriteSilver(json, decision, _exclusive);
        }
        _record.Write("\n"u8);
        var readUpTo = 0L;
        var end = _file.AppendUnless(_record.WrittenSpan, (handle, length) =>
        {
            // Under the lock: what other writers added since this one last looked.
            ReadNewRecords(handle, length, CancellationToken.None);
            readUpTo = length;
            return _records.Contains(key);
        });
        _record.ResetWrittenCount();
        if (end < 0)
        {
            AlreadyThere++;
            return false;
        }

        _records.Add(key);
        if (_readUpTo == readUpTo)
        {
            // Nothing unread lies before this writer's own line (at most a line break put in front of it).
            _readUpTo = end;
        }

        Added++;
        return true;
    }

    /// <summary>
    /// Reads the complete lines between <see cref="_readUpTo"/> and <paramref name="end"/> into <see cref="_records"/>
    /// and moves <see cref="_readUpTo"/> past them; a last line without its line break (a writer half way) is left for later.
    /// </summary>
    private void ReadNewRecords(SafeFileHandle handle, long end, CancellationToken cancellationToken)
    {
        if (_readUpTo >= end)
        {
            // Nothing new: the usual case under the lock, where the last line is this writer's own.
            return;
        }

        var carry = new ArrayBufferWriter<byte>();
        var chunk = _chunk ??= new byte[ReadChunk];
        var position = _readUpTo;
        while (position < end)
        {
            var read = RandomAccess.Read(handle, chunk.AsSpan(0, (int)Math.Min(chunk.Length, end - position)), position);
            if (read <= 0)
            {
                break;
            }

            position += read;
            var data = chunk.AsSpan(0, read);
            int newLine;
            while ((newLine = data.IndexOf((byte)'\n')) >= 0)
            {
                if (carry.WrittenCount > 0)
                {
                    carry.Write(data[..newLine]);
                    AddRecordOf(carry.WrittenSpan);
                    carry.ResetWrittenCount();
                }
                else
                {
                    AddRecordOf(data[..newLine]);
                }

                _readUpTo = position - data.Length + newLine + 1;
                _linesRead++;
                data = data[(newLine + 1)..];
                if ((_linesRead & 4095) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            carry.Write(data);
        }
    }

    private void AddRecordOf(ReadOnlySpan<byte> line)
    {
        if (line.IndexOf("_task_hash"u8) >= 0 && KeyOf(line) is { } key)
        {
            _records.Add(key);
        }
    }

    /// <summary>Checks that an input read from <paramref name="source"/> (<c>file:line</c>) is not a line of the dataset.</summary>
    /// <exception cref="UptrainException"><c>TargetIsInput</c>.</exception>
    public void ThrowIfInput(string? source) => _sourceCheck.ThrowIfTarget(source);

    /// <summary>Writes what was added through to the disk and closes the file.</summary>
    public void Dispose()
    {
        _file.FlushToDisk();
        _file.Dispose();
    }

    /// <summary>The identity of a record: task hash and text.</summary>
    private readonly record struct RecordKey(long TaskHash, UInt128 Text);

    private static RecordKey? KeyOf(ReadOnlySpan<byte> line)
    {
        try
        {
            // Strict JSON, as JsonPlain.DocumentOptions reads it (the reader's defaults).
            var reader = new Utf8JsonReader(line);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("_task_hash", out var hash) && hash.TryGetInt64(out var value)
                && root.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
                    ? new RecordKey(value, UptrainHashes.TextDigest(text.GetString()!))
                    : null;
        }
        catch (JsonException)
        {
            // A line cut short by a crash, or not JSON: it holds no record to repeat.
            return null;
        }
    }
}
