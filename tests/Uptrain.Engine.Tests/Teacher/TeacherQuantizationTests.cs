using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Teacher;
using Uptrain.Teacher.Onnx;
using Uptrain.Tests.Data;
using Uptrain.Tests.Inference;

namespace Uptrain.Tests.Teacher;

/// <summary>
/// The 8-bit graph in a model folder: written by training with <see cref="TeacherTrainingOptions.Quantize"/> or by
/// <see cref="TeacherQuantization.QuantizeFolder"/>, sealed with the rest, kept only within the score limit, loaded on
/// request, and missed with an error that says what to do.
/// </summary>
[Collection(TorchTrainingCollection.Name)]
public sealed class TeacherQuantizationTests(TinyBaseModel tiny, TinyTeacher teacher) : IClassFixture<TinyTeacher>, IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TrainingWithQuantizeWritesTheCheckedGraphBesideTheFp32One()
    {
        var train = TinyTask.Exclusive(200, seed: 21);
        var eval = TinyTask.Exclusive(40, seed: 22);
        var writer = new CollectingOutputWriter();

        var result = TeacherTrainer.Train(train, eval, TinyTask.Options(tiny.Folder, _dir.File("model")) with { Quantize = true }, writer, CancellationToken.None);

        var figures = result.Card.Quantized;
        Assert.True(figures is not null, string.Join(Environment.NewLine, writer.Warnings));
        Assert.Equal((ModelFolder.QuantizedOnnxFileName, 40, "eval"), (figures.Weights, figures.Examples, figures.EvaluatedOn));
        Assert.True(Math.Abs(figures.ScoreChange) < TeacherQuantization.MaxScoreChange, $"change {figures.ScoreChange}");
        Assert.Equal(figures.Score - figures.Float32Score, figures.ScoreChange, 12);
        Assert.InRange(figures.TopLabelAgreement, 0.9, 1.0);
        Assert.InRange(figures.MaxProbabilityChange, 0.0, 0.2);
        Assert.Contains(writer.Verbose, v => v.StartsWith("Wrote the 8-bit graph", StringComparison.Ordinal));
        Assert.Equal(
            ["model.int8.onnx", "model.onnx", "token-vectors.bin", "tokenizer_config.json", "uptrain-model.json", "vocab.txt"],
            Directory.GetFiles(result.ModelPath).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var card = ModelCard.Read(result.ModelPath);
        Assert.Equal(ModelFolder.Checksum(Path.Combine(result.ModelPath, ModelFolder.QuantizedOnnxFileName)), card.Files![ModelFolder.QuantizedOnnxFileName]);
        Assert.Equivalent(figures, card.Quantized, strict: true);
        using var model = TextcatModel.Load(result.ModelPath, ComputeDevice.Cpu, precision: ModelPrecision.Int8);
        Assert.Equal(ModelPrecision.Int8, model.Precision);
        Assert.Equal(eval.Count, model.Predict(eval).Count());
    }

    [Fact]
    public void AScoreThatMovesTooFarLeavesNoGraphAndSaysSo()
    {
        var folder = teacher.Copy("too-far");
        var card = ModelCard.Read(folder);
        var writer = new CollectingOutputWriter();

        // A limit of 0: no change is less than it, so whatever the 8-bit graph scores, it is not kept.
        var result = TeacherQuantization.Apply(folder, card, Labelled(folder), evalIsTrain: false, positiveLabel: null, writer, maxScoreChange: 0);

        Assert.Null(result);
        Assert.Null(card.Quantized);
        Assert.False(File.Exists(Path.Combine(folder, ModelFolder.QuantizedOnnxFileName)));
        var warning = Assert.Single(writer.Warnings);
        Assert.StartsWith("The 8-bit graph was not kept", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenTheWholeGraphMovesTheScoreTheFeedForwardOutputsStayFp32()
    {
        // One feed-forward unit of layer 0 always fires at about 400, and the output layer ignores it (its row is 0): the
        // fp32 graph is unchanged, but quantising that layer's input per batch leaves a step of about 1.6, which wipes out
        // the other units' activations. Only a graph that keeps the feed-forward outputs in fp32 scores as the fp32 one does.
        var folder = teacher.Copy("outlier");
        var labelled = Labelled(folder);
        var onnx = Path.Combine(folder, ModelFolder.OnnxFileName);
        var graph = ModelProto.Load(onnx);
        Edit(graph, "encoder.layer.0.intermediate.dense.bias", values => values[0] = 400f);
        Edit(graph, "encoder.layer.0.output.dense.weight.T", values => Array.Clear(values, 0, 32)); // row 0 of [64, 32]
        graph.Save(onnx);
        var card = ModelCard.Read(folder);
        var writer = new CollectingOutputWriter();

        var result = TeacherQuantization.Apply(folder, card, labelled, evalIsTrain: false, positiveLabel: null, writer);

        Assert.NotNull(result);
        Assert.Equal(TeacherQuantization.MethodFeedForwardOutputsFp32, result.Method);
        Assert.True(Math.Abs(result.ScoreChange) < TeacherQuantization.MaxScoreChange, $"change {result.ScoreChange}");
        Assert.Contains(writer.Verbose, v => v.StartsWith("The 8-bit graph moved the eval score", StringComparison.Ordinal));
        var quantized = ModelProto.Load(Path.Combine(folder, ModelFolder.QuantizedOnnxFileName));
        Assert.Equal(
            ["classifier.weight.T", "encoder.layer.0.output.dense.weight.T", "encoder.layer.1.output.dense.weight.T"],
            OnnxQuantizer.FloatWeightMatMuls(quantized).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void QuantizingAnExistingTeacherSealsTheFolderAgain()
    {
        var folder = teacher.Copy("existing");
        var writer = new CollectingOutputWriter();

        var figures = TeacherQuantization.QuantizeFolder(folder, Labelled(folder), writer);

        // Gold is the fp32 graph's own top label: where the 8-bit graph agrees on every text, the scores are equal.
        Assert.NotNull(figures);
        Assert.Equal(1.0, figures.TopLabelAgreement);
        Assert.Equal((figures.Float32Score, 0.0), (figures.Score, figures.ScoreChange));
        var card = ModelCard.Read(folder);
        Assert.Equal(["model.int8.onnx", "model.onnx", "vocab.txt"], card.Files!.Keys.Order(StringComparer.Ordinal));
        Assert.Equivalent(figures, card.Quantized, strict: true);
        using var eight = TextcatModel.Load(folder, ComputeDevice.Cpu, output: writer, precision: ModelPrecision.Int8);
        Assert.Equal(ModelPrecision.Int8, eight.Precision);
    }

    [Fact]
    public void AnOldCardHasNoQuantizedGraphAndAskingForItSaysToTrainWithQuantize()
    {
        Assert.Null(ModelCard.Read(teacher.ExclusiveFolder).Quantized);

        var error = Assert.Throws<UptrainException>(() => TextcatModel.Load(teacher.ExclusiveFolder, ComputeDevice.Cpu, precision: ModelPrecision.Int8));

        Assert.Equal("QuantizedModelNotFound", error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Kind);
        Assert.Contains("Invoke-TeacherTraining -Quantize", error.Message, StringComparison.Ordinal);
        Assert.Contains(teacher.ExclusiveFolder, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheQuantizedGraphScoresOnTheCpuWhenCudaIsAsked()
    {
        var folder = teacher.Copy("cuda");
        Assert.NotNull(TeacherQuantization.QuantizeFolder(folder, Labelled(folder), NullOutputWriter.Instance));
        var writer = new CollectingOutputWriter();

        using var model = TextcatModel.Load(folder, ComputeDevice.Cuda, output: writer, precision: ModelPrecision.Int8);

        Assert.Equal(ComputeDevice.Cpu, model.Device);
        Assert.Contains(writer.Warnings, w => w.StartsWith($"The 8-bit graph of '{folder}' scores on the CPU", StringComparison.Ordinal));
    }

    [Fact]
    public void AQuantizedGraphWhoseFileIsGoneIsModelNotFound()
    {
        var folder = teacher.Copy("gone");
        TeacherQuantization.QuantizeFolder(folder, Labelled(folder), NullOutputWriter.Instance);
        File.Delete(Path.Combine(folder, ModelFolder.QuantizedOnnxFileName));

        var error = Assert.Throws<UptrainException>(() => TextcatModel.Load(folder, ComputeDevice.Cpu, precision: ModelPrecision.Int8));

        Assert.Equal("ModelNotFound", error.ErrorId);
        Assert.Contains(ModelFolder.QuantizedOnnxFileName, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Changes the float values of the initializer <paramref name="name"/>.</summary>
    private static void Edit(ModelProto graph, string name, Action<float[]> change)
    {
        var initializers = graph.Graph.Initializer;
        var index = initializers.Select((t, i) => (t, i)).Single(p => p.t.Name == name).i;
        var values = initializers[index].ToFloatArray();
        change(values);
        initializers[index] = TensorProto.FromFloats(name, initializers[index].Dims, values);
    }

    /// <summary>Texts of the tiny teacher's words, labelled with the fp32 graph's own top label.</summary>
    private static List<TextcatExample> Labelled(string folder)
    {
        string[] texts =
        [
            "the movie was very good", "a terrible plot and boring music", "i loved the acting", "it is ok", "the ending was slow",
            "great story , fun scenes !", "i hated this film", "not bad but long", "the actors were really fast", "short and fun",
            "this is the best music", "the film was not good", "really terrible acting", "a long , long movie", "fun !",
        ];
        using var model = TextcatModel.Load(folder, ComputeDevice.Cpu);
        return [.. model.Predict(texts.Select(t => new TextcatExample(t))).Select(p =>
        {
            var example = new TextcatExample(p.Text);
            foreach (var label in model.Labels)
            {
                example.Cats[label] = label == p.Label ? 1 : 0;
            }

            return example;
        })];
    }
}
