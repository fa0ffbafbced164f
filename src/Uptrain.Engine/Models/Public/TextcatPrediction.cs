namespace Uptrain;

/// <summary>
/// A model's prediction for one text: everything of the input example (gold <see cref="Cats"/>,
/// <see cref="Meta"/>, <see cref="InputHash"/> ...) plus the model's <see cref="Scores"/>. Its shape suits the
/// shell: <see cref="Cats"/> and <see cref="Scores"/> read as <c>LABEL=value; ...</c> in <c>Export-Csv</c>, and
/// <see cref="Model"/> is a name and a folder, not the whole card.
/// </summary>
public sealed class TextcatPrediction
{
    /// <summary>Creates a prediction for <paramref name="example"/>, sharing its label and meta dictionaries.</summary>
    public TextcatPrediction(TextcatExample example, IReadOnlyDictionary<string, double> scores, ModelCard model)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(model);
        Text = example.Text;
        Cats = example.Cats as LabelValues ?? new LabelValues(example.Cats);
        InputHash = example.InputHash;
        Answers = example.Answers;
        Annotators = example.Annotators;
        Meta = example.Meta;
        Source = example.Source;
        Split = example.Split;
        Scores = scores as LabelValues ?? new LabelValues(scores);
        Model = new ModelReference(model);
        var best = scores.MaxBy(s => s.Value);
        Label = best.Key;
        Confidence = best.Value;
    }

    /// <summary>The text that was scored.</summary>
    public string Text { get; }

    /// <summary>The gold labels carried along from the input (empty for unlabelled text).</summary>
    public LabelValues Cats { get; }

    /// <summary>The input's Prodigy hash, if any.</summary>
    public long? InputHash { get; }

    /// <summary>The input's answers, if any.</summary>
    public List<string> Answers { get; }

    /// <summary>The input's annotators, if any.</summary>
    public List<string> Annotators { get; }

    /// <summary>The input's metadata.</summary>
    public Dictionary<string, object?> Meta { get; }

    /// <summary>Where the input was read.</summary>
    public string? Source { get; }

    /// <summary>The input's split, if any.</summary>
    public string? Split { get; }

    /// <summary>Label → probability, in the model's label order.</summary>
    public IReadOnlyDictionary<string, double> Scores { get; }

    /// <summary>The label with the highest probability.</summary>
    public string Label { get; }

    /// <summary>The highest probability.</summary>
    public double Confidence { get; }

    /// <summary>
    /// True when the text was longer than the model's maximum length (in word pieces, [CLS] and [SEP]
    /// included) and only its beginning was scored.
    /// </summary>
    public bool Truncated { get; init; }

    /// <summary>The model that made the prediction (its Exclusive flag informs scoring; <c>GetCard()</c> gives its card).</summary>
    public ModelReference Model { get; }

    /// <summary>The input example again (text, gold labels and provenance), for writing back to a dataset.</summary>
    public TextcatExample ToExample()
    {
        var example = new TextcatExample(Text) { InputHash = InputHash, Source = Source, Split = Split };
        foreach (var (label, value) in Cats)
        {
            example.Cats[label] = value;
        }
        foreach (var (key, value) in Meta)
        {
            example.Meta[key] = value;
        }
        example.Answers.AddRange(Answers);
        example.Annotators.AddRange(Annotators);
        return example;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Label} {Confidence:0.000}: {Text}";
}
