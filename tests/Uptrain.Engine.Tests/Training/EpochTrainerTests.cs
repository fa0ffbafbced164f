using Uptrain.Diagnostics;
using Uptrain.Metrics;
using Uptrain.Training;

namespace Uptrain.Tests.Training;

/// <summary>The one epoch loop, driven through a scripted model: what it keeps, when it stops, what a stop leaves.</summary>
public sealed class EpochTrainerTests
{
    private static readonly TrainingProgress Progress = new("Training", 1, 2);

    [Fact]
    public void KeepsTheLatestEpochWithinNoiseOfTheBestAndPutsItsWeightsBack()
    {
        // 1,000 eval texts: the standard error near 0.8 is 0.013, so 0.79 after 0.80 is kept and 0.70 is not.
        var model = new ScriptedModel(scores: [0.60, 0.80, 0.79, 0.70]);
        var output = new CollectingOutputWriter();

        var run = new EpochTrainer(4, patience: 10, evalExamples: 1000, Progress, output).Run(model, 0.1, CancellationToken.None);

        Assert.Equal(3, run.KeptEpoch);
        Assert.Equal(0.79, run.KeptScore.Score, 6);
        Assert.Equal(4, run.History.Count);
        Assert.Equal(3, model.Weights);
        Assert.False(run.Stopped);
        Assert.False(run.EarlyStopped);
        Assert.All(output.Progress.GroupBy(p => p.ActivityId), activity => Assert.True(activity.Last().Completed));
    }

    [Fact]
    public void StopsEarlyAfterPatienceEpochsWithoutABetterScore()
    {
        var model = new ScriptedModel(scores: [0.9, 0.5, 0.5, 0.5, 0.5, 0.5]);

        var run = new EpochTrainer(6, patience: 2, evalExamples: 1000, Progress, NullOutputWriter.Instance).Run(model, 0.1, CancellationToken.None);

        Assert.True(run.EarlyStopped);
        Assert.Equal(3, run.History.Count);
        Assert.Equal(1, run.KeptEpoch);
        Assert.Equal(1, model.Weights);
    }

    [Fact]
    public void AStopWithinTheFirstEpochKeepsTheWeightsAtTheStop()
    {
        using var stop = new CancellationTokenSource();
        var model = new ScriptedModel(scores: [0.9, 0.9]) { CancelAfterStep = (1, 2, stop) };

        var run = new EpochTrainer(2, patience: 2, evalExamples: 100, Progress, NullOutputWriter.Instance).Run(model, 0.1, stop.Token);

        Assert.True(run.Stopped);
        Assert.Equal(0, run.KeptEpoch);
        Assert.Empty(run.History);
        Assert.Equal(0, model.Restored);
        Assert.Equal(1, model.Evaluations);
        Assert.Equal(ScriptedModel.CurrentScore, run.KeptScore.Score, 6);
    }

    [Fact]
    public void AStopAfterAnEpochKeepsThatEpoch()
    {
        using var stop = new CancellationTokenSource();
        var model = new ScriptedModel(scores: [0.7, 0.9, 0.9]) { CancelAfterStep = (2, 1, stop) };

        var run = new EpochTrainer(3, patience: 2, evalExamples: 100, Progress, NullOutputWriter.Instance).Run(model, 0.1, stop.Token);

        Assert.True(run.Stopped);
        Assert.Equal(1, run.KeptEpoch);
        Assert.Equal(0.7, run.KeptScore.Score, 6);
        Assert.Equal(1, model.Weights);
    }

    [Fact]
    public void AStopBeforeAnyStepTrainsNothingAndEndsAsCancelled()
    {
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        var model = new ScriptedModel(scores: [0.9]);
        var output = new CollectingOutputWriter();

        Assert.ThrowsAny<OperationCanceledException>(() => new EpochTrainer(1, patience: 2, evalExamples: 100, Progress, output).Run(model, 0.1, stop.Token));

        Assert.Equal(0, model.Evaluations);
        Assert.All(output.Progress.GroupBy(p => p.ActivityId), activity => Assert.True(activity.Last().Completed));
    }

