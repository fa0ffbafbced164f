using Uptrain.Training;

namespace Uptrain.Tests.Training;

public sealed class TemperatureScalingTests
{
    /// <summary>
    /// Texts drawn from a calibrated model with logits <c>z</c> (the gold class sampled from softmax(z)), shown to the
    /// fit as <c>z · sharpness</c>: an over-confident model for sharpness above 1. The fit should undo it.
    /// </summary>
    private static (float[] Logits, long[] Classes) Exclusive(int texts, int labels, double sharpness, int seed)
    {
        var random = new Random(seed);
        var logits = new float[texts * labels];
        var classes = new long[texts];
        for (var i = 0; i < texts; i++)
        {
            var z = Enumerable.Range(0, labels).Select(_ => random.NextDouble() * 4).ToArray();
            var p = z.Select(Math.Exp).ToArray();
            var draw = random.NextDouble() * p.Sum();
            var c = 0;
            while (draw > p[c] && c < labels - 1)
            {
                draw -= p[c];
                c++;
            }

            classes[i] = c;
            for (var l = 0; l < labels; l++)
            {
                logits[(i * labels) + l] = (float)(z[l] * sharpness);
            }
        }

        return (logits, classes);
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(1.0)]
    [InlineData(0.4)]
    public void AnOverOrUnderConfidentExclusiveModelIsScaledBack(double sharpness)
    {
        var (logits, classes) = Exclusive(20000, 5, sharpness, seed: 1);

        var beta = TemperatureScaling.FitExclusive(logits, 5, classes);

        Assert.InRange(beta * sharpness, 0.93, 1.07);
    }

    [Fact]
    public void MultilabelFitLeavesUnknownLabelsOut()
    {
        var random = new Random(2);
        const int n = 20000;
        var logits = new float[n];
        var values = new float[n];
        var known = new float[n];
        for (var i = 0; i < n; i++)
        {
            var z = (random.NextDouble() * 8) - 4;
            var positive = random.NextDouble() < 1 / (1 + Math.Exp(-z));
            logits[i] = (float)(z * 2.5);
            values[i] = positive ? 1 : 0;

            // Every other label is unknown and its gold contradicts the score: counted, it would pull β towards 0.
            known[i] = i % 2 == 0 ? 1 : 0;
            if (known[i] == 0)
            {
                values[i] = z > 0 ? 0 : 1;
            }
        }

        var beta = TemperatureScaling.FitMultilabel(logits, values, known);

        Assert.InRange(beta * 2.5, 0.93, 1.07);
    }

    [Fact]
    public void APerfectlySeparatedSetSharpensWithinTheLimit()
    {
        float[] logits = [2, -2, -2, 2];

        var beta = TemperatureScaling.FitExclusive(logits, 2, [0, 1]);

        // The likelihood only grows with β here; where it stops growing in double precision the search may stop.
        Assert.InRange(beta, 4, TemperatureScaling.MaxInverseTemperature);
    }

    [Fact]
    public void TheLossIsTheMeanCrossEntropy()
    {
        float[] logits = [0, (float)Math.Log(3)];

        // softmax = [0.25, 0.75]; gold class 1 → −log 0.75.
        Assert.Equal(-Math.Log(0.75), TemperatureScaling.ExclusiveLoss(logits, 2, [1], 1), 6);

        // σ(log 3) = 0.75; gold 1 → −log 0.75; gold 0 → −log 0.25.
        Assert.Equal((-Math.Log(0.75) - Math.Log(0.25)) / 2, TemperatureScaling.MultilabelLoss([(float)Math.Log(3), (float)Math.Log(3)], [1, 0], [1, 1], 1), 6);
    }
}
