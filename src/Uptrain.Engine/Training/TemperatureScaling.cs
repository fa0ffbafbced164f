namespace Uptrain.Training;

/// <summary>
/// Temperature scaling (Guo et al., "On Calibration of Modern Neural Networks", 2017): one number β that multiplies
/// every logit, fitted on held-out data by minimising its negative log-likelihood. β below 1 softens an
/// over-confident model, above 1 sharpens an under-confident one; the ranking of labels within a text, and so the
/// top label and every ROC AUC, stay the same. The trainer folds β into the head's weights, so the exported model
/// needs nothing new.
/// </summary>
/// <remarks>
/// The likelihood is convex in β (cross-entropy is convex in the logits, which are linear in β), so a golden-section
/// search over log β finds its minimum. β is kept within <see cref="MinInverseTemperature"/> ..
/// <see cref="MaxInverseTemperature"/>: a held-out set that the model gets entirely right would otherwise push β
/// towards infinity.
/// </remarks>
internal static class TemperatureScaling
{
    /// <summary>The least β tried: a temperature of 10, scores ten times softer.</summary>
    public const double MinInverseTemperature = 0.1;

    /// <summary>The largest β tried: a temperature of 0.1.</summary>
    public const double MaxInverseTemperature = 10;

    /// <summary>
    /// The fewest held-out texts to fit on: with fewer, one text more or less moves β a lot (a held-out set of 50
    /// already gives a standard error of about 0.06 on a precision near 0.8).
    /// </summary>
    public const int MinExamples = 50;

    /// <summary>Golden-section steps: each shrinks the interval by 0.618, so 60 steps end far below float precision.</summary>
    private const int Steps = 60;

    /// <summary>
    /// β for exclusive labels: <paramref name="logits"/> row-major [texts, labels], <paramref name="classes"/> each text's
    /// gold class index.
    /// </summary>
    public static double FitExclusive(float[] logits, int labels, IReadOnlyList<long> classes)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentOutOfRangeException.ThrowIfNotEqual(logits.Length, classes.Count * labels);
        return Minimise(beta => ExclusiveLoss(logits, labels, classes, beta));
    }

    /// <summary>
    /// β for multilabel scores: <paramref name="logits"/>, <paramref name="values"/> (gold 0/1) and <paramref name="known"/>
    /// (1 where the gold is known) row-major [texts, labels]; unknown labels are left out.
    /// </summary>
    public static double FitMultilabel(float[] logits, float[] values, float[] known)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(known);
        ArgumentOutOfRangeException.ThrowIfNotEqual(values.Length, logits.Length);
        ArgumentOutOfRangeException.ThrowIfNotEqual(known.Length, logits.Length);
        return Minimise(beta => MultilabelLoss(logits, values, known, beta));
    }

    /// <summary>Mean softmax cross-entropy of the gold classes at inverse temperature <paramref name="beta"/>.</summary>
    public static double ExclusiveLoss(float[] logits, int labels, IReadOnlyList<long> classes, double beta)
    {
        var sum = 0.0;
        for (var i = 0; i < classes.Count; i++)
        {
            var row = logits.AsSpan(i * labels, labels);
            var max = double.NegativeInfinity;
            foreach (var z in row)
            {
                max = Math.Max(max, beta * z);
            }

            var exp = 0.0;
            foreach (var z in row)
            {
                exp += Math.Exp((beta * z) - max);
            }

            sum += max + Math.Log(exp) - (beta * row[(int)classes[i]]);
        }

        return classes.Count == 0 ? 0 : sum / classes.Count;
    }

    /// <summary>Mean binary cross-entropy of the known labels at inverse temperature <paramref name="beta"/>.</summary>
    public static double MultilabelLoss(float[] logits, float[] values, float[] known, double beta)
    {
        double sum = 0, count = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            if (known[i] > 0)
            {
                // −log σ(z) for a positive, −log(1 − σ(z)) for a negative: softplus(z) − y·z, written to stay finite.
                var z = beta * logits[i];
                sum += Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z))) - (values[i] * z);
                count++;
            }
        }

        return count == 0 ? 0 : sum / count;
    }

    private static double Minimise(Func<double, double> loss)
    {
        var ratio = (Math.Sqrt(5) - 1) / 2;
        double a = Math.Log(MinInverseTemperature), b = Math.Log(MaxInverseTemperature);
        var c = b - (ratio * (b - a));
        var d = a + (ratio * (b - a));
        double fc = loss(Math.Exp(c)), fd = loss(Math.Exp(d));
        for (var step = 0; step < Steps; step++)
        {
            if (fc <= fd)
            {
                (b, d, fd) = (d, c, fc);
                c = b - (ratio * (b - a));
                fc = loss(Math.Exp(c));
            }
            else
            {
                (a, c, fc) = (c, d, fd);
                d = a + (ratio * (b - a));
                fd = loss(Math.Exp(d));
            }
        }

        return Math.Exp((a + b) / 2);
    }
}
