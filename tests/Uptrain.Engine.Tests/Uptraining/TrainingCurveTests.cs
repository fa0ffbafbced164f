using Uptrain.Diagnostics;
using Uptrain.Tests.Student;
using Uptrain.Uptraining;

namespace Uptrain.Tests.Uptraining;

public sealed class TrainingCurveTests
{
    private static StudentRecipe Recipe() => new(StudentData.SmallOptions(epochs: 4), vectors: null);

    [Fact]
    public void Measure_GivesAPointPerFraction_ThatRepeatsWithItsSeed()
    {
        var gold = StudentData.ExclusiveGold(160, 1);
        var eval = StudentData.ExclusiveGold(80, 2);
        var options = new TrainingCurveOptions { Fractions = [0.02, 0.5, 1.0], Seeds = 2, Seed = 3, Resamples = 1000 };
        var output = new CollectingOutputWriter();

        var result = TrainingCurve.Measure(gold, eval, Recipe(), options, output);
        var again = TrainingCurve.Measure(gold, eval, Recipe(), options, NullOutputWriter.Instance);

        Assert.False(result.Stopped);
        Assert.Equal([3, 80, 160], result.Points.Select(p => p.Examples));
        Assert.Equal([0.02, 0.5, 1.0], result.Points.Select(p => p.Fraction));
        Assert.All(result.Points, p => Assert.Equal(2, p.Scores.Count));
        Assert.All(result.Points, p => Assert.InRange(p.Score, p.CiLow, p.CiHigh));
        Assert.All(result.Points, p => Assert.Equal(80, p.EvalExamples));
        Assert.Null(result.Points[0].Gain);
        Assert.Equal(result.Points[1].Score - result.Points[0].Score, result.Points[1].Gain!.Value, 12);
        // Three texts cannot show four labels their words: more gold helps, beyond noise, on the first step.
        Assert.True(result.Points[1].GainCiLow > 0, string.Join("; ", result.Points.Select(p => $"{p.Score} [{p.CiLow}, {p.CiHigh}] gain {p.Gain} [{p.GainCiLow}, {p.GainCiHigh}]")));
        Assert.Equal(result.Points.Select(p => p.Scores), again.Points.Select(p => p.Scores));
        Assert.Equal(result.Points.Select(p => (p.CiLow, p.CiHigh)), again.Points.Select(p => (p.CiLow, p.CiHigh)));
        Assert.Contains(output.Progress, p => p.ActivityId == TrainingCurve.CurveActivityId && p.Completed);
        Assert.Contains(output.Progress, p => p.ParentActivityId == TrainingCurve.CurveActivityId);
    }

    [Fact]
    public void Measure_StoppedInTheSecondFraction_KeepsTheFirst()
    {
        using var stop = new CancellationTokenSource();
        var output = new StopOnVerboseWriter(v => v.Contains("models trained and scored", StringComparison.Ordinal), stop);

        var result = TrainingCurve.Measure(StudentData.ExclusiveGold(80, 1), StudentData.ExclusiveGold(40, 2), Recipe(), new TrainingCurveOptions { Seeds = 2 }, output, stop.Token);

        Assert.True(result.Stopped);
        Assert.Equal([0.25], result.Points.Select(p => p.Fraction));
    }

    [Theory]
    [InlineData(new[] { 0.5, 0.25 })]
    [InlineData(new[] { 0.0, 1.0 })]
    [InlineData(new[] { 0.5, 1.5 })]
    public void Measure_FractionsThatDoNotGrowWithin0And1_AreAnError(double[] fractions)
    {
        var error = Assert.Throws<UptrainException>(() =>
            TrainingCurve.Measure(StudentData.ExclusiveGold(20, 1), StudentData.ExclusiveGold(10, 2), Recipe(), new TrainingCurveOptions { Fractions = fractions }, NullOutputWriter.Instance));

        Assert.Equal("InvalidFraction", error.ErrorId);
    }

    [Fact]
    public void SmallEvalWarning_SpeaksWhenTheLastGainCannotBeTold()
    {
        var points = new[]
        {
            new TrainingCurvePoint("student", 0.5, 50, "macro F", [0.7], 0.7, 0.6, 0.8, null, null, null, 100),
            new TrainingCurvePoint("student", 1.0, 100, "macro F", [0.72], 0.72, 0.62, 0.82, 0.02, -0.03, 0.07, 100),
        };
        var told = new[] { points[0], new TrainingCurvePoint("student", 1.0, 100, "macro F", [0.8], 0.8, 0.7, 0.9, 0.1, 0.05, 0.15, 100) };

        var warning = TrainingCurve.SmallEvalWarning(points);

        Assert.NotNull(warning);
        Assert.Contains("The eval set of 100 texts cannot tell", warning);
        Assert.Contains("About 530 more eval texts would resolve 2 points", warning);
        Assert.Null(TrainingCurve.SmallEvalWarning(told));
    }

    // An interval of ±1.5 points holds 0 but already resolves 2 points: the warning says so without asking for
    // "about 0 more eval texts".
    [Fact]
    public void SmallEvalWarning_AsksForNoMoreTexts_WhenTheEvalSetResolvesTwoPoints()
    {
        var points = new[]
        {
            new TrainingCurvePoint("student", 0.5, 50, "macro F", [0.7], 0.7, 0.68, 0.72, null, null, null, 2000),
            new TrainingCurvePoint("student", 1.0, 100, "macro F", [0.705], 0.705, 0.69, 0.72, 0.005, -0.01, 0.02, 2000),
        };

        var warning = TrainingCurve.SmallEvalWarning(points);

        Assert.NotNull(warning);
        Assert.Contains("The eval set of 2,000 texts cannot tell", warning);
        Assert.DoesNotContain("more eval texts", warning);
    }
}
