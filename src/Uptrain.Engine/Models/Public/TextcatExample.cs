namespace Uptrain;

/// <summary>
/// One text with its category annotations: the unit that flows between Uptrain's readers, splitter,
/// writers and scorers. A label absent from <see cref="Cats"/> is unknown for this text, not negative.
/// </summary>
public sealed class TextcatExample
{
    /// <summary>Creates an example for <paramref name="text"/> with no labels known yet.</summary>
    public TextcatExample(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
    }

    /// <summary>The text to classify.</summary>
    public string Text { get; set; }

    /// <summary>Label → 1.0 (applies) or 0.0 (does not apply). Absent labels are unknown.</summary>
    public Dictionary<string, double> Cats { get; } = new LabelValues();

    /// <summary>Prodigy's <c>_input_hash</c> when the example came from Prodigy; an opaque id, never recomputed.</summary>
    public long? InputHash { get; set; }

    /// <summary>The answers (accept, reject) of the annotation rows merged into this example, in input order.</summary>
    public List<string> Answers { get; } = new TextList();

    /// <summary>The distinct annotators (Prodigy <c>_annotator_id</c> or <c>_session_id</c>) who answered, in input order.</summary>
    public List<string> Annotators { get; } = new TextList();

    /// <summary>Free-form metadata carried along from the source (Prodigy <c>meta</c>, spaCy <c>meta</c>).</summary>
    public Dictionary<string, object?> Meta { get; } = new MetaValues();

    /// <summary>Where the example was read: <c>file:line</c> of its first row.</summary>
    public string? Source { get; set; }

    /// <summary><c>train</c> or <c>eval</c> once Split-TextcatDataset has assigned it; else null.</summary>
    public string? Split { get; set; }

    /// <summary>The labels whose value is 1.0, in <see cref="Cats"/> order.</summary>
    public IReadOnlyList<string> PositiveLabels
    {
        get
        {
            // A TextList, so that Export-Csv and string expansion show the labels, not a type name.
            var labels = new TextList();
            labels.AddRange(Cats.Where(c => c.Value > 0.5).Select(c => c.Key));
            return labels;
        }
    }

    /// <summary>
    /// True when both examples have the same text and the same known labels with the same values
    /// (label order does not matter). Provenance (Source, Split, Answers) is not compared.
    /// </summary>
    public bool HasSameAnnotation(TextcatExample other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!string.Equals(Text, other.Text, StringComparison.Ordinal) || Cats.Count != other.Cats.Count)
        {
            return false;
        }
        foreach (var (label, value) in Cats)
        {
            if (!other.Cats.TryGetValue(label, out var otherValue) || otherValue != value)
            {
                return false;
            }
        }
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
