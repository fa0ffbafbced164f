using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Uptrain.Data;
using Uptrain.Diagnostics;

namespace Uptrain.Uptraining.Review;

/// <summary>
/// The answers file: Prodigy JSONL, one answer a line, appended and flushed to disk per answer under the
/// per-record lock of <see cref="AppendFile"/>, so a crash or Ctrl+C loses at most the answer being given.
/// </summary>
/// <remarks>
/// Undo takes the last answer of this session back off the end of the file (truncation under the same lock)
/// rather than appending a marker: <c>ConvertFrom-ProdigyJsonl</c> merges every row of an input, so a withdrawn
/// answer must not stay in the file. When another writer has appended after it, undo refuses and says so.
/// </remarks>
internal sealed class ReviewAnswerLog : IDisposable
{
    private readonly AppendFile _file;
    private readonly Stack<byte[]> _written = new();

    /// <summary>Prepares to append to <paramref name="path"/> (a full path); the file is created with the first answer.</summary>
    public ReviewAnswerLog(string path) => _file = new AppendFile(path);

    /// <summary>The answers file.</summary>
    public string Path => _file.Path;

    /// <summary>Answers of this session that <see cref="TryUndo"/> can still take back.</summary>
    public int UndoableCount => _written.Count;

    /// <summary>
    /// The resume keys (input hash, else text) of every answer already in the file at <paramref name="path"/>;
    /// empty when there is no file. A line that is not a JSON object with a text (a record cut short) is reported
    /// as a warning and does not count.
    /// </summary>
    public static HashSet<string> ReadAnsweredKeys(string path, IOutputWriter output, CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return keys;
        }
        foreach (var (record, line) in JsonRecords.Read(path, null, output, cancellationToken))
        {
            if (record.ValueKind != JsonValueKind.Object
                || !record.TryGetProperty("text", out var text)
                || text.ValueKind != JsonValueKind.String)
            {
                output.WriteWarning(DataFiles.Format(Messages.ReviewAnswerUnreadable, DataFiles.Location(path, line)));
                continue;
            }
            long? hash = record.TryGetProperty("_input_hash", out var hashElement) && hashElement.TryGetInt64(out var value) ? value : null;
            keys.Add(ReviewTask.InputKey(hash, text.GetString()!));
        }
        return keys;
    }

    /// <summary>
    /// The answer record of <paramref name="task"/>: the task with <c>answer</c>, <c>accept</c> set to
    /// <paramref name="accept"/>, <c>_timestamp</c> (Unix seconds), <c>_annotator_id</c> and <c>meta.source</c> = "review".
    /// </summary>
    public static JsonObject ToAnswer(ReviewTask task, ReviewAnswer answer, IEnumerable<string> accept, string annotator, DateTimeOffset now)
    {
        var record = (JsonObject)task.Json.DeepClone();
        record["answer"] = answer switch
        {
            ReviewAnswer.Accept => "accept",
            ReviewAnswer.Reject => "reject",
            _ => "ignore",
        };
        record["accept"] = new JsonArray(accept.Select(label => (JsonNode?)JsonValue.Create(label)).ToArray());
        record["_timestamp"] = now.ToUnixTimeSeconds();
        record["_annotator_id"] = annotator;
        var meta = record["meta"] as JsonObject ?? new JsonObject();
        record["meta"] = meta;
        meta["source"] = "review";
        return record;
    }

    /// <summary>Appends one answer and flushes it to disk.</summary>
    public void Append(JsonObject answer)
    {
        var bytes = Encoding.UTF8.GetBytes(answer.ToJsonString(SerializerOptions) + "\n");
        _file.Append(bytes);
        _file.FlushToDisk();
        _written.Push(bytes);
    }

    /// <summary>
    /// Takes the last answer of this session back off the file. Returns false when there is none, or when the
    /// file no longer ends with it (another writer appended since), leaving the file as it is.
    /// </summary>
    public bool TryUndo()
    {
        if (_written.Count == 0 || !_file.TryRemoveLast(_written.Peek()))
        {
            return false;
        }
        _written.Pop();
        _file.FlushToDisk();
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        Encoder = JsonPlain.WriterOptions.Encoder,
        WriteIndented = false,
    };
}
