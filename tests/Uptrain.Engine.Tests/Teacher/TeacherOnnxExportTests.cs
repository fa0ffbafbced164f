using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Uptrain.Teacher;
using Uptrain.Teacher.Onnx;
using Uptrain.Text;
using Xunit.Abstractions;
using static TorchSharp.torch;
using DataType = Uptrain.Teacher.Onnx.TensorProto.Types.DataType;
using Dimension = Uptrain.Teacher.Onnx.TensorShapeProto.Types.Dimension;

namespace Uptrain.Tests.Teacher;

public sealed class TeacherOnnxExportTests(ITestOutputHelper output)
{
    // Two rows, the second padded: token ids within the tiny vocabulary of 100.
    private static readonly long[] Ids = [2, 10, 11, 12, 13, 3, 2, 40, 41, 3, 0, 0];
    private static readonly long[] Mask = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0];
    private static readonly long[] Shape = [2, 6];

    [Fact]
    public void ExclusiveMeanPooledTinyModelScoresLikeTorchSharp()
    {
        torch.manual_seed(11);
        using var model = new BertClassifier(new BertModel(TinyConfig("gelu")), labelCount: 3, PoolingMode.Mean);
        AssertParity(model, exclusive: true, Ids, Mask, Shape);
    }

    [Fact]
    public void MultilabelClsPooledTanhGeluModelScoresLikeTorchSharp()
    {
        torch.manual_seed(12);
        using var model = new BertClassifier(new BertModel(TinyConfig("gelu_new")), labelCount: 4, PoolingMode.Cls);
        AssertParity(model, exclusive: false, Ids, Mask, Shape);
    }

    [Fact]
    public void MiniLmClassifierScoresLikeTorchSharp()
    {
        torch.manual_seed(13);
        using var model = new BertClassifier(BertModel.FromPretrained(BundledModel.Folder), labelCount: 2);
        var batch = WordPieceTokenizer.FromFolder(BundledModel.Folder).EncodeBatch(
            ["I loved this film.", "Terrible service, the order arrived cold and two hours late.", "ok"]);
        AssertParity(model, exclusive: true, batch.InputIds, batch.AttentionMask, batch.Shape);
    }

    [Fact]
    public void ExportedGraphHasDynamicAxesAndGivesItsWeightsBack()
    {
        torch.manual_seed(14);
        using var model = new BertClassifier(new BertModel(TinyConfig("gelu")), labelCount: 2);
        var onnx = ModelProto.Parse(TeacherOnnxExport.Build(model, exclusive: true).ToByteArray());

        Assert.Equal(TeacherOnnxExport.InputNames, onnx.Graph.Input.Select(i => i.Name));
        Assert.All(onnx.Graph.Input, i => Assert.Equal(["batch", "sequence"], i.Shape!.Select(d => d.DimParam)));
        var scores = Assert.Single(onnx.Graph.Output);
        Assert.Equal((TeacherOnnxExport.ScoresOutput, DataType.Float), (scores.Name, scores.ElementType));
        Assert.Equal([Dimension.Dynamic("batch"), Dimension.Fixed(2)], scores.Shape!);
        Assert.Equal(new OperatorSetIdProto { Domain = string.Empty, Version = TeacherOnnxExport.Opset }, Assert.Single(onnx.OpsetImport));

        var weights = BertWeights.FromOnnx(onnx);
        var parameters = model.named_parameters().ToDictionary(p => BertWeights.NormalizeKey(p.name), p => p.parameter);
        Assert.Equal(parameters.Keys.Order(), weights.Keys.Order());
        foreach (var (name, parameter) in parameters)
        {
            Assert.Equal(parameter.data<float>().ToArray(), weights[name].Data);
        }
    }

    private void AssertParity(BertClassifier model, bool exclusive, long[] ids, long[] mask, long[] shape)
    {
        model.eval();

        // A fresh head (weights of spread 0.02) gives scores close to uniform, where differences in
        // the encoder would hardly show: spread it to about 1 so that the scores span the whole range.
        using (no_grad())
        {
            model.named_parameters().Single(p => p.name == "classifier.weight").parameter.mul_(50);
        }

        float[] expected;
        using (no_grad())
        using (var logits = model.call(tensor(ids, shape), tensor(mask, shape), zeros(shape, dtype: ScalarType.Int64)))
        using (var scores = exclusive ? logits.softmax(-1) : logits.sigmoid())
        {
            expected = scores.data<float>().ToArray();
        }

        using var session = new InferenceSession(TeacherOnnxExport.Build(model, exclusive).ToByteArray());
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, TeacherOnnxExport.InputNames.ToArray(), new[] { idsValue, maskValue, typesValue }, new[] { TeacherOnnxExport.ScoresOutput });
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.Max() - expected.Min() > 0.2, $"scores too uniform to compare: {string.Join(", ", expected)}");
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"largest score difference, ONNX Runtime vs TorchSharp: {worst:E2}");
        Assert.True(worst < 1e-4, $"largest score difference: {worst:E2}");
        if (exclusive)
        {
            for (var row = 0; row < shape[0]; row++)
            {
                Assert.Equal(1.0, actual.Skip(row * model.LabelCount).Take(model.LabelCount).Sum(), 1e-5);
            }
        }
    }

    private static BertConfig TinyConfig(string activation) => new()
    {
        VocabSize = 100,
        HiddenSize = 64,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        IntermediateSize = 128,
        MaxPositionEmbeddings = 32,
        HiddenAct = activation,
    };
}
