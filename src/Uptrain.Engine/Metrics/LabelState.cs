namespace Uptrain.Metrics;

/// <summary>True positives, false positives and false negatives of one label under one counting.</summary>
internal sealed class LabelCounts
{
    public int Tp;
    public int Fp;
    public int Fn;
}

/// <summary>What the accumulator keeps per label: counts of both countings and the scores the ROC AUC needs.</summary>
internal sealed class LabelState
{
    public readonly LabelCounts Multilabel = new();
    public readonly LabelCounts Exclusive = new();
    public readonly List<double> PositiveScores = [];
    public readonly List<double> NegativeScores = [];
    public readonly List<double> AbsentScores = [];
    public int Support;
    public bool SeenInPredicted;
    public bool SeenInGold;

    // Texts added before the label was first seen: for exclusive scoring, each is a negative scored 0.0.
    public int TextsBefore;

    // spaCy computes an AUC when the known gold values of a label take exactly two distinct values
    // (np.unique(golds) has length 2); the positive class is gold == 1.0, the other value is negative.
    private double _firstGold = double.NaN;
    private double _secondGold = double.NaN;
    private bool _moreThanTwoGoldValues;

    public void AddAucPair(double score, double gold)
    {
        if (double.IsNaN(_firstGold))
        {
            _firstGold = gold;
        }
        else if (gold != _firstGold)
        {
            if (double.IsNaN(_secondGold))
            {
                _secondGold = gold;
            }
            else if (gold != _secondGold)
            {
                _moreThanTwoGoldValues = true;
            }
        }
        (gold == 1.0 ? PositiveScores : NegativeScores).Add(score);
    }

    public double? RocAuc(bool absentIsNegative)
    {
        var negatives = NegativeScores;
        var first = _firstGold;
        var second = _secondGold;
        var moreThanTwo = _moreThanTwoGoldValues;
        if (absentIsNegative && (AbsentScores.Count > 0 || TextsBefore > 0))
        {
            // Absent gold joins as the value 0.0: one more distinct gold value unless 0.0 is already among them.
            negatives = [.. NegativeScores, .. AbsentScores, .. Enumerable.Repeat(0.0, TextsBefore)];
            if (double.IsNaN(first))
            {
                first = 0.0;
            }
            else if (first != 0.0 && double.IsNaN(second))
            {
                second = 0.0;
            }
            else if (first != 0.0 && second != 0.0)
            {
                moreThanTwo = true;
            }
        }
        // Two distinct values of which neither is 1 (say 0 and 0.5) would make spaCy divide by zero true positives
        // and report NaN; that is reported as no AUC here.
        if (moreThanTwo || double.IsNaN(second) || PositiveScores.Count == 0 || negatives.Count == 0)
        {
            return null;
        }
        return RocAucCalculator.Compute(PositiveScores, negatives);
    }
}
