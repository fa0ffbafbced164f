using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Teacher;
using Uptrain.Training;
using Uptrain.Tests.Data;
using Uptrain.Text;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Uptrain.Tests.Teacher;

/// <summary>
/// Training runs draw from TorchSharp's global generator (dropout, head initialisation), so these tests run apart from
/// every other test class: another class seeding or drawing in parallel would break the determinism they check.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchTrainingCollection : ICollectionFixture<TinyBaseModel>
{
    public const string Name = "Torch training";
}

/// <summary>The tiny base model, written once for all training tests.</summary>
public sealed class TinyBaseModel : IDisposable
{
    private readonly TempDir _dir = new();

    public TinyBaseModel() => Folder = TinyTask.WriteBaseModel(Path.Combine(_dir.Path, "tiny-bert"));

    public string Folder { get; }

    public void Dispose() => _dir.Dispose();
}

[Collection(TorchTrainingCollection.Name)]
public sealed class TeacherTrainerTests(TinyBaseModel tiny, ITestOutputHelper log) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TinyBertLearnsASeparableTask()
    {
        var train = TinyTask.Exclusive(200, seed: 1);
        var eval = TinyTask.Exclusive(60, seed: 2);
        var writer = new CollectingOutputWriter();
        var clock = Stopwatch.StartNew();

        var result = TeacherTrainer.Train(train, eval, TinyTask.Options(tiny.Folder, _dir.File("model")), writer, CancellationToken.None);

        log.WriteLine($"trained in {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var line in writer.Verbose)
        {
            log.WriteLine(line);
        }

        Assert.True(result.Card.Metrics["accuracy"] >= 0.95, $"accuracy {result.Card.Metrics["accuracy"]}");
        Assert.Equal(result.Card.Metrics["score"], result.BestScore);
        Assert.Equal("macro F", result.ScoreDescription);
        Assert.True(result.History[^1].Loss < result.History[0].Loss / 2, string.Join(", ", result.History.Select(h => h.Loss)));
        // The latest epoch within the eval score's noise of the best (EpochSelector) is kept.
        var top = result.History.Max(h => h.EvalScore);
        Assert.Equal(result.History.Last(h => h.EvalScore >= top - EpochSelector.Tolerance(top, eval.Count)).Epoch, result.BestEpoch);
        Assert.False(result.Stopped);
        Assert.Contains(writer.Verbose, v => v.StartsWith("epoch 1/10: loss ", StringComparison.Ordinal) && v.Contains("eval macro F", StringComparison.Ordinal));
        Assert.Contains(writer.Progress, p => p.ActivityId == TeacherTrainer.EpochActivityId && p.ParentActivityId == TeacherTrainer.RunActivityId && p.Status.StartsWith("step 13/13, loss", StringComparison.Ordinal));
        Assert.True(writer.Progress[^1].Completed);
    }

    [Fact]
    public void TheSameSeedGivesTheSameRun()
    {
        var train = TinyTask.Exclusive(64, seed: 3);
        var eval = TinyTask.Exclusive(20, seed: 4);
        TrainingResult Run(int seed, string name) => TeacherTrainer.Train(
            train, eval, TinyTask.Options(tiny.Folder, _dir.File(name)) with { Epochs = 2, Seed = seed }, NullOutputWriter.Instance, CancellationToken.None);

        var first = Run(7, "a");
        var second = Run(7, "b");
        var other = Run(8, "c");

        Assert.Equal(first.History.Select(h => (h.Loss, h.EvalScore)), second.History.Select(h => (h.Loss, h.EvalScore)));
        Assert.NotEqual(first.History.Select(h => h.Loss), other.History.Select(h => h.Loss));
        Assert.Equal(File.ReadAllBytes(Path.Combine(first.ModelPath, "model.onnx")), File.ReadAllBytes(Path.Combine(second.ModelPath, "model.onnx")));
    }

    [Theory]
    [InlineData(TrainingPrecision.Float32, "float32")]
    [InlineData(TrainingPrecision.BFloat16, "bfloat16")]
    public void EitherPrecisionLearnsTheTaskAndTheCardSaysWhichRan(TrainingPrecision precision, string name)
    {
        var writer = new CollectingOutputWriter();

        var result = TeacherTrainer.Train(
            TinyTask.Exclusive(200, seed: 1),
            TinyTask.Exclusive(60, seed: 2),
            TinyTask.Options(tiny.Folder, _dir.File(name)) with { Precision = precision },
            writer,
            CancellationToken.None);

        Assert.True(result.Card.Metrics["accuracy"] >= 0.95, $"{name}: accuracy {result.Card.Metrics["accuracy"]}");
        Assert.Equal(name, result.Card.Training["precision"]);
        Assert.Equal(precision == TrainingPrecision.BFloat16, writer.Verbose.Any(v => v.Contains("bfloat16 while training", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheFusedOptimizerTrainsAsTorchSharpsAdamWDoes()
    {
        // Same data, seed and float32 arithmetic: the two optimizers differ only in rounding, so the runs agree closely.
        var train = TinyTask.Exclusive(64, seed: 3);
        var eval = TinyTask.Exclusive(20, seed: 4);
        TrainingResult Run(bool fused) => TeacherTrainer.Train(
            train,
            eval,
            TinyTask.Options(tiny.Folder, _dir.File(fused ? "fused" : "torch")) with { Epochs = 3, Precision = TrainingPrecision.Float32, FusedOptimizer = fused },
            NullOutputWriter.Instance,
            CancellationToken.None);

        var fused = Run(fused: true);
        var reference = Run(fused: false);

        Assert.Equal(3, fused.History.Count);
        Assert.All(fused.History.Zip(reference.History), pair => Assert.Equal(pair.Second.Loss, pair.First.Loss, 1e-4));
        Assert.Equal(reference.History.Select(h => h.EvalScore), fused.History.Select(h => h.EvalScore));
        Assert.True(fused.History[^1].Loss < fused.History[0].Loss);
    }

    [Fact]
    public void TheModelFolderScoresInOnnxRuntimeAsInTorchSharp()
    {
        var train = TinyTask.Exclusive(96, seed: 5);
        var eval = TinyTask.Exclusive(30, seed: 6);
        var texts = eval.Select(e => e.Text).ToArray();
        float[]? expected = null;

        var result = TeacherTrainer.Train(
            train,
            eval,
            TinyTask.Options(tiny.Folder, _dir.File("model")) with { Epochs = 3 },
            NullOutputWriter.Instance,
            CancellationToken.None,
            beforeExport: (model, tokenizer, maxLength) =>
            {
                var batch = tokenizer.EncodeBatch(texts, maxLength);
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var logits = model.call(tensor(batch.InputIds, batch.Shape), tensor(batch.AttentionMask, batch.Shape), tensor(batch.TokenTypeIds, batch.Shape));
                expected = logits.softmax(-1).data<float>().ToArray();
            });

        var folder = result.ModelPath;
        Assert.Equal(Path.GetFullPath(_dir.File("model")), folder);
        Assert.Equal(
            new[] { "model.onnx", "token-vectors.bin", "tokenizer_config.json", "uptrain-model.json", "vocab.txt" },
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // The fine-tuned encoder's token vectors, a row per word piece, for the students of this teacher.
        var vectors = TokenVectors.Read(Path.Combine(folder, TokenVectors.FileName));
        Assert.Equal(TinyTask.Config.VocabSize, vectors.Count);
        Assert.Equal(TinyTask.Config.HiddenSize, vectors.Dimension);
        Assert.Equal("model", vectors.Source);
        Assert.DoesNotContain(Directory.GetDirectories(_dir.Path), d => Path.GetFileName(d).StartsWith('.'));

        var card = ModelCard.Read(folder);
        Assert.Equal(new[] { "POS", "NEG" }, card.Labels);
        Assert.True(card.Exclusive);
        Assert.Equal("teacher", card.Kind);
        Assert.Equal(TinyTask.MaxLength, card.MaxLength);
        Assert.Equal("mean", card.Pooling);
        Assert.Equal(Path.GetFullPath(tiny.Folder), card.BaseModel);
        Assert.True(card.Tokenizer.LowerCase);
        Assert.Equal(result.BestScore, card.Metrics["score"]);
        Assert.Equal(DataFingerprint.Of(train), card.Data["trainFingerprint"]?.ToString());
        Assert.StartsWith("sha256:", card.Data["trainFingerprint"]?.ToString(), StringComparison.Ordinal);
        Assert.Contains("TorchSharp", card.Versions.Keys);
        Assert.Equal(File.ReadAllText(Path.Combine(tiny.Folder, "vocab.txt")), File.ReadAllText(Path.Combine(folder, "vocab.txt")));

        var actual = ScoreWithOnnxRuntime(folder, texts, card.MaxLength);
        Assert.NotNull(expected);
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        log.WriteLine($"largest score difference, ONNX Runtime vs TorchSharp: {worst:E2}");
        Assert.True(worst < 1e-4, $"largest difference {worst:E2}");
    }

    [Fact]
    public void CancellingAfterTheFirstBatchKeepsAModel()
    {
        using var cancel = new CancellationTokenSource();
        var writer = new CancellingWriter(cancel);
        var train = TinyTask.Exclusive(64, seed: 7);

        var result = TeacherTrainer.Train(train, null, TinyTask.Options(tiny.Folder, _dir.File("model")), writer, cancel.Token);

        Assert.True(result.Stopped);
        Assert.Equal(1, writer.Steps);
        Assert.Equal(0, result.BestEpoch);
        Assert.Empty(result.History);
        Assert.InRange(result.BestScore, 0, 1);
        Assert.True(File.Exists(Path.Combine(result.ModelPath, "model.onnx")));
        Assert.Equal(true, result.Card.Training["stopped"]);
        Assert.Equal("train", ModelCard.Read(result.ModelPath).Data["evaluatedOn"]?.ToString());
    }

    [Fact]
    public void AStopBeforeAnyStepWritesNothing()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var folder = _dir.File("never");

        Assert.ThrowsAny<OperationCanceledException>(() => TeacherTrainer.Train(TinyTask.Exclusive(16, seed: 7), null, TinyTask.Options(tiny.Folder, folder), NullOutputWriter.Instance, cancel.Token));

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void ForceReplacesAnExistingModelFolder()
    {
        var output = _dir.File("model");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "old.txt"), "old");
        var train = TinyTask.Exclusive(16, seed: 8);

        var result = TeacherTrainer.Train(train, null, TinyTask.Options(tiny.Folder, output) with { Epochs = 1, Force = true }, NullOutputWriter.Instance, CancellationToken.None);

        Assert.False(File.Exists(Path.Combine(output, "old.txt")));
        Assert.True(File.Exists(Path.Combine(result.ModelPath, ModelCard.FileName)));
    }

    [Fact]
    public void MultilabelTrainingLearnsFromExamplesThatKnowOneLabelEach()
    {
        // Good texts have both A and B, bad texts neither, but each example says so for one label only. Were the
        // unknown label taken as negative, a good text would be taught A = 0 half the time and land near 0.5.
        var train = TinyTask.Examples(160, seed: 9, (e, good, i) => e.Cats[(i / 2) % 2 == 0 ? "A" : "B"] = good ? 1 : 0);
        var evalTexts = TinyTask.Examples(40, seed: 10, (_, _, _) => { });
        Assert.All(train, e => Assert.Single(e.Cats));

        var result = TeacherTrainer.Train(train, null, TinyTask.Options(tiny.Folder, _dir.File("model")) with { Epochs = 12, Patience = 12 }, NullOutputWriter.Instance, CancellationToken.None);

        var card = ModelCard.Read(result.ModelPath);
        Assert.False(card.Exclusive);
        Assert.Equal(new[] { "A", "B" }, card.Labels);
        Assert.Equal("macro AUC", result.ScoreDescription);
        var scores = ScoreWithOnnxRuntime(result.ModelPath, evalTexts.Select(e => e.Text).ToArray(), card.MaxLength);
        log.WriteLine($"good texts: {Range(scores, good: true)}; bad texts: {Range(scores, good: false)}; epochs {result.History.Count}");
        // Per label, the mean score of good texts (taught half the time, by other examples, through the other label)
        // must be near 1, not near 0.5.
        for (var label = 0; label < 2; label++)
        {
            var good = Enumerable.Range(0, evalTexts.Count).Where(i => i % 2 == 0).Average(i => scores[(i * 2) + label]);
            var bad = Enumerable.Range(0, evalTexts.Count).Where(i => i % 2 == 1).Average(i => scores[(i * 2) + label]);
            Assert.True(good > 0.75, $"{card.Labels[label]}: mean of good texts {good:0.000}");
            Assert.True(bad < 0.25, $"{card.Labels[label]}: mean of bad texts {bad:0.000}");
        }
    }

    [Fact]
    public void UnknownLabelsAddNothingToTheLoss()
    {
        // The same examples and logits for A and B; a third label Z that no example knows, with arbitrary logits.
        var examples = TinyTask.Examples(6, seed: 11, (e, good, i) => e.Cats[i % 2 == 0 ? "A" : "B"] = good ? 1 : 0);
        float[] twoLabels = [2.0f, -1.0f, 0.5f, 0.3f, -2.0f, 1.5f, 0.1f, 0.2f, -0.7f, 3.0f, 1.1f, -1.2f];
        var threeLabels = Enumerable.Range(0, 6).SelectMany(r => new[] { twoLabels[2 * r], twoLabels[(2 * r) + 1], 40f - (r * 17) }).ToArray();
        int[] rows = [0, 1, 2, 3, 4, 5];

        using var two = tensor(twoLabels, [6, 2]);
        using var three = tensor(threeLabels, [6, 3]);
        using var lossTwo = TeacherBatches.Loss(two, new TeacherTargets(examples, ["A", "B"]), rows, exclusive: false);
        using var lossThree = TeacherBatches.Loss(three, new TeacherTargets(examples, ["A", "B", "Z"]), rows, exclusive: false);

        Assert.Equal(lossTwo.item<float>(), lossThree.item<float>(), 6);

        // Taking the unknown entries as negatives would change it.
        using var allKnown = TeacherLoss.MaskedBinaryCrossEntropy(two, tensor(new TeacherTargets(examples, ["A", "B"]).Values, [6, 2]), ones(6, 2));
        Assert.NotEqual(lossTwo.item<float>(), allKnown.item<float>(), 3);
    }

    [Fact]
    public void ExclusiveTrainingSkipsExamplesWithoutAPositiveLabel()
    {
        var train = TinyTask.Exclusive(32, seed: 12);
        train[3].Cats["POS"] = 0;
        train[3].Cats["NEG"] = 0;
        var writer = new CollectingOutputWriter();

        var result = TeacherTrainer.Train(train, null, TinyTask.Options(tiny.Folder, _dir.File("model")) with { Epochs = 1, Exclusive = true }, writer, CancellationToken.None);

        Assert.Contains(writer.Verbose, v => v.StartsWith("tiny:12:4: skipped", StringComparison.Ordinal));
        Assert.Equal(31, Convert.ToInt32(result.Card.Data["trainExamples"]));
        Assert.Equal(1, Convert.ToInt32(result.Card.Data["skippedExamples"]));
    }

    public static TheoryData<string> ValidationCases => new()
    {
        "NoExamples", "NoLabels", "EmptyText", "EmptyEvalText", "SingleLabel", "UnknownEvalLabel", "UnknownPositiveLabel",
        "OutputExists", "BaseModelNotFound", "InvalidTrainingOption", "CudaUnavailable",
        "GarbageSafetensors", "GarbageOnnx", "EmptyBaseVocab",
    };

    [Theory]
    [MemberData(nameof(ValidationCases))]
    public void BadInputIsRefusedBeforeTraining(string errorCase)
    {
        var train = TinyTask.Exclusive(8, seed: 13);
        List<TextcatExample>? eval = null;
        var options = TinyTask.Options(tiny.Folder, _dir.File("model"));
        var expectedId = errorCase;
        string? mentions = null;
        switch (errorCase)
        {
            case "NoExamples":
                train.Clear();
                break;
            case "NoLabels":
                train.ForEach(e => e.Cats.Clear());
                break;
            case "EmptyText":
                train[2].Text = "  ";
                mentions = "tiny:13:3";
                break;
            case "EmptyEvalText":
                eval = TinyTask.Exclusive(4, seed: 14);
                eval[1].Text = string.Empty;
                expectedId = "EmptyText";
                mentions = "tiny:14:2";
                break;
            case "SingleLabel":
                train.ForEach(e => e.Cats.Remove("NEG"));
                options = options with { Exclusive = true };
                mentions = "POS";
                break;
            case "UnknownEvalLabel":
                eval = TinyTask.Exclusive(4, seed: 14);
                eval[0].Cats["MAYBE"] = 1;
                mentions = "MAYBE";
                break;
            case "UnknownPositiveLabel":
                options = options with { PositiveLabel = "YES" };
                mentions = "YES";
                break;
            case "OutputExists":
                Directory.CreateDirectory(options.OutputPath);
                mentions = "-Force";
                break;
            case "BaseModelNotFound":
                options = options with { BaseModel = _dir.Path };
                mentions = "vocab.txt";
                break;
            case "GarbageSafetensors":
            case "GarbageOnnx":
            case "EmptyBaseVocab":
                var broken = Directory.CreateDirectory(_dir.File("broken-base")).FullName;
                var file = errorCase == "GarbageOnnx" ? "model.onnx" : "model.safetensors";
                File.WriteAllText(Path.Combine(broken, "vocab.txt"), errorCase == "EmptyBaseVocab" ? string.Empty : File.ReadAllText(Path.Combine(tiny.Folder, "vocab.txt")));
                if (errorCase == "EmptyBaseVocab")
                {
                    File.Copy(Path.Combine(tiny.Folder, file), Path.Combine(broken, file));
                    File.Copy(Path.Combine(tiny.Folder, "config.json"), Path.Combine(broken, "config.json"));
                    file = "vocab.txt";
                }
                else
                {
                    File.WriteAllBytes(Path.Combine(broken, file), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);
                }

                options = options with { BaseModel = broken };
                expectedId = "InvalidBaseModel";
                mentions = Path.Combine(broken, file);
                break;
            case "InvalidTrainingOption":
                options = options with { BatchSize = 0 };
                mentions = "BatchSize";
                break;
            case "CudaUnavailable":
                if (cuda.is_available())
                {
                    return; // this machine can train on CUDA: nothing to refuse
                }

                options = options with { Device = ComputeDevice.Cuda };
                mentions = "CPU-only";
                break;
        }

        var writer = new CollectingOutputWriter();
        var error = Assert.Throws<UptrainException>(() => TeacherTrainer.Train(train, eval, options, writer, CancellationToken.None));

        Assert.Equal(expectedId, error.ErrorId);
        if (mentions is not null)
        {
            Assert.Contains(mentions, error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(writer.Progress);
        Assert.Equal(errorCase == "OutputExists", Directory.Exists(options.OutputPath));
    }

    [Fact]
    public void CalibrationSoftensAnOverConfidentModelWithoutChangingItsLabels()
    {
        // One label in five flipped: 10 epochs at a high rate learn the flips by heart and grow over-confident on new texts.
        static List<TextcatExample> Noisy(int count, int seed) => TinyTask.Examples(count, seed, (e, good, i) =>
        {
            var positive = good ^ (i % 5 == 1);
            e.Cats["POS"] = positive ? 1 : 0;
            e.Cats["NEG"] = positive ? 0 : 1;
        });
        var train = Noisy(100, seed: 11);
        var eval = Noisy(60, seed: 12);
        var texts = eval.Select(e => e.Text).ToArray();
        var writer = new CollectingOutputWriter();
        TrainingResult Run(CalibrationMode mode, string name, IOutputWriter output) => TeacherTrainer.Train(
            train, eval, TinyTask.Options(tiny.Folder, _dir.File(name)) with { Calibration = mode, Patience = 10 }, output, CancellationToken.None);
        double[] GoldProbabilities(TrainingResult run)
        {
            var scores = ScoreWithOnnxRuntime(run.ModelPath, texts, TinyTask.MaxLength);
            return eval.Select((e, i) => (double)scores[(2 * i) + (e.Cats["POS"] > 0.5 ? 0 : 1)]).ToArray();
        }

        var raw = Run(CalibrationMode.None, "raw", NullOutputWriter.Instance);
        var calibrated = Run(CalibrationMode.Temperature, "calibrated", writer);

        Assert.Equal("none", raw.Card.Training["calibration"]);
        Assert.Null(raw.Card.Training["temperature"]);
        Assert.Equal("temperature", calibrated.Card.Training["calibration"]);
        var temperature = Assert.IsType<double>(calibrated.Card.Training["temperature"]);
        Assert.True(temperature > 1, $"temperature {temperature}");
        Assert.Contains(writer.Verbose, v => v.StartsWith("Calibrated the scores on 60 eval texts: temperature ", StringComparison.Ordinal));
        var rawGold = GoldProbabilities(raw);
        var calibratedGold = GoldProbabilities(calibrated);
        var rawLoss = rawGold.Average(p => -Math.Log(p));
        var calibratedLoss = calibratedGold.Average(p => -Math.Log(p));
        log.WriteLine($"temperature {temperature:0.000}; eval log-loss {rawLoss:0.0000} raw, {calibratedLoss:0.0000} calibrated");
        Assert.True(calibratedLoss < rawLoss, $"log-loss {calibratedLoss} calibrated, {rawLoss} raw");
        // The same run scaled: each text keeps its top label, so accuracy and AUC stay as they were.
        Assert.Equal(rawGold.Select(p => p > 0.5), calibratedGold.Select(p => p > 0.5));
        Assert.Equal(raw.BestScore, calibrated.BestScore);
    }

    [Fact]
    public void TooFewEvalTextsLeaveTheScoresUncalibrated()
    {
        var writer = new CollectingOutputWriter();

        var result = TeacherTrainer.Train(
            TinyTask.Exclusive(32, seed: 13), TinyTask.Exclusive(20, seed: 14), TinyTask.Options(tiny.Folder, _dir.File("model")) with { Epochs = 1 }, writer, CancellationToken.None);

        Assert.Equal("none", result.Card.Training["calibration"]);
        Assert.Contains(writer.Verbose, v => v.StartsWith("The scores were not calibrated: 20 eval texts are too few", StringComparison.Ordinal));
    }

    [Fact]
    public void TheDataFingerprintIsPinned()
    {
        // The value was computed outside .NET (Python's hashlib over the documented byte layout), so a change to the
        // layout, the label order or the number format shows here, not only as two runs that agree with each other.
        var examples = new List<TextcatExample>
        {
            new("Great film") { Cats = { ["POS"] = 1, ["NEG"] = 0 } },
            new("Café au lait, naïve") { Cats = { ["NEG"] = 1 } },
            new("no labels"),
            new("half") { Cats = { ["POS"] = 0.5 } },
        };

        Assert.Equal("sha256:1639321b19c4d7bbf482e18a1e7fae8aa2987df9a4d6a3dbf9c7a62110f0478f", DataFingerprint.Of(examples));
    }

    [Fact]
    public void ExclusivityIsInferredFromTheTrainingLabels()
    {
        var train = TinyTask.Exclusive(16, seed: 15);
        train[0].Cats["NEG"] = 1; // two positives: not exclusive

        var result = TeacherTrainer.Train(train, null, TinyTask.Options(tiny.Folder, _dir.File("model")) with { Epochs = 1 }, NullOutputWriter.Instance, CancellationToken.None);

        Assert.False(result.Card.Exclusive);
    }

    [Fact]
    public void BatchesGroupSimilarLengthsAndChangeOrderEachEpoch()
    {
        var lengths = Enumerable.Range(0, 50).Select(i => 3 + ((i * 7) % 40)).ToArray();
        var random = new Random(3);

        var first = TeacherBatches.LengthBuckets(lengths, 8, random);
        var second = TeacherBatches.LengthBuckets(lengths, 8, random);

        Assert.Equal(Enumerable.Range(0, 50), first.SelectMany(b => b).Order());
        Assert.Equal(7, first.Count);
        // Sorted by their shortest text, each batch ends at or below where the next begins: lengths do not interleave.
        var spans = first.Select(b => (Min: b.Min(i => lengths[i]), Max: b.Max(i => lengths[i]))).OrderBy(s => s.Min).ToList();
        Assert.All(spans.Zip(spans.Skip(1)), pair => Assert.True(pair.First.Max <= pair.Second.Min, $"{pair.First} then {pair.Second}"));
        Assert.NotEqual(first.Select(b => b[0]), second.Select(b => b[0]));
        Assert.Equal(first.Select(b => b.ToArray()), TeacherBatches.LengthBuckets(lengths, 8, new Random(3)));
    }

    [Fact]
    public void LearningRateWarmsUpThenDecaysToZero()
    {
        var schedule = new LinearSchedule(1.0, WarmupSteps: 4, TotalSteps: 20);

        Assert.Equal(new[] { 0.25, 0.5, 0.75, 1.0, 1.0 }, Enumerable.Range(0, 5).Select(schedule.At).Select(v => Math.Round(v, 6)));
        Assert.Equal(1.0 / 16, schedule.At(19), 9);
        Assert.Equal(0.0, schedule.At(20), 9);
    }

    [Fact]
    public void TheBundledMiniLmTrainsEndToEnd()
    {
        string[] positive = ["I loved this film.", "What a wonderful day at the beach.", "The service was excellent and quick.", "Great food, friendly staff.", "This book is a delight.", "Best purchase I made this year.", "The concert was amazing.", "Such a kind and helpful answer."];
        string[] negative = ["I hated this film.", "What a miserable rainy day.", "The service was slow and rude.", "Cold food, unfriendly staff.", "This book is a bore.", "Worst purchase I made this year.", "The concert was awful.", "Such a useless and unhelpful answer."];
        var train = new List<TextcatExample>();
        for (var round = 0; round < 2; round++)
        {
            foreach (var (texts, label) in new[] { (positive, "POSITIVE"), (negative, "NEGATIVE") })
            {
                foreach (var text in texts)
                {
                    var example = new TextcatExample(round == 0 ? text : text.ToUpperInvariant());
                    example.Cats["POSITIVE"] = label == "POSITIVE" ? 1 : 0;
                    example.Cats["NEGATIVE"] = label == "NEGATIVE" ? 1 : 0;
                    train.Add(example);
                }
            }
        }

        var clock = Stopwatch.StartNew();
        var result = TeacherTrainer.Train(
            train,
            null,
            new TeacherTrainingOptions { OutputPath = _dir.File("minilm"), Epochs = 1, MaxLength = 32, Device = ComputeDevice.Cpu },
            NullOutputWriter.Instance,
            CancellationToken.None);
        log.WriteLine($"MiniLM: {train.Count} examples, 1 epoch, in {clock.Elapsed.TotalSeconds:0.0} s; {result.ScoreDescription} {result.BestScore:0.000}");

        Assert.Equal(32, train.Count);
        Assert.Equal(1, result.BestEpoch);
        Assert.Equal(TeacherModels.BundledName, result.Card.BaseModel);
        Assert.True(result.Card.Tokenizer.LowerCase);
        var scores = ScoreWithOnnxRuntime(result.ModelPath, ["A lovely evening."], result.Card.MaxLength);
        Assert.Equal(1.0, scores.Sum(), 4);
    }

    [Fact]
    public void TheBundledModelIsFoundByName()
    {
        Assert.Equal(Path.GetFullPath(BundledModel.Folder), TeacherModels.Resolve(null));
        Assert.Equal(Path.GetFullPath(BundledModel.Folder), TeacherModels.Resolve("minilm-l6"));
        Assert.Equal(Path.GetFullPath(tiny.Folder), TeacherModels.Resolve(tiny.Folder));
    }

    private static string Range(float[] scores, bool good)
    {
        var picked = scores.Where((_, i) => (i / 2 % 2 == 0) == good).ToArray();
        return $"{picked.Min():0.000}..{picked.Max():0.000} (mean {picked.Average():0.000})";
    }

    /// <summary>Probabilities from the folder's model.onnx in ONNX Runtime, row-major [texts, labels].</summary>
    internal static float[] ScoreWithOnnxRuntime(string folder, string[] texts, int maxLength)
    {
        var batch = WordPieceTokenizer.FromFolder(folder).EncodeBatch(texts, maxLength);
        using var session = new InferenceSession(Path.Combine(folder, "model.onnx"));
        using var ids = OrtValue.CreateTensorValueFromMemory(batch.InputIds, batch.Shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(batch.AttentionMask, batch.Shape);
        using var types = OrtValue.CreateTensorValueFromMemory(batch.TokenTypeIds, batch.Shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, TeacherOnnxExport.InputNames.ToArray(), new[] { ids, mask, types }, new[] { TeacherOnnxExport.ScoresOutput });
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

}
