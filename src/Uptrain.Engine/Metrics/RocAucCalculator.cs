namespace Uptrain.Metrics;

/// <summary>
/// Area under the ROC curve as spaCy's <c>_roc_auc_score</c> (adapted from scikit-learn) computes it: one curve point
/// per distinct score, from the highest down, joined by the trapezoidal rule, so that tied scores count half.
/// </summary>
internal static class RocAucCalculator
{
    /// <summary>
    /// The AUC of scores given to positive and to negative texts. Both lists must be non-empty; they are sorted in
    /// place (descending), which does not change their meaning.
    /// </summary>
    internal static double Compute(List<double> positives, List<double> negatives)
    {
        // Descending. double.CompareTo orders NaN lowest, so NaN scores come last instead of throwing.
        static int Descending(double a, double b) => b.CompareTo(a);
        positives.Sort(Descending);
        negatives.Sort(Descending);

        double totalPositives = positives.Count;
        double totalNegatives = negatives.Count;
        int i = 0, j = 0;
        double truePositives = 0, falsePositives = 0;
        double previousTpr = 0, previousFpr = 0, area = 0;
        while (i < positives.Count || j < negatives.Count)
        {
            // The next threshold: the highest score not yet passed.
            var threshold = i == positives.Count ? negatives[j]
                : j == negatives.Count ? positives[i]
                : positives[i].CompareTo(negatives[j]) >= 0 ? positives[i] : negatives[j];
            // Everything scored at the threshold moves at once (ties give a diagonal segment: half credit).
            while (i < positives.Count && positives[i].CompareTo(threshold) == 0)
            {
                truePositives++;
                i++;
            }
            while (j < negatives.Count && negatives[j].CompareTo(threshold) == 0)
            {
                falsePositives++;
                j++;
            }
            var tpr = truePositives / totalPositives;
            var fpr = falsePositives / totalNegatives;
            area += (fpr - previousFpr) * (tpr + previousTpr) / 2.0;
            previousTpr = tpr;
            previousFpr = fpr;
        }
        return area;
    }
}
