using System.Globalization;

namespace Uptrain;

/// <summary>
/// A gold label that a model trained without it disagrees with: Find-TextcatLabelIssue ranks them, most suspect first,
/// for a person to check.
/// </summary>
public sealed class LabelIssue
{
    internal LabelIssue(TextcatPrediction prediction, string givenLabel, string suggestedLabel, double givenScore, double suggestedScore)
    {
        Prediction = prediction;
        GivenLabel = givenLabel;
        SuggestedLabel = suggestedLabel;
        GivenScore = givenScore;
        SuggestedScore = suggestedScore;
    }

    /// <summary>1 for the most suspect label, then 2, 3 ...</summary>
    public int Rank { get; internal set; }

    /// <summary>
    /// How confidently the model disagrees, 0..1: the suggested label's probability minus the given label's (the margin
    /// of confident learning; multilabel, p − (1 − p) for a label's probability p).
    /// </summary>
    public double Confidence => SuggestedScore - GivenScore;

    /// <summary>The text.</summary>
    public string Text => Prediction.Text;

    /// <summary>The example's input hash, if it has one.</summary>
    public long? InputHash => Prediction.InputHash;

    /// <summary>
    /// The label the gold gives: exclusive, the example's label; multilabel, the label in question, or "not LABEL" where
    /// the gold says it does not apply.
    /// </summary>
    public string GivenLabel { get; }

    /// <summary>What the model says instead: exclusive, its top label; multilabel, "not LABEL" or "LABEL".</summary>
    public string SuggestedLabel { get; }

    /// <summary>The model's probability of the given label (multilabel: p for "LABEL", 1 − p for "not LABEL").</summary>
    public double GivenScore { get; }

    /// <summary>The model's probability of the suggested label (multilabel: p for "LABEL", 1 − p for "not LABEL").</summary>
    public double SuggestedScore { get; }

    /// <summary>Every label's probability from the model that did not see this example.</summary>
    public IReadOnlyDictionary<string, double> Scores => Prediction.Scores;

    /// <summary>The gold labels as given.</summary>
    public LabelValues Cats => Prediction.Cats;

    /// <summary>Where the example came from (file:line), if known.</summary>
    public string? Source => Prediction.Source;

    /// <summary>The out-of-fold prediction the issue was found in.</summary>
    public TextcatPrediction Prediction { get; }

    /// <summary>The prefix of a multilabel label that the gold or the model says does not apply.</summary>
    public const string NotPrefix = "not ";

    /// <inheritdoc />
    public override string ToString() =>
        string.Format(CultureInfo.CurrentCulture, "{0}. {1} → {2} ({3:0.000}): {4}", Rank, GivenLabel, SuggestedLabel, Confidence, Text);
}
