namespace Uptrain;

/// <summary>Precision, recall, F and ROC AUC of one label (values 0..1).</summary>
public sealed class LabelScore
{
    internal LabelScore(string label, int truePositives, int falsePositives, int falseNegatives, int support, double? auc)
    {
        Label = label;
        TruePositives = truePositives;
        FalsePositives = falsePositives;
        FalseNegatives = falseNegatives;
        Support = support;
        Auc = auc;
        P = Prf.Precision(truePositives, falsePositives);
        R = Prf.Recall(truePositives, falseNegatives);
        F = Prf.FScore(P, R);
    }

    /// <summary>The label.</summary>
    public string Label { get; }

    /// <summary>Precision: TP / (TP + FP), 0 when nothing was predicted.</summary>
    public double P { get; }

    /// <summary>Recall: TP / (TP + FN), 0 when nothing was to be found.</summary>
    public double R { get; }

    /// <summary>F1: the harmonic mean of <see cref="P"/> and <see cref="R"/>, 0 when both are 0.</summary>
    public double F { get; }

    /// <summary>
    /// ROC AUC of the predicted scores against gold (ties count half), or null when the known gold values of this
    /// label do not hold both classes.
    /// </summary>
    public double? Auc { get; }

    /// <summary>Texts counted as correctly predicted for this label.</summary>
    public int TruePositives { get; }

    /// <summary>Texts predicted as this label that are not.</summary>
    public int FalsePositives { get; }

    /// <summary>Texts of this label that were not predicted as it.</summary>
    public int FalseNegatives { get; }

    /// <summary>Texts whose gold value for this label is positive (1).</summary>
    public int Support { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Label}: F {F:0.0000}";
}

/// <summary>spaCy's <c>PRFScore</c> arithmetic, including its <c>+ 1e-100</c> guards against division by zero.</summary>
internal static class Prf
{
    /// <summary>spaCy's guard term: keeps 0/0 at 0 and leaves every other quotient unchanged.</summary>
    internal const double Epsilon = 1e-100;

    internal static double Precision(int tp, int fp) => tp / (tp + fp + Epsilon);

    internal static double Recall(int tp, int fn) => tp / (tp + fn + Epsilon);

    internal static double FScore(double p, double r) => 2 * (p * r / (p + r + Epsilon));
}
