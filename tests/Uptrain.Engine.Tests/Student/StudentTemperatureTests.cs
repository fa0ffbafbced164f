using Uptrain.Diagnostics;
using Uptrain.Student;

namespace Uptrain.Tests.Student;

/// <summary>The teacher's scores at several temperatures: each tried on the eval data, the best kept.</summary>
public sealed class StudentTemperatureTests
{
    /// <summary>Silver texts whose teacher is right but unsure (0.4 for the right label, 0.2 for each other), and a few gold.</summary>
    private static List<StudentExample> UnsureSilver(int count, int seed) =>
    [
        .. StudentData.Exclusive(count, seed).Select(e => new StudentExample(e.Text, Scores: e.Cats!.ToDictionary(c => c.Key, c => c.Value == 1.0 ? 0.4 : 0.2))),
        .. StudentData.Exclusive(8, seed + 100),
    ];

    private static StudentTrainingOptions Options(params double[] temperatures) =>
        StudentData.SmallOptions(1) with { Temperatures = temperatures, WordOrderFilters = 4 };

    /// <summary>
    /// Multilabel silver (0.6 where a label applies, 0.4 where not) and eval texts with one label in five flipped, so that
    /// the eval macro AUC is below 1 and tells any two students apart.
    /// </summary>
    private static (List<StudentExample> Train, List<StudentExample> Eval) UnsureMultilabel()
    {
        var train = StudentData.Multilabel(60, 1).Select(e => new StudentExample(e.Text, Scores: e.Cats!.ToDictionary(c => c.Key, c => c.Value == 1.0 ? 0.6 : 0.4))).ToList();
        var eval = StudentData.Multilabel(200, 2).Select((e, i) => i % 5 != 0 ? e : new StudentExample(e.Text, e.Cats!.ToDictionary(c => c.Key, c => c.Key == "alpha" ? 1 - c.Value : c.Value))).ToList();
        return (train, eval);
    }

    [Theory]
    [InlineData(1.0, 0.1)]
    [InlineData(0.1, 1.0)]
    public void EachTemperatureIsTriedOnTheEvalDataAndTheBestKept(double first, double second)
    {
        var (train, eval) = UnsureMultilabel();
        var output = new CollectingOutputWriter();
        var outcome = StudentTrainer.Train(train, eval, Options(first, second), output, default, StudentVectorData.Table());

        Assert.Equal([first, second], outcome.TemperatureScores!.Select(t => t.Temperature));
        var scores = outcome.TemperatureScores!.Select(t => t.Score.Score).ToArray();
        Assert.NotEqual(scores[0], scores[1]);
        var best = outcome.TemperatureScores!.MaxBy(t => t.Score.Score)!;
        Assert.Equal(best.Temperature, outcome.Temperature);
        Assert.Contains(output.Verbose, v => v.StartsWith($"Kept temperature {best.Temperature} ", StringComparison.Ordinal));

        // The same as a run at the kept temperature alone (the word-order part included: it trains on the kept targets),
        // and each tried run scored as that temperature scores alone.
        var alone = StudentTrainer.Train(train, eval, Options(best.Temperature), NullOutputWriter.Instance, default, StudentVectorData.Table());
        Assert.Equal(alone.Model.Network.Dense.Values, outcome.Model.Network.Dense.Values);
        Assert.Equal(alone.Model.WordOrder!.Network.OutputWeights, outcome.Model.WordOrder!.Network.OutputWeights);
        Assert.Equal(alone.BestScore.Score, outcome.BestScore.Score);
        Assert.Equal(best.Temperature, alone.Temperature);
        Assert.Empty(alone.TemperatureScores!);
        foreach (var tried in outcome.TemperatureScores!)
        {
            var run = StudentTrainer.Train(train, eval, Options(tried.Temperature) with { WordOrderFilters = 0 }, NullOutputWriter.Instance, default, StudentVectorData.Table());
            Assert.Equal(run.BestScore.Score, tried.Score.Score);
        }
    }

    [Fact]
    public void EqualScoresKeepTheFirstTemperature()
    {
        // Easy texts and a sure teacher: every temperature gets all eval texts right.
        var silver = StudentData.Exclusive(400, 1).Select(e => new StudentExample(e.Text, Scores: e.Cats!.ToDictionary(c => c.Key, c => c.Value == 1.0 ? 0.7 : 0.1))).ToList();
        var outcome = StudentTrainer.Train(silver, StudentData.Exclusive(100, 2), StudentData.SmallOptions(5) with { Temperatures = [0.5, 1.0] }, NullOutputWriter.Instance);
        Assert.Equal([1.0, 1.0], outcome.TemperatureScores!.Select(t => t.Score.Score));
        Assert.Equal(0.5, outcome.Temperature);
    }

