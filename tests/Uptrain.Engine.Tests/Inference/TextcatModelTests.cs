using Uptrain.Diagnostics;
using Uptrain.Inference;

namespace Uptrain.Tests.Inference;

public sealed class TextcatModelTests(TinyTeacher teacher) : IClassFixture<TinyTeacher>
{
    // Lengths from [CLS][SEP] alone to past MaxLength (cut), in no particular order.
    private static readonly string[] Texts =
    [
        "i loved this movie and the music was great , the actors were really good and the ending was fast",
        "ok",
        "the plot was slow but the acting was great",
        string.Empty,
        "terrible !",
        "this film is very very long and boring , the story is bad , the scenes are slow and the end is terrible",
        "fun",
        "the movie was not good",
        "zebra quantum",
        "great acting , bad music , boring plot",
        "a",
    ];

    [Fact]
    public void PredictionsComeInInputOrderAndEqualScoringEachTextAlone()
    {
        using var model = TextcatModel.Load(teacher.ExclusiveFolder, ComputeDevice.Cpu);
        var inputs = Texts.Select((t, i) => Example(t, i)).ToArray();

        var predictions = model.Predict(inputs, batchSize: 2, window: 5).ToList();

        Assert.Equal(Texts, predictions.Select(p => p.Text));
        Assert.Equal(Enumerable.Range(0, Texts.Length).Select(i => (object?)i), predictions.Select(p => p.Meta["index"]));
        var spread = 0.0;
        for (var i = 0; i < Texts.Length; i++)
        {
            var alone = model.ScoreBatch([Texts[i]]);
            for (var label = 0; label < model.Labels.Count; label++)
            {
                Assert.Equal(alone[0, label], predictions[i].Scores[model.Labels[label]], 1e-5);
            }

            spread = Math.Max(spread, Math.Abs(predictions[i].Scores["POSITIVE"] - predictions[0].Scores["POSITIVE"]));
        }

        Assert.True(spread > 1e-3, "the texts score alike, so order mistakes would not show");
    }

    [Fact]
    public void ScoreBatchPadsToTheLongestAndAgreesWithPredict()
    {
        using var model = TextcatModel.Load(teacher.MultilabelFolder, ComputeDevice.Cpu);

        var batch = model.ScoreBatch(Texts);
        var predictions = model.Predict(Texts.Select(t => new TextcatExample(t)), batchSize: 3, window: 4).ToList();

        Assert.Equal(Texts.Length, batch.GetLength(0));
        Assert.Equal(2, batch.GetLength(1));
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(batch[i, 0], predictions[i].Scores["ACTING"], 1e-5);
            Assert.Equal(batch[i, 1], predictions[i].Scores["MUSIC"], 1e-5);
        }

