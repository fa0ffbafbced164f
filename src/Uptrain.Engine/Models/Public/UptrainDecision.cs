namespace Uptrain;

/// <summary>
/// Triage's verdict on one scored text: the prediction, its <see cref="Route"/> and, for Accept, the silver
/// labels in <see cref="Cats"/> (a label left out is unknown). Emitted by Select-UptrainExample.
/// </summary>
public sealed class UptrainDecision
{
    /// <summary>Creates the decision <paramref name="route"/> for <paramref name="prediction"/> with silver <paramref name="cats"/>.</summary>
    public UptrainDecision(TextcatPrediction prediction, TriageRoute route, IReadOnlyDictionary<string, double> cats, IReadOnlyList<string> uncertainLabels)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(cats);
        ArgumentNullException.ThrowIfNull(uncertainLabels);
        Prediction = prediction;
        Route = route;
        Cats = cats as LabelValues ?? new LabelValues(cats);
        // A TextList, so that Export-Csv and string expansion show the labels, not a type name.
        var labels = new TextList();
        labels.AddRange(uncertainLabels);
        UncertainLabels = labels;
    }

    /// <summary>The teacher's prediction that was triaged (its <c>Cats</c> are the input's gold labels, if any).</summary>
    public TextcatPrediction Prediction { get; }

    /// <summary>Accept, Review or Skip.</summary>
    public TriageRoute Route { get; }

    /// <summary>The silver labels (label → 1/0) that Accept adds to the dataset; empty for Review and Skip.</summary>
    public LabelValues Cats { get; }

    /// <summary>The labels whose score lies between Low and High (multilabel), or the top label (exclusive Review).</summary>
    public IReadOnlyList<string> UncertainLabels { get; }

    /// <summary>The text.</summary>
    public string Text => Prediction.Text;

    /// <summary>The teacher's label → probability.</summary>
    public IReadOnlyDictionary<string, double> Scores => Prediction.Scores;

    /// <summary>The teacher's top label.</summary>
    public string Label => Prediction.Label;

    /// <summary>The teacher's top probability.</summary>
    public double Confidence => Prediction.Confidence;

    /// <summary>The input's Prodigy hash, if any.</summary>
    public long? InputHash => Prediction.InputHash;

    /// <summary>Where the input was read.</summary>
    public string? Source => Prediction.Source;

    /// <summary>The model that scored the text.</summary>
    public ModelReference Model => Prediction.Model;

    /// <inheritdoc />
    public override string ToString() => $"{Route} {Label} {Confidence:0.000}: {Text}";
}