    [Fact]
    public void WithoutEvalDataOnlyTheFirstTemperatureIsUsed()
    {
        var train = UnsureSilver(60, 1);
        var output = new CollectingOutputWriter();
        var outcome = StudentTrainer.Train(train, null, Options(0.1, 1.0), output);
        var alone = StudentTrainer.Train(train, null, Options(0.1), NullOutputWriter.Instance);

        Assert.Equal(0.1, outcome.Temperature);
        Assert.Empty(outcome.TemperatureScores!);
        Assert.Equal(alone.Model.Network.Dense.Values, outcome.Model.Network.Dense.Values);
        Assert.DoesNotContain(output.Verbose, v => v.Contains("temperature", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void GoldAloneIsTrainedOnceHavingNoTeachersScoresToTemper()
    {
        var output = new CollectingOutputWriter();
        var outcome = StudentTrainer.Train(StudentData.Exclusive(100, 1), StudentData.Exclusive(50, 2), Options(1.0, 0.1) with { WordOrderFilters = 0 }, output);

        Assert.Equal(1.0, outcome.Temperature);
        Assert.Empty(outcome.TemperatureScores!);
        Assert.DoesNotContain(output.Verbose, v => v.Contains("temperature", StringComparison.Ordinal));
    }

    [Fact]
    public void ScoresThatKnownLabelsCoverEverywhereAreTrainedOnce()
    {
        // Triage decisions carry their silver Cats beside the teacher's scores; where the Cats name every label the scores
        // make no target, so no temperature changes anything.
        var decided = StudentData.Exclusive(100, 1).Select(e => e with { Scores = e.Cats!.ToDictionary(c => c.Key, c => c.Value == 1.0 ? 0.4 : 0.2) }).ToList();
        var outcome = StudentTrainer.Train(decided, StudentData.Exclusive(50, 2), Options(1.0, 0.1) with { WordOrderFilters = 0 }, NullOutputWriter.Instance);
        Assert.Empty(outcome.TemperatureScores!);

        // One label left to the scores on one example is enough to try both.
        var open = decided[0].Cats!.First(c => c.Value == 0.0).Key;
        decided[0] = decided[0] with { Cats = decided[0].Cats!.Where(c => c.Key != open).ToDictionary() };
        Assert.Equal(2, StudentTrainer.Train(decided, StudentData.Exclusive(50, 2), Options(1.0, 0.1) with { WordOrderFilters = 0 }, NullOutputWriter.Instance).TemperatureScores!.Count);
    }

    [Fact]
    public void AStopWhileASecondTemperatureTrainsKeepsTheFirst()
    {
        var train = UnsureSilver(600, 1);
        var eval = StudentData.Exclusive(100, 2);
        using var cancel = new CancellationTokenSource();
        var output = new CancelOnActivityWriter(cancel, "2 of 2");
        var outcome = StudentTrainer.Train(train, eval, Options(1.0, 0.1) with { Epochs = 2 }, output, cancel.Token, StudentVectorData.Table());
        var alone = StudentTrainer.Train(train, eval, Options(1.0) with { Epochs = 2, WordOrderFilters = 0 }, NullOutputWriter.Instance, default, StudentVectorData.Table());

        Assert.True(outcome.Stopped);
        Assert.Equal(1.0, outcome.Temperature);
        Assert.False(outcome.Model.HasWordOrder);
        Assert.Equal(alone.Model.Network.Dense.Values, outcome.Model.Network.Dense.Values);
    }

    [Fact]
    public void RetargetingTempersOnlyTheTeachersScoresAndComesBack()
    {
        var train = UnsureSilver(20, 1);
        var data = StudentTrainingData.Prepare(train, StudentData.SmallOptions() with { Temperatures = [1.0] }, NullOutputWriter.Instance);
        var original = data.Targets.Select(t => t.ToArray()).ToArray();

        data.Retarget(train, 0.1);
        Assert.Equal(0.1, data.Temperature);
        for (var i = 0; i < data.Count; i++)
        {
            var example = train[data.Sources[i]];
            if (example.Scores is null)
            {
                Assert.Equal(original[i], data.Targets[i]);
            }
            else
            {
                // 0.4 against 0.2 at temperature 0.1: 2^10 = 1,024 to 1 for each other label.
                Assert.Equal(1024f / 1027f, data.Targets[i].Max(), 4);
            }
        }

        data.Retarget(train, 1.0);
        Assert.Equal(original, data.Targets);
    }

    [Theory]
    [InlineData(new double[0])]
    [InlineData(new[] { 1.0, 0.0 })]
    [InlineData(new[] { double.NaN })]
    public void InvalidTemperaturesAreRefusedBeforeTraining(double[] temperatures)
    {
        var error = Assert.Throws<UptrainException>(() => StudentTrainer.Train(StudentData.Exclusive(10, 1), null, StudentData.SmallOptions() with { Temperatures = temperatures }, NullOutputWriter.Instance));
        Assert.Equal("InvalidTrainingOption", error.ErrorId);
        Assert.Contains("Temperatures", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Keeps verbose lines; cancels its source when a progress activity containing <paramref name="text"/> starts.</summary>
    private sealed class CancelOnActivityWriter(CancellationTokenSource cancel, string text) : IOutputWriter
    {
        public void WriteError(RecordError error)
        {
        }

        public void WriteWarning(string message)
        {
        }

        public void WriteVerbose(string message)
        {
        }

        public void WriteProgress(ProgressInfo progress)
        {
            if (progress.Activity.Contains(text, StringComparison.Ordinal))
            {
                cancel.Cancel();
            }
        }
    }
}
