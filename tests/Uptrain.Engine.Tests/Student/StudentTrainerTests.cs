using Uptrain.Diagnostics;
using Uptrain.Student;
using Xunit;

namespace Uptrain.Tests.Student;

public sealed class StudentTrainerTests
{
    [Fact]
    public void LearnsAnExclusiveTask()
    {
        var outcome = StudentTrainer.Train(StudentData.Exclusive(800, 1), StudentData.Exclusive(200, 2), StudentData.SmallOptions(), NullOutputWriter.Instance);
        Assert.True(outcome.Model.Exclusive);
        Assert.Equal(StudentData.Labels, outcome.Model.Labels);
        Assert.InRange(StudentData.Accuracy(outcome.Model, StudentData.Exclusive(400, 3)), 0.95, 1.0);
        Assert.InRange(outcome.BestEpoch, 1, 5);
        Assert.Equal(outcome.BestEpoch, outcome.History.Count == 0 ? 0 : outcome.History.Single(h => h.Epoch == outcome.BestEpoch).Epoch);
    }

    [Fact]
    public void LearnsAnExclusiveTaskWithAHiddenLayer()
    {
        var options = StudentData.SmallOptions() with { Hidden = 16 };
        var outcome = StudentTrainer.Train(StudentData.Exclusive(800, 1), StudentData.Exclusive(200, 2), options, NullOutputWriter.Instance);
        Assert.Equal(16, outcome.Model.Hidden);
        Assert.InRange(StudentData.Accuracy(outcome.Model, StudentData.Exclusive(400, 3)), 0.95, 1.0);
    }

    [Fact]
    public void LabelsWithoutExactlyOnePositiveMakeTheTaskMultilabelAsForTheTeacher()
    {
        // The teacher (TrainingPlanner) is exclusive only when every example has exactly one positive label; a gold
        // example whose known labels are all 0 made the student exclusive all the same, and the two models' Scores
        // then meant different things (macro F against macro AUC) on the same data.
        var examples = StudentData.Exclusive(40, 1);
        examples.Add(new StudentExample("none of these", StudentData.Labels.ToDictionary(l => l, _ => 0.0)));
        var rejected = new StudentExample("a binary reject", new Dictionary<string, double> { ["alpha"] = 0.0 });

        Assert.False(StudentTrainer.Train(examples, null, StudentData.SmallOptions(1), NullOutputWriter.Instance).Model.Exclusive);
        Assert.False(StudentTrainer.Train([.. StudentData.Exclusive(40, 1), rejected], null, StudentData.SmallOptions(1), NullOutputWriter.Instance).Model.Exclusive);
        Assert.True(StudentTrainer.Train(StudentData.Exclusive(40, 1), null, StudentData.SmallOptions(1), NullOutputWriter.Instance).Model.Exclusive);
    }

    [Fact]
    public void LearnsAMultilabelTask()
    {
        var outcome = StudentTrainer.Train(StudentData.Multilabel(800, 1), StudentData.Multilabel(200, 2), StudentData.SmallOptions(), NullOutputWriter.Instance);
        Assert.False(outcome.Model.Exclusive);
        Assert.InRange(StudentData.LabelAccuracy(outcome.Model, StudentData.Multilabel(400, 3)), 0.95, 1.0);
    }

    [Fact]
    public void SilverExamplesAreTrainedTowardsTheTeachersProbabilities()
    {
        // Every text of label k carries the soft target 0.7 for k and 0.1 for each other label: the student's
        // probabilities should settle near those values, not near 1 and 0.
        var silver = StudentData.Exclusive(800, 1)
            .Select(e => new StudentExample(e.Text, Scores: e.Cats!.ToDictionary(c => c.Key, c => c.Value == 1.0 ? 0.7 : 0.1)))
            .ToList();
        var outcome = StudentTrainer.Train(silver, StudentData.Exclusive(200, 2), StudentData.SmallOptions(10), NullOutputWriter.Instance);
        foreach (var example in StudentData.Exclusive(40, 3))
        {
            var scores = outcome.Model.ScoreLabels(example.Text);
            var label = example.Cats!.Single(c => c.Value == 1.0).Key;
            Assert.InRange(scores[label], 0.55, 0.85);
        }
    }

