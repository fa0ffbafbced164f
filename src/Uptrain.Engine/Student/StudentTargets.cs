namespace Uptrain.Student;

/// <summary>
/// The training target of every example: one value per label (NaN where unknown) and a weight, from its gold labels
/// and the teacher's probabilities.
/// </summary>
/// <remarks>
/// Per label: the example's <see cref="StudentExample.Cats"/> value where known, else its tempered
/// <see cref="StudentExample.Scores"/> value, else unknown. Temperature T: exclusive scores s become s^(1/T), rescaled
/// to the mass the scores had (the teacher's probabilities as if its logits were divided by T); multilabel scores
/// become σ(logit(s) / T). T = 1 keeps them, T &gt; 1 softens, T &lt; 1 sharpens. Exclusive examples whose known
/// targets sum to 1 or more hold the whole distribution: their unknown labels are 0. Weight: the example's own times
/// <see cref="StudentTrainingOptions.GoldWeight"/> when it is gold.
/// </remarks>
internal static class StudentTargets
{
    /// <summary>Known targets summing at least to this make an exclusive example complete (allowing float rounding).</summary>
    private const double CompleteMass = 0.999;

    /// <summary>Scores are kept this far from 0 and 1 before a multilabel logit, so that it stays finite.</summary>
    private const double ScoreClamp = 1e-6;

    /// <summary>The targets of <paramref name="example"/> over <paramref name="labels"/>, or null when no label is known.</summary>
    public static float[]? Of(StudentExample example, IReadOnlyList<string> labels, bool exclusive, double temperature)
    {
        var targets = new float[labels.Count];
        Array.Fill(targets, float.NaN);
        var tempered = Temper(example.Scores, labels, exclusive, temperature);
        var known = 0;
        var mass = 0.0;
        for (var l = 0; l < labels.Count; l++)
        {
            double? value = TryKnown(example, labels[l], out var cat) ? cat : tempered?[l];
            if (value is { } v && !double.IsNaN(v))
            {
                targets[l] = (float)v;
                known++;
                mass += v;
            }
        }

        if (known == 0)
        {
            return null;
        }

        if (exclusive && mass >= CompleteMass)
        {
            for (var l = 0; l < targets.Length; l++)
            {
                if (float.IsNaN(targets[l]))
                {
                    targets[l] = 0;
                }
            }
        }

        return targets;
    }

    /// <summary>
    /// True when some label's target comes from the example's scores (a score and no known value): only those targets change
    /// with the temperature.
    /// </summary>
    public static bool UsesScores(StudentExample example, IReadOnlyList<string> labels) =>
        example.Scores is { Count: > 0 } scores && labels.Any(label => scores.ContainsKey(label) && !TryKnown(example, label, out _));

    /// <summary>The example's known value (<see cref="StudentExample.Cats"/>, not NaN) for <paramref name="label"/>.</summary>
    private static bool TryKnown(StudentExample example, string label, out double value)
    {
        value = double.NaN;
        return example.Cats is not null && example.Cats.TryGetValue(label, out value) && !double.IsNaN(value);
    }

    /// <summary>The example's weight in the loss.</summary>
    public static float WeightOf(StudentExample example, double goldWeight) =>
        (float)(example.IsSilver ? example.Weight : example.Weight * goldWeight);

    /// <summary>The scores over <paramref name="labels"/> after the temperature (NaN where a label has no score); null without scores.</summary>
    internal static double[]? Temper(IReadOnlyDictionary<string, double>? scores, IReadOnlyList<string> labels, bool exclusive, double temperature)
    {
        if (scores is not { Count: > 0 })
        {
            return null;
        }

        var values = new double[labels.Count];
        var mass = 0.0;
        var temperedMass = 0.0;
        for (var l = 0; l < labels.Count; l++)
        {
            values[l] = scores.TryGetValue(labels[l], out var s) ? Math.Clamp(s, 0, 1) : double.NaN;
            if (double.IsNaN(values[l]) || temperature == 1.0)
            {
                continue;
            }

            if (exclusive)
            {
                mass += values[l];
                values[l] = Math.Pow(values[l], 1.0 / temperature);
                temperedMass += values[l];
            }
            else
            {
                var p = Math.Clamp(values[l], ScoreClamp, 1 - ScoreClamp);
                values[l] = 1.0 / (1.0 + Math.Exp(-Math.Log(p / (1 - p)) / temperature));
            }
        }

        if (exclusive && temperature != 1.0 && temperedMass > 0)
        {
            for (var l = 0; l < values.Length; l++)
            {
                values[l] *= mass / temperedMass;
            }
        }

        return values;
    }
}
