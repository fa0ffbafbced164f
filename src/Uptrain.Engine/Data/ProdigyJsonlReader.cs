using System.Globalization;
using System.Text.Json;
using Uptrain.Diagnostics;

namespace Uptrain.Data;

/// <summary>
/// Converts Prodigy annotation rows (the JSONL that <c>prodigy db-out</c> writes) into
/// <see cref="TextcatExample"/>s, following Prodigy's textcat semantics.
/// </summary>
/// <remarks>
/// <para>
/// The reader is stateful: every file and line fed to one instance is merged together. Rows with the
/// same <c>_input_hash</c> (rows without one: the same text, among other rows without one) become one
/// example; disagreeing answers on a label follow <see cref="ProdigyReadOptions.ConflictPolicy"/>.
/// Merged examples come out of <see cref="Complete"/>, in order of first appearance. While merging,
/// the reader keeps per distinct input only its votes and the first row's text, hash, meta and
/// location, never raw lines.
/// </para>
/// <para>
/// With <see cref="ProdigyReadOptions.NoMerge"/> every row becomes an example as soon as it is read and
/// nothing is kept, so files of any size stream through.
/// </para>
/// <para>
/// A bad row (not a JSON object, no text, an unknown answer) is reported through
/// <see cref="IOutputWriter.WriteError"/> with its <c>file:line</c> as target, and reading goes on.
/// </para>
/// </remarks>
public sealed partial class ProdigyJsonlReader
{
    private const string Accept = "accept";
    private const string Reject = "reject";
    private const string Ignore = "ignore";

    private readonly ProdigyReadOptions _options;
    private readonly IOutputWriter _output;

    // Per source, the rows that are tasks without an answer (options, no "answer"), not yet reported.
    private readonly Dictionary<string, long> _unansweredTasks = new(StringComparer.Ordinal);
    private readonly HashSet<string>? _declared;
    private readonly List<string> _labelSet = [];
    private readonly HashSet<string> _labelSetLookup = new(StringComparer.Ordinal);

    // Labels, annotator ids and meta keys repeat on every row: merged entries share one instance of each
    // instead of holding a copy per row. Bounded, so that odd data with unique keys cannot grow it forever.
    private const int SharedStringLimit = 65536;
    private readonly Dictionary<string, string> _shared = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reportedUndeclared = new(StringComparer.Ordinal);
    // An input is its hash and its text: two texts whose 32-bit hashes collide stay two examples.
    private readonly Dictionary<(long Hash, string Text), Entry> _byHash = [];
    private readonly Dictionary<long, Entry> _firstOfHash = [];
    private readonly Dictionary<string, Entry> _byText = new(StringComparer.Ordinal);
    private readonly List<Entry> _entries = [];

    // The votes of the row being read, label → positive, in the row's order (reused across rows).
    private readonly Dictionary<string, bool> _rowVotes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rowAccept = new(StringComparer.Ordinal);
    private readonly List<string> _rowOptions = [];
    private bool _completed;
    private int _textsWithOverrides;

    /// <summary>Creates a reader.</summary>
    /// <param name="options">Label set, exclusivity, conflict policy and merging.</param>
    /// <param name="output">Receives record errors, conflict warnings and verbose detail.</param>
    public ProdigyJsonlReader(ProdigyReadOptions options, IOutputWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        _options = options;
        _output = output;
        if (options.Labels is not null)
        {
            _declared = new HashSet<string>(StringComparer.Ordinal);
            foreach (var label in options.Labels)
            {
                ArgumentNullException.ThrowIfNull(label, nameof(options));
                _declared.Add(label);
                AddToLabelSet(label);
            }
        }
    }

    /// <summary>
    /// The label set so far: the declared <see cref="ProdigyReadOptions.Labels"/> in their order, then
    /// every other label seen in the input, in order of first appearance.
    /// </summary>
    public IReadOnlyList<string> LabelSet => _labelSet;