    [Fact]
    public void UnknownLabelsAreMaskedOutOfTheLoss()
    {
        // "beta" is never known: its output row keeps its initial values however long training runs, and its bias
        // stays 0, while the other labels' rows move.
        var examples = StudentData.Multilabel(300, 1)
            .Select(e => new StudentExample(e.Text, e.Cats!.Where(c => c.Key != "beta").ToDictionary(c => c.Key, c => c.Value)))
            .ToList();
        var options = StudentData.SmallOptions(1) with { Labels = StudentData.Labels, Exclusive = false };
        var shorter = StudentTrainer.Train(examples, null, options, NullOutputWriter.Instance).Model.Network;
        var longer = StudentTrainer.Train(examples, null, options with { Epochs = 3 }, NullOutputWriter.Instance).Model.Network;
        var width = longer.InputWidth;
        Assert.Equal(0f, longer.OutputBias[1]);
        Assert.Equal(shorter.OutputWeights.AsSpan(width, width).ToArray(), longer.OutputWeights.AsSpan(width, width).ToArray());
        Assert.NotEqual(0f, longer.OutputBias[0]);
        Assert.NotEqual(shorter.OutputWeights.AsSpan(0, width).ToArray(), longer.OutputWeights.AsSpan(0, width).ToArray());
    }

    [Fact]
    public void ExamplesWithoutAnyKnownLabelOrScoreAreIgnoredAndCounted()
    {
        var examples = StudentData.Exclusive(100, 1);
        examples.Add(new StudentExample("nothing known here"));
        examples.Add(new StudentExample("nor here", new Dictionary<string, double> { ["alpha"] = double.NaN }));
        var output = new CollectingOutputWriter();
        var outcome = StudentTrainer.Train(examples, null, StudentData.SmallOptions(1), output);
        Assert.Equal(2, outcome.IgnoredExamples);
        Assert.Equal(100, outcome.TrainedExamples);
        Assert.True(outcome.EvaluatedOnTraining);
        Assert.Contains(output.Verbose, v => v.StartsWith("2 of 102 ", StringComparison.Ordinal));
        Assert.Contains(output.Progress, p => p.Completed);
    }

    [Fact]
    public void OneThreadAndASeedGiveTheSameModelBitForBit()
    {
        var train = StudentData.Exclusive(300, 1);
        var options = StudentData.SmallOptions(3) with { Hidden = 8 };
        var first = StudentTrainer.Train(train, null, options, NullOutputWriter.Instance).Model;
        var second = StudentTrainer.Train(train, null, options, NullOutputWriter.Instance).Model;
        var other = StudentTrainer.Train(train, null, options with { Seed = 8 }, NullOutputWriter.Instance).Model;
        Assert.Equal(first.Network.Dense.Values, second.Network.Dense.Values);
        Assert.Equal(first.Network.OutputWeights, second.Network.OutputWeights);
        Assert.Equal(first.Score(train[0].Text), second.Score(train[0].Text));
        Assert.NotEqual(first.Network.Dense.Values, other.Network.Dense.Values);
    }

    [Fact]
    public void SeveralThreadsStillLearn()
    {
        var options = StudentData.SmallOptions() with { Threads = 4 };
        var outcome = StudentTrainer.Train(StudentData.Exclusive(2000, 1), StudentData.Exclusive(200, 2), options, NullOutputWriter.Instance);
        Assert.InRange(StudentData.Accuracy(outcome.Model, StudentData.Exclusive(400, 3)), 0.95, 1.0);
    }

