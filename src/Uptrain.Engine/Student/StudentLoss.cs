namespace Uptrain.Student;

/// <summary>The student's output functions and its loss: cross-entropy to (soft) targets, with unknown labels masked.</summary>
/// <remarks>
/// <para>
/// Targets are one value per label from 0 to 1, NaN where the label is unknown for the text.
/// </para>
/// <para>
/// Exclusive (softmax): over the known labels K, q = softmax of their logits (q = p when every label is known), loss
/// = −Σ_K t_k log q_k, gradient with respect to logit k in K: q_k Σ_K t − t_k, 0 outside K. An example whose known
/// targets already hold the whole probability mass (sum ≥ 1) is complete: the trainer sets its unknown labels to 0
/// before this (<see cref="StudentTargets"/>).
/// </para>
/// <para>
/// Multilabel (sigmoid per label): for each known label, loss −t log p − (1 − t) log(1 − p), gradient p − t.
/// </para>
/// The loss and gradient are multiplied by the example's weight.
/// </remarks>
internal static class StudentLoss
{
    /// <summary>The smallest probability that goes into a logarithm, so that the loss stays finite.</summary>
    private const double MinProbability = 1e-12;

    /// <summary>Softmax (exclusive) or sigmoid per label of <paramref name="logits"/>.</summary>
    public static void Probabilities(ReadOnlySpan<float> logits, Span<float> probabilities, bool exclusive)
    {
        if (exclusive)
        {
            var max = float.NegativeInfinity;
            foreach (var z in logits)
            {
                max = Math.Max(max, z);
            }

            var sum = 0f;
            for (var l = 0; l < logits.Length; l++)
            {
                probabilities[l] = MathF.Exp(logits[l] - max);
                sum += probabilities[l];
            }

            for (var l = 0; l < logits.Length; l++)
            {
                probabilities[l] /= sum;
            }
        }
        else
        {
            for (var l = 0; l < logits.Length; l++)
            {
                probabilities[l] = 1f / (1f + MathF.Exp(-logits[l]));
            }
        }
    }

    /// <summary>Writes the weighted gradient with respect to the logits into <paramref name="gradient"/>; returns the weighted loss.</summary>
    public static double Gradient(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, float weight, bool exclusive, Span<float> gradient)
    {
        return exclusive
            ? Softmax(logits, targets, weight, gradient)
            : Sigmoid(logits, targets, weight, gradient);
    }

    private static double Softmax(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, float weight, Span<float> gradient)
    {
        var max = float.NegativeInfinity;
        var mass = 0f;
        for (var l = 0; l < logits.Length; l++)
        {
            if (!float.IsNaN(targets[l]))
            {
                max = Math.Max(max, logits[l]);
                mass += targets[l];
            }
        }

        var sum = 0.0;
        for (var l = 0; l < logits.Length; l++)
        {
            if (!float.IsNaN(targets[l]))
            {
                sum += Math.Exp(logits[l] - max);
            }
        }

        var loss = 0.0;
        for (var l = 0; l < logits.Length; l++)
        {
            if (float.IsNaN(targets[l]))
            {
                gradient[l] = 0;
                continue;
            }

            var q = Math.Exp(logits[l] - max) / sum;
            loss -= targets[l] * Math.Log(Math.Max(q, MinProbability));
            gradient[l] = weight * (float)((q * mass) - targets[l]);
        }

        return weight * loss;
    }

    private static double Sigmoid(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, float weight, Span<float> gradient)
    {
        var loss = 0.0;
        for (var l = 0; l < logits.Length; l++)
        {
            var t = targets[l];
            if (float.IsNaN(t))
            {
                gradient[l] = 0;
                continue;
            }

            var p = 1.0 / (1.0 + Math.Exp(-logits[l]));
            loss -= (t * Math.Log(Math.Max(p, MinProbability))) + ((1 - t) * Math.Log(Math.Max(1 - p, MinProbability)));
            gradient[l] = weight * (float)(p - t);
        }

        return weight * loss;
    }
}