        Assert.Empty(model.ScoreBatch([]));
    }

    [Fact]
    public void LabelsAndExclusiveComeFromTheCard()
    {
        using var exclusive = TextcatModel.Load(teacher.ExclusiveFolder, ComputeDevice.Cpu, intraOpThreads: 1);
        using var multilabel = TextcatModel.Load(teacher.MultilabelFolder, ComputeDevice.Cpu);

        Assert.Equal(new[] { "POSITIVE", "NEGATIVE", "NEUTRAL" }, exclusive.Labels);
        Assert.True(exclusive.Exclusive);
        Assert.Equal(ModelKind.Teacher, exclusive.Kind);
        Assert.Equal(ComputeDevice.Cpu, exclusive.Device);
        Assert.Equal(1, exclusive.Threads);
        Assert.Equal(Path.GetFullPath(teacher.ExclusiveFolder), exclusive.Path);
        Assert.Equal(new[] { "ACTING", "MUSIC" }, multilabel.Labels);
        Assert.False(multilabel.Exclusive);
        Assert.Equal(Environment.ProcessorCount, multilabel.Threads);

        var prediction = Assert.Single(multilabel.Predict([new TextcatExample("great music")]));
        Assert.Equal(new[] { "ACTING", "MUSIC" }, prediction.Scores.Keys);
        Assert.Same(multilabel.Card, prediction.Model.GetCard());
        Assert.Equal(Path.GetFileName(teacher.MultilabelFolder), prediction.Model.Name);
    }

    [Fact]
    public void ExclusiveScoresAreDistributionsAndMultilabelScoresAreIndependentProbabilities()
    {
        using var exclusive = TextcatModel.Load(teacher.ExclusiveFolder, ComputeDevice.Cpu);
        using var multilabel = TextcatModel.Load(teacher.MultilabelFolder, ComputeDevice.Cpu);
        var inputs = Texts.Select(t => new TextcatExample(t)).ToArray();

        foreach (var prediction in exclusive.Predict(inputs, batchSize: 4))
        {
            Assert.Equal(1.0, prediction.Scores.Values.Sum(), 1e-5);
            Assert.Equal(prediction.Scores.MaxBy(s => s.Value).Key, prediction.Label);
        }

        var sums = multilabel.Predict(inputs, batchSize: 4).Select(p => p.Scores.Values.Sum()).ToList();
        Assert.All(multilabel.Predict(inputs), p => Assert.All(p.Scores.Values, v => Assert.InRange(v, 0, 1)));
        Assert.Contains(sums, s => Math.Abs(s - 1) > 1e-3);
    }

    [Fact]
    public void EmptyTextIsScoredAndGoldLabelsAreCarriedAlong()
    {
        using var model = TextcatModel.Load(teacher.ExclusiveFolder, ComputeDevice.Cpu);
        var example = new TextcatExample(string.Empty) { InputHash = 42, Source = "pool.jsonl:7", Split = "eval" };
        example.Cats["NEGATIVE"] = 1;

        var prediction = Assert.Single(model.Predict([example]));

        Assert.Equal(string.Empty, prediction.Text);
        Assert.Equal(3, prediction.Scores.Count);
        Assert.Equal(1.0, prediction.Cats["NEGATIVE"]);
        Assert.Equal(42, prediction.InputHash);
        Assert.Equal("pool.jsonl:7", prediction.Source);
        Assert.Equal("eval", prediction.Split);
    }

    [Fact]
    public void PredictionsOfTextsLongerThanTheModelSaySoAndTheRestDoNot()
    {
        using var model = TextcatModel.Load(teacher.ExclusiveFolder, ComputeDevice.Cpu);
        var tokenizer = Uptrain.Text.WordPieceTokenizer.FromFolder(teacher.ExclusiveFolder);
        // Exactly MaxLength with [CLS] and [SEP] is not cut; one piece more is.
        var fits = string.Join(' ', Enumerable.Repeat("fun", TinyTeacher.MaxLength - 2));
        var texts = Texts.Append(fits).Append(fits + " ok").ToArray();

        var predictions = model.Predict(texts.Select((t, i) => Example(t, i)), batchSize: 3, window: 4).ToList();

        var expected = texts.Select(t => tokenizer.Encode(t, maxLength: 512).Count > TinyTeacher.MaxLength).ToArray();
        Assert.Equal(expected, predictions.Select(p => p.Truncated));
        Assert.Equal([false, true], expected[^2..]);
        Assert.Equal(3, expected.Count(t => t));
    }

    [Fact]
    public void PredictReadsOneWindowAtATime()
    {
        using var model = TextcatModel.Load(teacher.ExclusiveFolder, ComputeDevice.Cpu);
        var pulled = 0;
        IEnumerable<TextcatExample> Inputs()
        {
            for (var i = 0; i < 12; i++)
            {
                pulled++;
                yield return new TextcatExample(Texts[i % Texts.Length]);
            }
        }

        var predictions = model.Predict(Inputs(), batchSize: 2, window: 5);
        Assert.Equal(0, pulled);
        using var enumerator = predictions.GetEnumerator();

        Assert.True(enumerator.MoveNext());
        Assert.Equal(5, pulled);
        for (var i = 1; i < 5; i++)
        {
            Assert.True(enumerator.MoveNext());
        }

        Assert.Equal(5, pulled);
        Assert.True(enumerator.MoveNext());
        Assert.Equal(10, pulled);
    }

    [Fact]
    public void CancellationStopsBeforeTheNextBatch()
    {
        using var model = TextcatModel.Load(teacher.ExclusiveFolder, ComputeDevice.Cpu);
        using var cancellation = new CancellationTokenSource();
        var pulled = 0;
        var inputs = Enumerable.Range(0, 20).Select(i =>
        {
            pulled++;
            return new TextcatExample(Texts[i % Texts.Length]);
        });
        var received = new List<TextcatPrediction>();

        Assert.Throws<OperationCanceledException>(() =>
        {
            foreach (var prediction in model.Predict(inputs, batchSize: 2, window: 5, cancellation.Token))
            {
                received.Add(prediction);
                cancellation.Cancel();
            }
        });

        // The window already scored is handed out; nothing further is read or scored.
        Assert.Equal(5, received.Count);
        Assert.Equal(5, pulled);

        Assert.Throws<OperationCanceledException>(() => model.Predict(inputs, cancellationToken: cancellation.Token).ToList());
    }

    [CpuRuntimeFact]
    public void CudaWithoutTheGpuBuildSaysHowToGetIt()
    {
        var error = Assert.Throws<UptrainException>(() => TextcatModel.Load(teacher.ExclusiveFolder, ComputeDevice.Cuda));

        Assert.Equal("CudaUnavailable", error.ErrorId);
        Assert.Equal(ErrorKind.ResourceUnavailable, error.Kind);
        Assert.Contains("dotnet pwsh ./build.ps1 -Flavor Gpu", error.Message);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu.Linux", error.Message);
        Assert.Contains("1.31.0", error.Message);
        Assert.Contains("cuDNN 9", error.Message);
    }

    [CudaFact]
    public void CudaScoresAsTheCpuDoesAndAutoPicksIt()
    {
        using var cpu = TextcatModel.Load(teacher.ExclusiveFolder, ComputeDevice.Cpu);
        using var cuda = TextcatModel.Load(teacher.ExclusiveFolder, ComputeDevice.Cuda);
        using var auto = TextcatModel.Load(teacher.ExclusiveFolder, ComputeDevice.Auto);

        Assert.Equal(ComputeDevice.Cuda, cuda.Device);
        Assert.Equal(ComputeDevice.Cuda, auto.Device);
        var expected = cpu.ScoreBatch(Texts);
        var actual = cuda.ScoreBatch(Texts);
        for (var i = 0; i < Texts.Length; i++)
        {
            for (var label = 0; label < cpu.Labels.Count; label++)
            {
                Assert.Equal(expected[i, label], actual[i, label], 1e-4);
            }
        }
    }

    [CpuRuntimeFact]
    public void AutoFallsBackToTheCpuAndSaysWhy()
    {
        var output = new CollectingOutputWriter();

        using var model = TextcatModel.Load(teacher.ExclusiveFolder, ComputeDevice.Auto, output: output);

        Assert.Equal(ComputeDevice.Cpu, model.Device);
        Assert.Contains(output.Verbose, v => v.Contains("CPU", StringComparison.Ordinal) && v.Contains("-Flavor Gpu", StringComparison.Ordinal));
        Assert.Contains(output.Verbose, v => v.Contains(model.Path, StringComparison.Ordinal) && v.Contains("Cpu", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingFolderCardWeightsOrVocabularyIsModelNotFound()
    {
        var noFolder = Path.Combine(Path.GetTempPath(), "uptrain-no-such-model-" + Guid.NewGuid().ToString("N"));
        var noCard = teacher.Copy("no-card");
        File.Delete(Path.Combine(noCard, ModelCard.FileName));
        var noWeights = teacher.Copy("no-weights");
        File.Delete(Path.Combine(noWeights, "model.onnx"));
        var noVocab = teacher.Copy("no-vocab");
        File.Delete(Path.Combine(noVocab, "vocab.txt"));

        foreach (var folder in new[] { noFolder, noCard, noWeights, noVocab })
        {
            var error = Assert.Throws<UptrainException>(() => TextcatModel.Load(folder, ComputeDevice.Cpu));
            Assert.Equal("ModelNotFound", error.ErrorId);
            Assert.Equal(ErrorKind.ObjectNotFound, error.Kind);
        }

        Assert.Contains("model.onnx", Assert.Throws<UptrainException>(() => TextcatModel.Load(noWeights, ComputeDevice.Cpu)).Message);
    }

    [Fact]
    public void AnUnknownKindIsUnsupportedAndBrokenWeightsAreInvalid()
    {
        var student = teacher.Copy("unknown-kind");
        var card = ModelCard.Read(student);
        card.Kind = "ranker";
        card.Write(student);
        var broken = teacher.Copy("broken");
        File.WriteAllText(Path.Combine(broken, "model.onnx"), "not a model");
        TinyTeacher.Reseal(broken); // broken when written, so that ONNX Runtime, not the checksum, finds it
        var wrongLabels = teacher.Copy("wrong-labels");
        card = ModelCard.Read(wrongLabels);
        card.Labels.Add("EXTRA");
        card.Write(wrongLabels);

        Assert.Equal("UnsupportedModelKind", Assert.Throws<UptrainException>(() => TextcatModel.Load(student, ComputeDevice.Cpu)).ErrorId);
        Assert.Equal("InvalidModel", Assert.Throws<UptrainException>(() => TextcatModel.Load(broken, ComputeDevice.Cpu)).ErrorId);
        Assert.Equal("InvalidModel", Assert.Throws<UptrainException>(() => TextcatModel.Load(broken, ComputeDevice.Auto)).ErrorId);
        var mismatch = Assert.Throws<UptrainException>(() => TextcatModel.Load(wrongLabels, ComputeDevice.Cpu));
        Assert.Equal("InvalidModel", mismatch.ErrorId);
        Assert.Contains("3 columns", mismatch.Message);
        Assert.Contains("4 labels", mismatch.Message);
    }

    [Fact]
    public void BadArgumentsFailBeforeAnythingIsRead()
    {
        using var model = TextcatModel.Load(teacher.ExclusiveFolder, ComputeDevice.Cpu);

        Assert.Throws<ArgumentOutOfRangeException>(() => model.Predict([], batchSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Predict([], window: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TextcatModel.Load(teacher.ExclusiveFolder, ComputeDevice.Cpu, intraOpThreads: 0));
        Assert.Throws<ArgumentException>(() => model.Predict([new TextcatExample("ok"), null!]).ToList());
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Predict([]));
    }

    [Fact]
    public void ThroughputHelperCountsWhatItScored()
    {
        using var model = TextcatModel.Load(teacher.ExclusiveFolder, ComputeDevice.Cpu);

        var result = ScoringThroughput.Measure(model, Texts, batchSize: 4, repeats: 2);

        Assert.Equal(2 * Texts.Length, result.Texts);
        Assert.True(result.TextsPerSecond > 0);
        Assert.True(result.PeakWorkingSetBytes > 0);
    }

    private static TextcatExample Example(string text, int index)
    {
        var example = new TextcatExample(text);
        example.Meta["index"] = index;
        return example;
    }
}
