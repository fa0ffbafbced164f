using System.Globalization;
using System.Text;

namespace Uptrain;

/// <summary>
/// The scores of a text classifier on a set of texts, as spaCy's <c>Scorer.score_cats</c> reports them (values 0..1).
/// </summary>
public sealed class TextcatScore
{
    /// <summary>Description of <see cref="Score"/> for exclusive classes without a binary positive label.</summary>
    public const string MacroFDescription = "macro F";

    /// <summary>Description of <see cref="Score"/> for multilabel classes.</summary>
    public const string MacroAucDescription = "macro AUC";

    internal TextcatScore(
        bool exclusive,
        double threshold,
        string? positiveLabel,
        int examples,
        IReadOnlyList<LabelScore> perLabel,
        double? accuracy,
        ConfusionMatrix? confusion,
        IReadOnlyList<string> ignoredLabels)
    {
        Exclusive = exclusive;
        Threshold = threshold;
        PositiveLabel = positiveLabel;
        Examples = examples;
        PerLabel = perLabel;
        Accuracy = accuracy;
        Confusion = confusion;
        IgnoredLabels = ignoredLabels;

        int tp = 0, fp = 0, fn = 0;
        double sumP = 0, sumR = 0, sumF = 0, sumAuc = 0;
        foreach (var label in perLabel)
        {
            tp += label.TruePositives;
            fp += label.FalsePositives;
            fn += label.FalseNegatives;
            sumP += label.P;
            sumR += label.R;
            sumF += label.F;
            // A label without both gold classes adds 0 but stays in the denominator, so that labels missing from the
            // data do not inflate the macro AUC (spaCy's comment on macro_auc).
            sumAuc += label.Auc ?? 0.0;
        }
        MicroP = Prf.Precision(tp, fp);
        MicroR = Prf.Recall(tp, fn);
        MicroF = Prf.FScore(MicroP, MicroR);
        var labelCount = perLabel.Count + Prf.Epsilon;
        MacroP = sumP / labelCount;
        MacroR = sumR / labelCount;
        MacroF = sumF / labelCount;
        MacroAuc = sumAuc / labelCount;

        var positive = positiveLabel is null ? null : perLabel.FirstOrDefault(l => l.Label == positiveLabel);
        if (exclusive && perLabel.Count == 2 && positive is not null)
        {
            Score = positive.F;
            ScoreDescription = $"F ({positive.Label})";
        }
        else if (exclusive)
        {
            Score = MacroF;
            ScoreDescription = MacroFDescription;
        }
        else
        {
            Score = MacroAuc;
            ScoreDescription = MacroAucDescription;
        }
    }

    /// <summary>
    /// The overall score: the positive label's F when exclusive with two labels and a positive label, the macro F when
    /// exclusive otherwise, the macro AUC when multilabel.
    /// </summary>
    public double Score { get; }

    /// <summary>
    /// The name of the model whose predictions were scored, when they all came from one (Measure-TextcatScore sets it);
    /// null otherwise.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>What <see cref="Score"/> is: <c>macro F</c>, <c>F (label)</c> or <c>macro AUC</c>.</summary>
    public string ScoreDescription { get; }

    /// <summary>Precision over the summed counts of all labels.</summary>
    public double MicroP { get; }

    /// <summary>Recall over the summed counts of all labels.</summary>
    public double MicroR { get; }

    /// <summary>F over the summed counts of all labels.</summary>
    public double MicroF { get; }

    /// <summary>Mean precision over all labels.</summary>
    public double MacroP { get; }

    /// <summary>Mean recall over all labels.</summary>
    public double MacroR { get; }

    /// <summary>Mean F over all labels.</summary>
    public double MacroF { get; }

    /// <summary>Sum of the per-label ROC AUCs divided by the number of all labels (a label without an AUC adds 0).</summary>
    public double MacroAuc { get; }

    /// <summary>
    /// Exclusive only (else null): the fraction of texts with known gold whose highest-scoring prediction is the gold
    /// label, whatever the threshold; 0 when no text has known gold.
    /// </summary>
    public double? Accuracy { get; }

    /// <summary>One entry per label, in label order.</summary>
    public IReadOnlyList<LabelScore> PerLabel { get; }

    /// <summary>The threshold that was applied (the default for the mode when none was given).</summary>
    public double Threshold { get; }

    /// <summary>The positive label given in the options, or null.</summary>
    public string? PositiveLabel { get; }

    /// <summary>Whether the classes were scored as exclusive (given or inferred).</summary>
    public bool Exclusive { get; }

    /// <summary>The number of texts scored.</summary>
    public int Examples { get; }

    /// <summary>Exclusive only (else null): gold label against predicted label.</summary>
    public ConfusionMatrix? Confusion { get; }

    /// <summary>
    /// Labels that occurred in the items but were not scored because the options listed the labels and did not list
    /// these; in order of first appearance. Empty when the labels were inferred.
    /// </summary>
    public IReadOnlyList<string> IgnoredLabels { get; }

    /// <summary>
    /// A fixed-width text table: one line per label (P, R, F, AUC, support), then the micro and macro totals, the
    /// accuracy when exclusive, and the overall score.
    /// </summary>
    public string FormatTable()
    {
        const string labelHeader = "Label";
        const string micro = "Micro";
        const string macro = "Macro";
        const string accuracy = "Accuracy";
        const string score = "Score";
        var width = new[] { labelHeader, micro, macro, accuracy, score }
            .Concat(PerLabel.Select(l => l.Label))
            .Max(s => s.Length);

        var text = new StringBuilder();
        void Row(string label, double? p, double? r, double? f, double? auc, string support)
        {
            text.Append(label.PadRight(width))
                .Append(Cell(p)).Append(Cell(r)).Append(Cell(f)).Append(Cell(auc))
                .Append(support.PadLeft(9))
                .AppendLine();
        }

        text.Append(labelHeader.PadRight(width))
            .Append("P".PadLeft(8)).Append("R".PadLeft(8)).Append("F".PadLeft(8)).Append("AUC".PadLeft(8))
            .Append("Support".PadLeft(9))
            .AppendLine();
        text.Append(new string('-', width)).Append(' ', 2).Append(new string('-', 6))
            .Append(' ', 2).Append(new string('-', 6)).Append(' ', 2).Append(new string('-', 6))
            .Append(' ', 2).Append(new string('-', 6)).Append(' ', 2).Append(new string('-', 7))
            .AppendLine();
        foreach (var label in PerLabel)
        {
            Row(label.Label, label.P, label.R, label.F, label.Auc ?? double.NaN,
                label.Support.ToString(CultureInfo.InvariantCulture));
        }
        Row(micro, MicroP, MicroR, MicroF, null, PerLabel.Sum(l => l.Support).ToString(CultureInfo.InvariantCulture));
        Row(macro, MacroP, MacroR, MacroF, MacroAuc, string.Empty);
        if (Accuracy is { } acc)
        {
            text.Append(accuracy.PadRight(width)).Append(Cell(acc)).AppendLine();
        }
        text.Append(score.PadRight(width)).Append(Cell(Score)).Append("  (").Append(ScoreDescription).Append(')');
        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{ScoreDescription} {Score:0.0000} ({Examples} examples)");

    // A value column: 8 wide, 4 decimals; "-" for an undefined value (NaN), blank for a column that does not apply (null).
    private static string Cell(double? value) => value switch
    {
        null => new string(' ', 8),
        { } v when double.IsNaN(v) => "-".PadLeft(8),
        { } v => v.ToString("0.0000", CultureInfo.InvariantCulture).PadLeft(8),
    };
}
