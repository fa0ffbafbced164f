using System.Text.Json;

namespace Uptrain.Data;

/// <summary>The merging half of <see cref="ProdigyJsonlReader"/>: rows of one input into one entry, entries into examples.</summary>
public sealed partial class ProdigyJsonlReader
{
    /// <summary>True for a row that triage wrote (<c>meta.source</c> <c>uptrain</c>) when people's answers are to win.</summary>
    private bool IsSilver(JsonElement row) =>
        _options.PreferSource == SourcePreference.Human
        && row.TryGetProperty("meta", out var meta)
        && meta.ValueKind == JsonValueKind.Object
        && meta.TryGetProperty("source", out var source)
        && source.ValueKind == JsonValueKind.String
        && source.ValueEquals(ProdigyLabelVotes.SilverSource);

    private void Merge(string text, long? hash, string sourceName, long lineNumber, JsonElement row, string answer, string? annotator, bool silver)
    {
        Entry? entry;
        var found = hash is { } key ? _byHash.TryGetValue((key, text), out entry) : _byText.TryGetValue(text, out entry);
        if (!found || entry is null)
        {
            entry = new Entry(text, hash, sourceName, lineNumber) { HasHuman = !silver };
            CopyMeta(row, entry.Meta);
            _entries.Add(entry);
            if (hash is { } newKey)
            {
                _byHash.Add((newKey, text), entry);
                if (_firstOfHash.TryGetValue(newKey, out var other))
                {
                    _output.WriteWarning(DataFiles.Format(
                        Messages.InputHashCollision, newKey, other.Source, DataFiles.Location(sourceName, lineNumber), DataFiles.Preview(other.Text), DataFiles.Preview(text)));
                }
                else
                {
                    _firstOfHash.Add(newKey, entry);
                }
            }
            else
            {
                _byText.Add(text, entry);
            }
        }
        else if (!silver && !entry.HasHuman)
        {
            // The first human row of an input seen so far only in silver rows: the example takes its meta and location.
            entry.HasHuman = true;
            entry.Meta.Clear();
            CopyMeta(row, entry.Meta);
            entry.Relocate(sourceName, lineNumber);
        }
        entry.Answers.Add(answer);
        if (annotator is not null && !entry.Annotators.Contains(annotator, StringComparer.Ordinal))
        {
            entry.Annotators.Add(annotator);
        }
        foreach (var (label, positive) in _rowVotes)
        {
            if (!entry.Votes.TryGetValue(label, out var votes))
            {
                votes = new ProdigyLabelVotes();
                entry.Votes.Add(label, votes);
            }
            votes.Add(positive, silver);
        }
    }

    /// <summary>Turns a merged entry into an example, resolving disagreements per label.</summary>
    private TextcatExample Resolve(Entry entry)
    {
        var example = new TextcatExample(entry.Text) { InputHash = entry.Hash, Source = entry.Source };
        example.Answers.AddRange(entry.Answers);
        example.Annotators.AddRange(entry.Annotators);
        foreach (var (key, value) in entry.Meta)
        {
            example.Meta[key] = value;
        }
        var overridden = 0;
        foreach (var (label, allVotes) in entry.Votes)
        {
            var votes = allVotes.Deciding;
            ResolveLabel(example, entry, label, votes);
            if (allVotes.SilverOverridden(example.Cats.TryGetValue(label, out var value) ? value : null))
            {
                overridden++;
            }
        }
        if (overridden > 0)
        {
            OverriddenSilverLabels += overridden;
            _textsWithOverrides++;
        }
        return example;
    }

    /// <summary>Sets one label of a merged example from its deciding answers (the conflict policy where they disagree).</summary>
    private void ResolveLabel(TextcatExample example, Entry entry, string label, ProdigyLabelVotes.Tally votes)
    {
        if (votes.Positive == 0 || votes.Negative == 0)
        {
            example.Cats[label] = votes.Positive > 0 ? 1.0 : 0.0;
            return;
        }
        bool? resolved = _options.ConflictPolicy switch
        {
            ConflictPolicy.Majority when votes.Positive != votes.Negative => votes.Positive > votes.Negative,
            ConflictPolicy.Latest => votes.Last,
            _ => null,
        };
        var preview = DataFiles.Preview(entry.Text);
        if (resolved is { } positive)
        {
            example.Cats[label] = positive ? 1.0 : 0.0;
            _output.WriteVerbose(DataFiles.Format(
                Messages.ConflictResolved, label, example.Source, preview, votes.Positive, votes.Negative, _options.ConflictPolicy, positive ? 1 : 0));
        }
        else
        {
            var message = _options.ConflictPolicy == ConflictPolicy.Drop ? Messages.ConflictDropped : Messages.ConflictTie;
            _output.WriteWarning(DataFiles.Format(message, label, example.Source, preview, votes.Positive, votes.Negative));
        }
    }

    /// <summary>What the reader keeps per distinct input while merging.</summary>
    private sealed class Entry(string text, long? hash, string sourceName, long lineNumber)
    {
        private string _sourceName = sourceName;
        private long _lineNumber = lineNumber;

        public string Text { get; } = text;

        public long? Hash { get; } = hash;

        // The file name is shared by every entry of a file; "file:line" is only built when the example is.
        public string Source => DataFiles.Location(_sourceName, _lineNumber);

        /// <summary>True once a row not written by triage (a person's answer) has been merged.</summary>
        public bool HasHuman { get; set; }

        public void Relocate(string newSourceName, long newLineNumber)
        {
            _sourceName = newSourceName;
            _lineNumber = newLineNumber;
        }

        public Dictionary<string, object?> Meta { get; } = new(StringComparer.Ordinal);

        public List<string> Answers { get; } = new(1);

        public List<string> Annotators { get; } = new(1);

        public Dictionary<string, ProdigyLabelVotes> Votes { get; } = new(StringComparer.Ordinal);
    }
}