    /// <summary>
    /// Silver labels (from rows with <c>meta.source</c> <c>uptrain</c>) that people's answers on the same input
    /// overrode, as counted by <see cref="Complete"/> with <see cref="SourcePreference.Human"/>; reported as a warning.
    /// </summary>
    public int OverriddenSilverLabels { get; private set; }

    /// <summary>
    /// Reads the rows of one file. With <see cref="ProdigyReadOptions.NoMerge"/> the result is lazy: it
    /// reads the file as it is enumerated and yields one example per row. Otherwise the whole file is
    /// read into the merge state before this method returns, the result is empty, and the examples
    /// come from <see cref="Complete"/>.
    /// </summary>
    /// <param name="path">The JSONL file; locations are reported as <c>path:line</c>.</param>
    /// <param name="cancellationToken">Checked every few thousand lines.</param>
    /// <remarks>
    /// The file holds one row per line or, as Prodigy's JSON export does, one array of rows (pretty-printed
    /// or not); it is decoded as <see cref="ProdigyReadOptions.Encoding"/> says.
    /// </remarks>
    /// <exception cref="UptrainException">
    /// <c>FileNotFound</c> when the file does not exist; <c>NotATextFile</c> when it is binary.
    /// </exception>
    public IEnumerable<TextcatExample> ReadFile(string path, CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        DataFiles.RequireFile(path);
        if (_options.NoMerge)
        {
            return StreamFile(JsonRecords.Read(path, _options.Encoding, _output, cancellationToken), path);
        }
        foreach (var (row, lineNumber) in JsonRecords.Read(path, _options.Encoding, _output, cancellationToken))
        {
            Process(row, DataFiles.Location(path, lineNumber), path, lineNumber);
        }
        FlushTasks();
        return [];
    }

    /// <summary>One warning per source that held unanswered tasks: what the file is, and how to answer it.</summary>
    private void FlushTasks()
    {
        foreach (var (source, count) in _unansweredTasks)
        {
            _output.WriteWarning(DataFiles.Format(Messages.UnansweredTasks, source, count));
        }

        _unansweredTasks.Clear();
    }

