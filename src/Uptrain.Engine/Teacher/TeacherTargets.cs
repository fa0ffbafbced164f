namespace Uptrain.Teacher;

/// <summary>
/// Training targets per example. Exclusive: the class index of the highest-valued label (<see cref="Classes"/>).
/// Multilabel: row-major [examples, labels] values and a known mask, 0 where the example's Cats lack the label, so
/// that the loss leaves it out (a Prodigy binary answer says nothing about the other labels).
/// </summary>
internal sealed class TeacherTargets
{
    public TeacherTargets(IReadOnlyList<TextcatExample> examples, IReadOnlyList<string> labels)
    {
        LabelCount = labels.Count;
        Classes = new long[examples.Count];
        Values = new float[examples.Count * labels.Count];
        Known = new float[examples.Count * labels.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            var best = double.NegativeInfinity;
            for (var l = 0; l < labels.Count; l++)
            {
                if (examples[i].Cats.TryGetValue(labels[l], out var value) && !double.IsNaN(value))
                {
                    Values[(i * labels.Count) + l] = (float)value;
                    Known[(i * labels.Count) + l] = 1;
                    if (value > best)
                    {
                        best = value;
                        Classes[i] = l;
                    }
                }
            }
        }
    }

    /// <summary>Smoothing of <see cref="PriorLogits"/>: half a positive and half a negative added per label (Jeffreys' prior), so
    /// that a label never (or always) positive gets a finite bias.</summary>
    public const double PriorSmoothing = 0.5;

    public int LabelCount { get; }

    /// <summary>Examples.</summary>
    public int Count => Classes.Length;

    public long[] Classes { get; }

    public float[] Values { get; }

    public float[] Known { get; }

    /// <summary>
    /// The head's initial bias: logits whose scores are the labels' frequencies in the training data. Multilabel: each
    /// label's log-odds among the examples that know it, log((positives + ½) / (negatives + ½)). Exclusive: each class's
    /// log frequency, log(count + ½), which softmax turns into the class frequencies.
    /// </summary>
    /// <remarks>
    /// A head that starts at logit 0 scores every label 0.5. With many labels each positive on a few texts, nearly every
    /// target is 0, and the steepest way down the loss is then not to tell texts apart but to move every text's pooled
    /// vector to where all logits are low: the encoder learns that in the first steps and every text ends up with the same
    /// scores (measured on 30 labels: training-set macro AUC 0.51). Starting at the frequencies leaves the gradient nothing to
    /// learn but what tells texts apart (Karpathy's "init well" advice; the focal-loss paper's prior bias, Lin et al. 2017).
    /// </remarks>
    public float[] PriorLogits(bool exclusive)
    {
        var bias = new float[LabelCount];
        for (var l = 0; l < LabelCount; l++)
        {
            double positives = 0, negatives = 0;
            for (var i = 0; i < Count; i++)
            {
                if (exclusive)
                {
                    positives += Classes[i] == l ? 1 : 0;
                }
                else if (Known[(i * LabelCount) + l] > 0)
                {
                    var value = Values[(i * LabelCount) + l];
                    positives += value;
                    negatives += 1 - value;
                }
            }

            bias[l] = (float)(exclusive
                ? Math.Log(positives + PriorSmoothing)
                : Math.Log((positives + PriorSmoothing) / (negatives + PriorSmoothing)));
        }

        return bias;
    }
}
