using Uptrain.Student;
using Xunit;

namespace Uptrain.Tests.Student;

public sealed class StudentLossTests
{
    private const float Tolerance = 1e-6f;

    [Fact]
    public void SoftmaxToSoftTargetsOnAHandComputedCase()
    {
        // Logits (0, 0): p = (0.5, 0.5). Targets (0.25, 0.75): gradient p - t = (0.25, -0.25), loss ln 2.
        var gradient = new float[2];
        var loss = StudentLoss.Gradient([0f, 0f], [0.25f, 0.75f], 1f, exclusive: true, gradient);
        Assert.Equal(Math.Log(2), loss, 1e-9);
        Assert.Equal(0.25f, gradient[0], Tolerance);
        Assert.Equal(-0.25f, gradient[1], Tolerance);
    }

    [Fact]
    public void SoftmaxMasksUnknownLabelsAndRenormalisesOverTheKnown()
    {
        // Known labels 0 and 1 only (mass 0.5): q = (0.5, 0.5) over them whatever the third logit; gradient q·0.5 − t.
        var gradient = new float[3];
        var loss = StudentLoss.Gradient([0f, 0f, 5f], [0.3f, 0.2f, float.NaN], 1f, exclusive: true, gradient);
        Assert.Equal(-0.05f, gradient[0], Tolerance);
        Assert.Equal(0.05f, gradient[1], Tolerance);
        Assert.Equal(0f, gradient[2]);
        Assert.Equal(0.5 * Math.Log(2), loss, 1e-6);
    }

    [Fact]
    public void SigmoidPerLabelMasksUnknownLabelsAndWeighs()
    {
        // Logit 0: p = 0.5. Target 1: gradient −0.5, loss ln 2; weight 2 doubles both. The unknown label gives nothing.
        var gradient = new float[2];
        var loss = StudentLoss.Gradient([0f, 3f], [1f, float.NaN], 2f, exclusive: false, gradient);
        Assert.Equal(2 * Math.Log(2), loss, 1e-9);
        Assert.Equal(-1f, gradient[0], Tolerance);
        Assert.Equal(0f, gradient[1]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GradientMatchesFiniteDifferencesOfTheLoss(bool exclusive)
    {
        float[] logits = [0.3f, -1.2f, 0.8f, 0.1f];
        float[] targets = exclusive ? [0.1f, 0.2f, 0.6f, 0.1f] : [0.9f, 0f, float.NaN, 0.4f];
        var gradient = new float[4];
        StudentLoss.Gradient(logits, targets, 1.5f, exclusive, gradient);
        const float H = 1e-3f;
        for (var l = 0; l < logits.Length; l++)
        {
            var plus = (float[])logits.Clone();
            var minus = (float[])logits.Clone();
            plus[l] += H;
            minus[l] -= H;
            var scratch = new float[4];
            var numeric = (StudentLoss.Gradient(plus, targets, 1.5f, exclusive, scratch) - StudentLoss.Gradient(minus, targets, 1.5f, exclusive, scratch)) / (2 * H);
            Assert.Equal(numeric, gradient[l], 2e-3);
        }
    }

    [Fact]
    public void ProbabilitiesAreSoftmaxOrSigmoids()
    {
        var p = new float[2];
        StudentLoss.Probabilities([0f, MathF.Log(3)], p, exclusive: true);
        Assert.Equal(0.25f, p[0], Tolerance);
        Assert.Equal(0.75f, p[1], Tolerance);
        StudentLoss.Probabilities([0f, MathF.Log(3)], p, exclusive: false);
        Assert.Equal(0.5f, p[0], Tolerance);
        Assert.Equal(0.75f, p[1], Tolerance);
    }

    [Fact]
    public void ExclusiveGoldWithOnePositiveLabelIsCompletedWithZeros()
    {
        var example = new StudentExample("t", new Dictionary<string, double> { ["b"] = 1.0 });
        Assert.Equal(new[] { 0f, 1f, 0f }, StudentTargets.Of(example, ["a", "b", "c"], exclusive: true, temperature: 1.0));

        // Multilabel: the others stay unknown.
        var multilabel = StudentTargets.Of(example, ["a", "b", "c"], exclusive: false, temperature: 1.0)!;
        Assert.True(float.IsNaN(multilabel[0]) && float.IsNaN(multilabel[2]));
        Assert.Equal(1f, multilabel[1]);
    }

    [Fact]
    public void TemperatureSharpensOrSoftensTheTeachersProbabilities()
    {
        var scores = new Dictionary<string, double> { ["a"] = 0.8, ["b"] = 0.2 };
        var example = new StudentExample("t", Scores: scores);

        // T = 0.5: (0.8², 0.2²) / (0.64 + 0.04).
        var sharp = StudentTargets.Of(example, ["a", "b"], exclusive: true, temperature: 0.5)!;
        Assert.Equal((float)(0.64 / 0.68), sharp[0], Tolerance);
        Assert.Equal((float)(0.04 / 0.68), sharp[1], Tolerance);
        Assert.Equal(new[] { 0.8f, 0.2f }, StudentTargets.Of(example, ["a", "b"], exclusive: true, temperature: 1.0));

        // Multilabel, T = 2: σ(logit(0.8) / 2) = 2/3.
        var soft = StudentTargets.Of(example, ["a", "b"], exclusive: false, temperature: 2.0)!;
        Assert.Equal(2f / 3f, soft[0], 1e-5f);
        Assert.Equal(1f / 3f, soft[1], 1e-5f);
    }

    [Fact]
    public void GoldLabelsWinOverScoresAndGoldWeightAppliesToGoldOnly()
    {
        var silver = new StudentExample("t", new Dictionary<string, double> { ["a"] = 0.0 }, new Dictionary<string, double> { ["a"] = 0.9, ["b"] = 0.4 }, Weight: 0.5);
        Assert.Equal(new[] { 0f, 0.4f }, StudentTargets.Of(silver, ["a", "b"], exclusive: false, temperature: 1.0));
        Assert.Equal(0.5f, StudentTargets.WeightOf(silver, goldWeight: 3));
        Assert.Equal(3f, StudentTargets.WeightOf(new StudentExample("t", new Dictionary<string, double> { ["a"] = 1 }), goldWeight: 3));
        Assert.Null(StudentTargets.Of(new StudentExample("t"), ["a", "b"], exclusive: true, temperature: 1.0));
    }
}