    [Fact]
    public void ConcurrentScoringGivesTheSameScoresAsSequentialScoring()
    {
        var model = StudentTrainer.Train(StudentData.Exclusive(300, 1), null, StudentData.SmallOptions(2), NullOutputWriter.Instance).Model;
        var texts = StudentData.Exclusive(400, 5).Select(e => e.Text).ToArray();
        var sequential = texts.Select(model.Score).ToArray();
        var concurrent = new float[texts.Length][];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => concurrent[i] = model.Score(texts[i]));
        Assert.Equal(sequential, concurrent);
    }

    [Fact]
    public void OnlyTheRowsOfTrainingFeaturesAreStored()
    {
        var train = StudentData.Exclusive(50, 1);
        var options = StudentData.SmallOptions(1);
        var model = StudentTrainer.Train(train, null, options, NullOutputWriter.Instance).Model;
        var featurizer = new StudentFeaturizer(options.Buckets, options.WordNgrams, options.CharNgrams);
        var expected = train.SelectMany(e => featurizer.Rows(e.Text)).Distinct().Order().ToArray();
        Assert.Equal(expected, model.RowBuckets);
        Assert.Equal(expected.Length * options.Dimension, model.Network.Dense.Values.Length);

        // A text with no stored feature scores the output biases alone.
        Assert.Equal(model.Score(string.Empty), model.Score("zzzzqqqq"));
    }

    [Fact]
    public void MinCountStoresOnlyFeaturesSeenOftenEnough()
    {
        var train = StudentData.Exclusive(50, 1);
        var options = StudentData.SmallOptions(1) with { MinCount = 3 };
        var model = StudentTrainer.Train(train, null, options, NullOutputWriter.Instance).Model;
        var featurizer = new StudentFeaturizer(options.Buckets, options.WordNgrams, options.CharNgrams);
        var expected = train.SelectMany(e => featurizer.Rows(e.Text)).CountBy(r => r).Where(c => c.Value >= 3).Select(c => c.Key).Order().ToArray();
        Assert.Equal(expected, model.RowBuckets);
        Assert.True(expected.Length < train.SelectMany(e => featurizer.Rows(e.Text)).Distinct().Count());
    }

    [Fact]
    public void APositiveLabelThatIsNoLabelIsRefusedBeforeAnyTraining()
    {
        var output = new CollectingOutputWriter();
        var options = StudentData.SmallOptions(2) with { PositiveLabel = "omega" };

        var error = Assert.Throws<UptrainException>(() => StudentTrainer.Train(StudentData.Exclusive(100, 1), null, options, output));

        Assert.Equal("UnknownPositiveLabel", error.ErrorId);
        Assert.Empty(output.Progress);
    }

    [Fact]
    public void NoExamplesAtAllIsNoExamplesNotEmptyCats()
    {
        // Nothing piped was reported as "their Cats are empty" (issue 19, 8), as if examples had come without labels.
        var error = Assert.Throws<UptrainException>(() => StudentTrainer.Train([], null, StudentData.SmallOptions(1), NullOutputWriter.Instance));
        Assert.Equal("NoExamples", error.ErrorId);
        Assert.DoesNotContain("Cats", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExclusiveTaskOfOneLabelIsRefusedAsTheTeacherRefusesIt()
    {
        // A softmax over one label gives it 1.0 whatever the text: the run reported BestScore 1.0 for a model that
        // cannot tell anything apart (issue 19, 4).
        var one = Enumerable.Range(0, 20).Select(i => new StudentExample($"text {i}", new Dictionary<string, double> { ["DESC"] = 1.0 })).ToList();
        var error = Assert.Throws<UptrainException>(() => StudentTrainer.Train(one, null, StudentData.SmallOptions(1), NullOutputWriter.Instance));
        Assert.Equal("SingleLabel", error.ErrorId);
        Assert.Contains("'DESC'", error.Message, StringComparison.Ordinal);

        // One label as a yes/no (multilabel) task is a real model, as for the teacher.
        var yesNo = one.Select((e, i) => e with { Cats = new Dictionary<string, double> { ["DESC"] = i % 2 } }).ToList();
        Assert.False(StudentTrainer.Train(yesNo, null, StudentData.SmallOptions(1), NullOutputWriter.Instance).Model.Exclusive);
    }

    [Fact]
    public void PredictionsOfModelsWithDifferentLabelsAreRefused()
    {
        // Six labels from one model and two from another made one 8-label "exclusive" student without a word (issue
        // 19, 3); Select-UptrainExample refuses the same mix as LabelsDiffer.
        var six = StudentData.Exclusive(40, 1).Select(e => new StudentExample(e.Text, Scores: e.Cats!.ToDictionary(c => c.Key, c => c.Value == 1 ? 0.8 : 0.04))).ToList();
        var two = new StudentExample("another model's text", Scores: new Dictionary<string, double> { ["spam"] = 0.9, ["ham"] = 0.1 });
        var error = Assert.Throws<UptrainException>(() => StudentTrainer.Train([.. six, two], null, StudentData.SmallOptions(1), NullOutputWriter.Instance));
        Assert.Equal("LabelsDiffer", error.ErrorId);
        Assert.Contains("another model's text", error.Message, StringComparison.Ordinal);
        Assert.Contains("spam, ham", error.Message, StringComparison.Ordinal);

        // The same labels in another order are the same model's labels.
        var reordered = six[0] with { Text = "reordered", Scores = six[0].Scores!.Reverse().ToDictionary(p => p.Key, p => p.Value) };
        Assert.True(StudentTrainer.Train([.. six, reordered], null, StudentData.SmallOptions(1), NullOutputWriter.Instance).Model.Exclusive);
    }

    [Fact]
    public void OneHugeTextDoesNotWreckTheStudent()
    {
        // 300 labelled texts and one 5 MB text: eval accuracy fell from 0.967 to 0.273 and nearly every text scored
        // 1.0 (issue 19, 2). Every row of a text stepped by the whole gradient, so the rows of a text with millions of
        // features (nearly every row there is) moved at every epoch towards its one label.
        var train = StudentData.Exclusive(300, 1);
        var eval = StudentData.Exclusive(200, 2);
        var huge = string.Join(' ', StudentData.Exclusive(60_000, 9).Select(e => e.Text));
        Assert.True(huge.Length > 4_000_000);
        var options = StudentData.SmallOptions(10) with { Patience = 10 };

        var without = StudentData.Accuracy(StudentTrainer.Train(train, eval, options, NullOutputWriter.Instance).Model, StudentData.Exclusive(400, 3));
        var withHuge = StudentTrainer.Train([.. train, new StudentExample(huge, train[0].Cats)], eval, options, NullOutputWriter.Instance).Model;

        Assert.InRange(StudentData.Accuracy(withHuge, StudentData.Exclusive(400, 3)), without - 0.01, 1.0);
    }

    [Fact]
    public void ThePreparationOfTheTextsShowsProgressAndAStopThereEndsTheRunBeforeAnyEpoch()
    {
        // A stop during the setup (featurizing, counting rows, the token vectors' table) took 5.6-7 s to come back on
        // a large pool: the token was checked only once training had begun (issue 19, 6).
        using var cancel = new CancellationTokenSource();
        var output = new CancelOnProgressWriter(cancel, p => p.ActivityId == StudentTrainer.RunActivityId && p.PercentComplete == 100 && !p.Completed);

        Assert.ThrowsAny<OperationCanceledException>(() =>
            StudentTrainer.Train(StudentData.Exclusive(3000, 1), null, StudentData.SmallOptions(2), output, cancel.Token, StudentVectorData.Table()));

        Assert.Contains(output.Seen, p => p.Status.StartsWith("Preparing", StringComparison.Ordinal) && p.PercentComplete < 100);
        Assert.DoesNotContain(output.Seen, p => p.Status.StartsWith("epoch", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void WithoutEvalDataAFixedShareOfTheTrainingTextsIsScoredNotAllOfThem()
    {
        // Without -EvalData every training text was scored after every epoch and again after a stop: a stop in the first
        // epoch of 100,000 texts took 7.5 s to come back (issue 19, 6).
        var train = StudentData.Exclusive(StudentEvaluation.MaxTrainingStandIn + 1500, 1);
        var outcome = StudentTrainer.Train(train, null, StudentData.SmallOptions(1), NullOutputWriter.Instance);

        Assert.True(outcome.EvaluatedOnTraining);
        Assert.Equal(StudentEvaluation.MaxTrainingStandIn, outcome.EvalExamples);

        // Fewer texts than that are all scored.
        Assert.Equal(300, StudentTrainer.Train(StudentData.Exclusive(300, 1), null, StudentData.SmallOptions(1), NullOutputWriter.Instance).EvalExamples);
    }

    /// <summary>Records progress, and cancels its source at the first record that <paramref name="when"/> picks.</summary>
    private sealed class CancelOnProgressWriter(CancellationTokenSource cancel, Func<ProgressInfo, bool> when) : IOutputWriter
    {
        public List<ProgressInfo> Seen { get; } = [];

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
            Seen.Add(progress);
            if (when(progress))
            {
                cancel.Cancel();
            }
        }
    }

    [Fact]
    public void AStopBeforeAnyStepTrainsNothing()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => StudentTrainer.Train(StudentData.Exclusive(100, 1), null, StudentData.SmallOptions(3), NullOutputWriter.Instance, cancel.Token));
    }

    [Fact]
    public void AStopWithinTheFirstEpochKeepsTheWeightsAtTheStop()
    {
        // 1,000 examples are four chunks; one thread trains them in turn and reports after each, so the stop comes after one.
        using var cancel = new CancellationTokenSource();
        var writer = new CancellingWriter(cancel);
        var outcome = StudentTrainer.Train(StudentData.Exclusive(1000, 1), null, StudentData.SmallOptions(3) with { Threads = 1 }, writer, cancel.Token);

        Assert.True(outcome.Stopped);
        Assert.Equal(1, writer.Steps);
        Assert.Equal(0, outcome.BestEpoch);
        Assert.Empty(outcome.History);
        Assert.InRange(outcome.BestScore.Score, 0, 1);
    }

    [Fact]
    public void ALearningRateFarTooHighStopsWithAClearError()
    {
        var options = StudentData.SmallOptions(2) with { LearningRate = 1e30 };
        var error = Assert.Throws<UptrainException>(() => StudentTrainer.Train(StudentData.Exclusive(100, 1), null, options, NullOutputWriter.Instance));
        Assert.Equal("TrainingDiverged", error.ErrorId);
        Assert.Contains("lower learning rate", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Epochs")]
    [InlineData("LearningRate")]
    [InlineData("Buckets")]
    [InlineData("L2")]
    [InlineData("SifCoefficient")]
    public void InvalidOptionsAreRefusedBeforeTraining(string option)
    {
        var options = option switch
        {
            "Epochs" => StudentData.SmallOptions() with { Epochs = 0 },
            "LearningRate" => StudentData.SmallOptions() with { LearningRate = double.NaN },
            "Buckets" => StudentData.SmallOptions() with { Buckets = StudentTrainingOptions.MaxBuckets + 1 },
            "L2" => StudentData.SmallOptions() with { L2 = -1e-3 },
            _ => StudentData.SmallOptions() with { SifCoefficient = 0 },
        };
        var error = Assert.Throws<UptrainException>(() => StudentTrainer.Train(StudentData.Exclusive(10, 1), null, options, NullOutputWriter.Instance));
        Assert.Equal("InvalidTrainingOption", error.ErrorId);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WeightDecayShrinksTheWeightsItUpdates()
    {
        double Norm(StudentModel model) => model.Network.OutputWeights.Sum(w => (double)w * w) + model.Network.Dense.Values.Sum(w => (double)w * w);
        var data = StudentData.Exclusive(200, 1);
        var plain = StudentTrainer.Train(data, null, StudentData.SmallOptions(3) with { L2 = 0 }, NullOutputWriter.Instance).Model;
        var decayed = StudentTrainer.Train(data, null, StudentData.SmallOptions(3) with { L2 = 0.1 }, NullOutputWriter.Instance).Model;
        Assert.True(Norm(decayed) < Norm(plain) * 0.8, $"{Norm(decayed)} against {Norm(plain)}");
        Assert.True(StudentData.Accuracy(decayed, StudentData.Exclusive(100, 2)) > 0.9);
    }

    [Theory]
    [InlineData(500, 1e-3)]
    [InlineData(2500, 1e-3)]
    [InlineData(10000, 2.5e-4)]
    [InlineData(20000, 1.25e-4)]
    public void WeightDecayShrinksInProportionForLargerRuns(int examples, double decay) =>
        Assert.Equal(decay, StudentTrainingLoop.DecayPerStep(1e-3, examples), 12);
}