    [Fact]
    public void ALossThatIsNotANumberIsTrainingDiverged()
    {
        var model = new ScriptedModel(scores: [0.9, 0.9]) { Loss = double.NaN };

        var error = Assert.Throws<UptrainException>(() => new EpochTrainer(2, patience: 2, evalExamples: 100, Progress, NullOutputWriter.Instance).Run(model, 0.5, CancellationToken.None));

        Assert.Equal("TrainingDiverged", error.ErrorId);
        Assert.Contains("0.5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportsEveryStepAsAChildOfTheEpoch()
    {
        var model = new ScriptedModel(scores: [0.5, 0.6]);
        var output = new CollectingOutputWriter();

        new EpochTrainer(2, patience: 2, evalExamples: 100, Progress, output).Run(model, 0.1, CancellationToken.None);

        var steps = output.Progress.Where(p => p.ActivityId == Progress.EpochActivityId && p.Status.StartsWith("step", StringComparison.Ordinal)).ToList();
        Assert.Equal(2 * ScriptedModel.Steps, steps.Count);
        Assert.All(steps, p => Assert.Equal(Progress.RunActivityId, p.ParentActivityId));
        Assert.Equal(100, steps[^1].PercentComplete);
    }

    /// <summary>
    /// A model whose eval score after epoch e is scores[e - 1]; its "weights" are the number of the last epoch trained,
    /// so the test sees which epoch's weights were kept and put back.
    /// </summary>
    private sealed class ScriptedModel(double[] scores) : IEpochModel
    {
        public const int Steps = 3;

        /// <summary>The score of weights that are not an epoch's (stopped within one).</summary>
        public const double CurrentScore = 0.25;

        private int _epoch;
        private int _kept;
        private bool _partial;

        public int StepsPerEpoch => Steps;

        public int WarmupSteps => 0;

        public double Loss { get; init; } = 0.5;

        /// <summary>Cancel the source after this step of this epoch.</summary>
        public (int Epoch, int Step, CancellationTokenSource Source)? CancelAfterStep { get; init; }

        public int Weights { get; private set; }

        public int Evaluations { get; private set; }

        public int Restored { get; private set; }

        public EpochPass TrainEpoch(int epoch, Action<int, int, double> stepDone, CancellationToken cancellationToken)
        {
            for (var step = 1; step <= Steps; step++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return new EpochPass(Loss, step - 1, (step - 1) * 10, Cancelled: true);
                }

                _partial = true;
                stepDone(step, step * 10, Loss);
                if (CancelAfterStep is { } cancel && cancel.Epoch == epoch && cancel.Step == step)
                {
                    cancel.Source.Cancel();
                    return new EpochPass(Loss, step, step * 10, Cancelled: step < Steps);
                }
            }

            _epoch = epoch;
            Weights = epoch;
            _partial = false;
            return new EpochPass(Loss, Steps, Steps * 10, Cancelled: false);
        }

        public TextcatScore Evaluate()
        {
            Evaluations++;
            return Score(_partial && _kept == 0 && _epoch == 0 ? CurrentScore : scores[_epoch - 1]);
        }

        public void KeepWeights() => _kept = Weights;

        public void RestoreKeptWeights()
        {
            Restored++;
            Weights = _kept;
        }

        /// <summary>A macro F of exactly <paramref name="accuracy"/>: 200 texts of two alternating labels, the errors shared evenly.</summary>
        private static TextcatScore Score(double accuracy)
        {
            var accumulator = new TextcatScoreAccumulator(new TextcatScorerOptions { Labels = ["a", "b"], Exclusive = true });
            var right = (int)Math.Round(accuracy * 200);
            for (var i = 0; i < 200; i++)
            {
                var gold = i % 2 == 0 ? "a" : "b";
                var predicted = i < right ? gold : (gold == "a" ? "b" : "a");
                accumulator.Add(new ScoredItem(
                    new Dictionary<string, double> { ["a"] = gold == "a" ? 1 : 0, ["b"] = gold == "b" ? 1 : 0 },
                    new Dictionary<string, double> { ["a"] = predicted == "a" ? 0.9 : 0.1, ["b"] = predicted == "b" ? 0.9 : 0.1 }));
            }

            return accumulator.Finish();
        }
    }
}