    /// <summary>
    /// Reads one row that did not come from a file (a piped string). Returns the example at once with
    /// <see cref="ProdigyReadOptions.NoMerge"/>, else nothing (the row joins the merge state).
    /// </summary>
    /// <param name="line">One JSON object.</param>
    /// <param name="sourceName">Names where the line came from, for <see cref="TextcatExample.Source"/> and messages.</param>
    /// <param name="lineNumber">The line's number within <paramref name="sourceName"/>, from 1.</param>
    public IEnumerable<TextcatExample> AddLine(string line, string sourceName, long lineNumber)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(sourceName);
        ThrowIfCompleted();
        return Process(line, sourceName, lineNumber) is { } example ? [example] : [];
    }

    /// <summary>
    /// Ends the input and yields the merged examples in order of first appearance, after conflict
    /// resolution and, in exclusive mode, validation and zero-filling. Nothing with
    /// <see cref="ProdigyReadOptions.NoMerge"/>. The reader takes no more input afterwards.
    /// </summary>
    public IEnumerable<TextcatExample> Complete()
    {
        ThrowIfCompleted();
        _completed = true;
        FlushTasks();
        _byHash.Clear();
        _firstOfHash.Clear();
        _byText.Clear();
        return EmitMerged();
    }

    private IEnumerable<TextcatExample> EmitMerged()
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            var example = Resolve(_entries[i]);
            _entries[i] = null!; // let the entry go once it has become an example
            if (FinishExclusive(example))
            {
                yield return example;
            }
        }
        _entries.Clear();
        if (OverriddenSilverLabels > 0)
        {
            _output.WriteWarning(DataFiles.Format(Messages.SilverOverridden, OverriddenSilverLabels, _textsWithOverrides));
        }
    }

    private IEnumerable<TextcatExample> StreamFile(IEnumerable<(JsonElement Row, long Line)> rows, string path)
    {
        foreach (var (row, lineNumber) in rows)
        {
            if (Process(row, DataFiles.Location(path, lineNumber), path, lineNumber) is { } example)
            {
                yield return example;
            }
        }

        FlushTasks();
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The reader has completed; create a new reader for more input.");
        }
    }

    /// <summary>Reads one row. Returns its example with NoMerge; otherwise merges it and returns null.</summary>
    private TextcatExample? Process(string line, string sourceName, long lineNumber)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }
        var location = DataFiles.Location(sourceName, lineNumber);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, JsonPlain.DocumentOptions);
        }
        catch (JsonException exception)
        {
            Error("InvalidJsonLine", ErrorKind.ParserError, DataFiles.Format(Messages.InvalidJson, location, JsonPlain.LineError(exception)), location);
            return null;
        }
        using (document)
        {
            return Process(document.RootElement, location, sourceName, lineNumber);
        }
    }

    private TextcatExample? Process(JsonElement row, string location, string sourceName, long lineNumber)
    {
        if (row.ValueKind != JsonValueKind.Object)
        {
            Error("InvalidJsonLine", ErrorKind.ParserError, DataFiles.Format(Messages.InvalidJson, location, row.ValueKind), location);
            return null;
        }
        var answer = row.TryGetProperty("answer", out var answerElement) && answerElement.ValueKind == JsonValueKind.String
            ? answerElement.GetString()
            : null;
        if (answer == Ignore)
        {
            return null;
        }
        if (!row.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
        {
            Error("MissingText", ErrorKind.InvalidData, DataFiles.Format(Messages.MissingText, location), location);
            return null;
        }
        if (answer is null && !row.TryGetProperty("answer", out _) && row.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Array)
        {
            // A task, not an annotation (the review file Select-UptrainExample -ReviewPath writes): counted and named once
            // per source (FlushTasks), not an error per line.
            _unansweredTasks[sourceName] = _unansweredTasks.GetValueOrDefault(sourceName) + 1;
            return null;
        }
        if (answer is not (Accept or Reject))
        {
            var given = row.TryGetProperty("answer", out _) ? answerElement.GetRawText() : "(none)";
            Error("InvalidAnswer", ErrorKind.InvalidData, DataFiles.Format(Messages.InvalidAnswer, location, given), location);
            return null;
        }
        if (!CollectVotes(row, answer == Accept))
        {
            Error("InvalidOptions", ErrorKind.InvalidData, DataFiles.Format(Messages.InvalidOptions, location), location);
            return null;
        }

        var text = textElement.GetString()!;
        long? hash = row.TryGetProperty("_input_hash", out var hashElement)
            && hashElement.ValueKind == JsonValueKind.Number
            && hashElement.TryGetInt64(out var hashValue)
            ? hashValue
            : null;
        var annotator = AnnotatorOf(row);
        // Prodigy's answers are a closed set: share the constants instead of one string per row.
        answer = answer == Accept ? Accept : Reject;

        if (_options.NoMerge)
        {
            var example = new TextcatExample(text) { InputHash = hash, Source = location };
            example.Answers.Add(answer);
            if (annotator is not null)
            {
                example.Annotators.Add(annotator);
            }
            CopyMeta(row, example.Meta);
            foreach (var (label, positive) in _rowVotes)
            {
                example.Cats[label] = positive ? 1.0 : 0.0;
            }
            return FinishExclusive(example) ? example : null;
        }

        Merge(text, hash, sourceName, lineNumber, row, answer, annotator, IsSilver(row));
        return null;
    }

    /// <summary>
    /// Fills <see cref="_rowVotes"/> with the row's answers per label, after the declared-label filter.
    /// Returns false when <c>options</c> is present but malformed.
    /// </summary>
    private bool CollectVotes(JsonElement row, bool accepted)
    {
        _rowVotes.Clear();
        _rowAccept.Clear();
        _rowOptions.Clear();
        if (row.TryGetProperty("options", out var options) && options.ValueKind != JsonValueKind.Null)
        {
            // Choice task (choice, blocks or any other view): options and accept carry the labels.
            if (options.ValueKind != JsonValueKind.Array)
            {
                return false;
            }
            foreach (var option in options.EnumerateArray())
            {
                if (option.ValueKind != JsonValueKind.Object
                    || !option.TryGetProperty("id", out var idElement)
                    || JsonPlain.LabelOf(idElement) is not { } id)
                {
                    return false;
                }
                _rowOptions.Add(id);
            }
            if (row.TryGetProperty("accept", out var acceptElement) && acceptElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in acceptElement.EnumerateArray())
                {
                    if (JsonPlain.LabelOf(item) is { } id)
                    {
                        _rowAccept.Add(id);
                    }
                }
            }
            if (accepted)
            {
                // Accept: the chosen options apply, every other option does not.
                foreach (var id in _rowOptions)
                {
                    Vote(id, _rowAccept.Contains(id));
                }
                foreach (var id in _rowAccept)
                {
                    Vote(id, true);
                }
            }
            else
            {
                // Reject: the chosen options do not apply; nothing is known about the others.
                foreach (var id in _rowAccept)
                {
                    Vote(id, false);
                }
            }
        }
        else if (row.TryGetProperty("label", out var labelElement) && JsonPlain.LabelOf(labelElement) is { } label)
        {
            // Binary task: the answer is about this one label.
            Vote(label, accepted);
        }
        return true;
    }

    private void Vote(string label, bool positive)
    {
        if (_declared is not null && !_declared.Contains(label))
        {
            if (_reportedUndeclared.Add(label))
            {
                _output.WriteVerbose(DataFiles.Format(Messages.LabelNotDeclared, label));
            }
            return;
        }
        label = Share(label);
        _rowVotes[label] = positive;
        AddToLabelSet(label);
    }

    private void AddToLabelSet(string label)
    {
        if (_labelSetLookup.Add(label))
        {
            _labelSet.Add(label);
        }
    }

    /// <summary>
    /// In exclusive mode, checks that the example has exactly one positive label (reporting it
    /// otherwise) and sets every other label of the label set to 0. Returns false to leave it out.
    /// </summary>
    private bool FinishExclusive(TextcatExample example)
    {
        if (!_options.Exclusive)
        {
            return true;
        }
        var positives = example.PositiveLabels.ToList();
        if (positives.Count != 1)
        {
            var preview = DataFiles.Preview(example.Text);
            var message = positives.Count == 0
                ? DataFiles.Format(Messages.NotExclusiveNone, example.Source, preview)
                : DataFiles.Format(Messages.NotExclusiveMany, example.Source, preview, positives.Count, string.Join(", ", positives));
            Error("NotExclusive", ErrorKind.InvalidData, message, example.Source);
            return false;
        }
        foreach (var label in _labelSet)
        {
            example.Cats.TryAdd(label, 0.0);
        }
        return true;
    }

    private string? AnnotatorOf(JsonElement row)
    {
        foreach (var name in (ReadOnlySpan<string>)["_annotator_id", "_session_id"])
        {
            if (row.TryGetProperty(name, out var element) && JsonPlain.LabelOf(element) is { Length: > 0 } id)
            {
                return Share(id);
            }
        }
        return null;
    }

    private string Share(string value)
    {
        if (_shared.TryGetValue(value, out var shared))
        {
            return shared;
        }
        if (_shared.Count < SharedStringLimit)
        {
            _shared.Add(value, value);
        }
        return value;
    }

    private void CopyMeta(JsonElement row, Dictionary<string, object?> meta)
    {
        if (row.TryGetProperty("meta", out var element) && element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                meta[Share(property.Name)] = JsonPlain.ToPlain(property.Value);
            }
        }
    }

    private void Error(string errorId, ErrorKind kind, string message, string? target) =>
        _output.WriteError(new RecordError(errorId, kind, message, target));
}
