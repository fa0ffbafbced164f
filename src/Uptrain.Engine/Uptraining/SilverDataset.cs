using System.Buffers;
using System.Text.Json;
using Uptrain.Data;
using Uptrain.Diagnostics;

namespace Uptrain.Uptraining;

/// <summary>
/// The Prodigy JSONL dataset that accepted texts are appended to as silver records (see
/// <see cref="UptrainRecords.WriteSilver"/>). Each record is appended whole under an exclusive lock and reaches
/// the operating system before the next (<see cref="AppendFile"/>), so concurrent writers interleave whole lines
/// and a crash loses nothing already added. Idempotent: the task hashes already in the file are read when it
/// is opened, and a record whose task hash is there (or was added since) is not added again.
/// </summary>
/// <remarks>
/// Two writers that add the same new text at the same moment may both add it; everything else in the file is
/// never touched. Lines of the file that are not JSON objects with a numeric <c>_task_hash</c> are ignored.
/// </remarks>
public sealed class SilverDataset : IDisposable
{
    private readonly HashSet<long> _taskHashes;
    private readonly SourceCheck _sourceCheck;
    private readonly AppendFile _file;
    private readonly ArrayBufferWriter<byte> _record = new();
    private readonly bool _exclusive;

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
        _taskHashes = File.Exists(Path) ? ReadTaskHashes(Path, cancellationToken) : [];
        Existing = _taskHashes.Count;
        _sourceCheck = new SourceCheck(Path);
        _file = new AppendFile(Path);
    }

    /// <summary>The dataset's full path.</summary>
    public string Path { get; }

    /// <summary>Distinct task hashes in the file when it was opened.</summary>
    public int Existing { get; }

    /// <summary>Records added.</summary>
    public int Added { get; private set; }

    /// <summary>Accepted texts not added because their record was already in the dataset.</summary>
    public int AlreadyThere { get; private set; }

    /// <summary>The task hashes of the records in <paramref name="path"/>.</summary>
    public static HashSet<long> ReadTaskHashes(string path, CancellationToken cancellationToken = default)
    {
        var hashes = new HashSet<long>();
        foreach (var (_, line) in FileProgress.ReadLines(path, NullOutputWriter.Instance, cancellationToken))
        {
            if (line.Contains("_task_hash", StringComparison.Ordinal) && TaskHashOf(line) is { } hash)
            {
                hashes.Add(hash);
            }
        }
        return hashes;
    }

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
        if (!_taskHashes.Add(UptrainRecords.SilverTaskHash(decision)))
        {
            AlreadyThere++;
            return false;
        }
        using (var json = new Utf8JsonWriter(_record, JsonPlain.WriterOptions))
        {
            UptrainRecords.WriteSilver(json, decision, _exclusive);
        }
        _record.Write("\n"u8);
        _file.Append(_record.WrittenSpan);
        _record.ResetWrittenCount();
        Added++;
        return true;
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

    private static long? TaskHashOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line, JsonPlain.DocumentOptions);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("_task_hash", out var hash)
                && hash.TryGetInt64(out var value)
                    ? value
                    : null;
        }
        catch (JsonException)
        {
            // A line cut short by a crash, or not JSON: it holds no record to repeat.
            return null;
        }
    }
}
