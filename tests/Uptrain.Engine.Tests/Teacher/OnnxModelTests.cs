using Microsoft.ML.OnnxRuntime;
using Uptrain.Teacher.Onnx;

namespace Uptrain.Tests.Teacher;

public sealed class OnnxModelTests
{
    [Fact]
    public void ReadsTheBundledMiniLm()
    {
        var model = OnnxModel.Load(BundledModel.OnnxPath);

        Assert.Contains(model.OpsetImports, o => o.Domain.Length == 0 && o.Version >= 11);
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], model.Graph.Inputs.Select(i => i.Name));
        Assert.All(model.Graph.Inputs, i => Assert.Equal(OnnxDataType.Int64, i.ElementType));
        var output = model.Graph.Outputs[0];
        Assert.Equal("last_hidden_state", output.Name);
        Assert.Equal("batch", output.Shape![0].Param);

        var words = Assert.Single(model.Graph.Initializers, t => t.Name == "embeddings.word_embeddings.weight");
        Assert.Equal(OnnxDataType.Float, words.DataType);
        Assert.Equal([30522L, 384L], words.Dims);
        Assert.Equal(30522 * 384, words.ToFloatArray().Length);

        // Six layers of six dense matrices (query, key, value, attention output, intermediate, output)
        // are anonymous initializers that feed MatMul nodes.
        var initializers = model.Graph.Initializers.ToDictionary(t => t.Name);
        var matMulWeights = model.Graph.Nodes
            .Where(n => n.OpType == "MatMul" && initializers.ContainsKey(n.Inputs[1]))
            .Select(n => initializers[n.Inputs[1]])
            .ToList();
        Assert.Equal(36, matMulWeights.Count);
        Assert.All(matMulWeights, w => Assert.DoesNotContain(".", w.Name));
        Assert.Equal(6, matMulWeights.Count(w => w.Dims.SequenceEqual([384L, 1536L])));

        var softmax = model.Graph.Nodes.First(n => n.OpType == "Softmax");
        Assert.Equal(-1, softmax.Attribute("axis")!.Int);
    }

    [Fact]
    public void RoundTripsEveryPartOfASmallGraph()
    {
        var model = new OnnxModel { ProducerName = "Uptrain.Tests", ProducerVersion = "1", ModelVersion = 3, DocString = "round trip" };
        model.OpsetImports.Add(new OnnxOpsetImport(string.Empty, 17));
        model.OpsetImports.Add(new OnnxOpsetImport("com.microsoft", 1));
        var graph = model.Graph;
        graph.Name = "g";
        graph.Inputs.Add(new OnnxValueInfo("x", OnnxDataType.Float, [OnnxDimension.Dynamic("batch"), OnnxDimension.Fixed(4)]));
        graph.Inputs.Add(new OnnxValueInfo("unknown_rank", OnnxDataType.Int64, null));
        graph.Outputs.Add(new OnnxValueInfo("y", OnnxDataType.Float, [OnnxDimension.Dynamic("batch"), OnnxDimension.Fixed(0)]));
        graph.Initializers.Add(OnnxTensor.FromFloats("w", [4, 2], [1f, -2f, 3.5f, 0f, float.Epsilon, -0f, 1e30f, 7f]));
        graph.Initializers.Add(OnnxTensor.FromInt64s("shape", [2], [-1, long.MaxValue]));
        graph.Initializers.Add(OnnxTensor.FromFloats("scalar", [], [2.5f]));
        graph.Nodes.Add(new OnnxNode("Custom", ["x", "", "w"], ["y", "z"], "node0",
        [
            OnnxAttribute.FromInt("i", -5),
            OnnxAttribute.FromInt("zero", 0),
            OnnxAttribute.FromFloat("f", 0.25f),
            OnnxAttribute.FromString("s", "tanh ✓"),
            OnnxAttribute.FromInts("ints", 0, -1, 3),
            OnnxAttribute.FromFloats("floats", 1.5f, -2f),
            OnnxAttribute.FromStrings("strings", "a", ""),
            OnnxAttribute.FromTensor("value", OnnxTensor.FromInt64s("", [1], [42])),
        ]) { Domain = "com.microsoft" });

        var bytes = model.ToArray();
        var read = OnnxModel.Parse(bytes);

        Assert.Equal(OnnxModel.DefaultIrVersion, read.IrVersion);
        Assert.Equal(("Uptrain.Tests", "1", 3L, "round trip"), (read.ProducerName, read.ProducerVersion, read.ModelVersion, read.DocString));
        Assert.Equal(model.OpsetImports, read.OpsetImports);
        Assert.Equal("g", read.Graph.Name);
        Assert.Equal("x: Float[batch, 4]", read.Graph.Inputs[0].ToString());
        Assert.Null(read.Graph.Inputs[1].Shape);
        Assert.Equal([OnnxDimension.Dynamic("batch"), OnnxDimension.Fixed(0)], read.Graph.Outputs[0].Shape!);

        Assert.Equal([1f, -2f, 3.5f, 0f, float.Epsilon, -0f, 1e30f, 7f], read.Graph.Initializers[0].ToFloatArray());
        Assert.Equal([4L, 2L], read.Graph.Initializers[0].Dims);
        Assert.Equal([-1L, long.MaxValue], read.Graph.Initializers[1].ToInt64Array());
        Assert.Empty(read.Graph.Initializers[2].Dims);
        Assert.Equal([2.5f], read.Graph.Initializers[2].ToFloatArray());

        var node = Assert.Single(read.Graph.Nodes);
        Assert.Equal(("Custom", "com.microsoft", "node0"), (node.OpType, node.Domain, node.Name));
        Assert.Equal(["x", "", "w"], node.Inputs);
        Assert.Equal(["y", "z"], node.Outputs);
        Assert.Equal(-5, node.Attribute("i")!.Int);
        Assert.Equal(OnnxAttributeType.Int, node.Attribute("zero")!.Type);
        Assert.Equal(0.25f, node.Attribute("f")!.Float);
        Assert.Equal("tanh ✓", node.Attribute("s")!.String);
        Assert.Equal([0L, -1L, 3L], node.Attribute("ints")!.Ints);
        Assert.Equal([1.5f, -2f], node.Attribute("floats")!.Floats);
        Assert.Equal(["a", ""], node.Attribute("strings")!.Strings);
        Assert.Equal([42L], node.Attribute("value")!.Tensor!.ToInt64Array());

        // Writing what was read gives the same bytes.
        Assert.Equal(bytes, read.ToArray());
    }

    [Fact]
    public void MiniLmRewrittenByOurWriterRunsTheSameInOnnxRuntime()
    {
        // Read the 90 MB model, write it back with our codec, run both: every output value is the same.
        var original = File.ReadAllBytes(BundledModel.OnnxPath);
        var rewritten = OnnxModel.Parse(original).ToArray();
        long[] ids = [101, 7592, 2088, 102, 101, 7592, 102, 0];
        long[] mask = [1, 1, 1, 1, 1, 1, 1, 0];

        Assert.Equal(Run(original), Run(rewritten));

        float[] Run(byte[] model)
        {
            using var session = new InferenceSession(model);
            using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [2, 4]);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [2, 4]);
            using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[8], [2, 4]);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, new[] { "input_ids", "attention_mask", "token_type_ids" }, new[] { idsValue, maskValue, typesValue }, new[] { "last_hidden_state" });
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
    }

    [Fact]
    public void RejectsTruncatedData()
    {
        var model = new OnnxModel();
        model.Graph.Initializers.Add(OnnxTensor.FromFloats("w", [2], [1f, 2f]));
        var bytes = model.ToArray();
        Assert.Throws<InvalidDataException>(() => OnnxModel.Parse(bytes.AsMemory(0, bytes.Length - 3)));
        Assert.Throws<InvalidDataException>(() => OnnxModel.Parse(Array.Empty<byte>()));
    }

    [Fact]
    public void OnnxRuntimeRunsAGraphWeWrote()
    {
        // y = Softmax(x · W + b) over the last axis, batch dimension dynamic.
        float[] w = [1f, 0f, -1f, 2f, 1f, 0f]; // [2, 3]
        float[] b = [0f, 0.5f, -0.5f];
        var model = new OnnxModel { ProducerName = "Uptrain.Tests" };
        model.OpsetImports.Add(new OnnxOpsetImport(string.Empty, 13));
        model.Graph.Name = "tiny";
        model.Graph.Inputs.Add(new OnnxValueInfo("x", OnnxDataType.Float, [OnnxDimension.Dynamic("batch"), OnnxDimension.Fixed(2)]));
        model.Graph.Outputs.Add(new OnnxValueInfo("y", OnnxDataType.Float, [OnnxDimension.Dynamic("batch"), OnnxDimension.Fixed(3)]));
        model.Graph.Initializers.Add(OnnxTensor.FromFloats("W", [2, 3], w));
        model.Graph.Initializers.Add(OnnxTensor.FromFloats("B", [3], b));
        model.Graph.Nodes.Add(new OnnxNode("MatMul", ["x", "W"], ["xw"]));
        model.Graph.Nodes.Add(new OnnxNode("Add", ["xw", "B"], ["logits"]));
        model.Graph.Nodes.Add(new OnnxNode("Softmax", ["logits"], ["y"], attributes: [OnnxAttribute.FromInt("axis", -1)]));

        float[] x = [1f, 2f, 0f, -1f, 3f, 0.5f]; // three rows
        using var session = new InferenceSession(model.ToArray());
        using var input = OrtValue.CreateTensorValueFromMemory(x, [3, 2]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, new[] { "x" }, new[] { input }, new[] { "y" });
        var y = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal([3L, 3L], outputs[0].GetTensorTypeAndShape().Shape);

        for (var row = 0; row < 3; row++)
        {
            var logits = new double[3];
            for (var j = 0; j < 3; j++)
            {
                logits[j] = (x[row * 2] * w[j]) + (x[(row * 2) + 1] * w[3 + j]) + b[j];
            }

            var max = logits.Max();
            var total = logits.Sum(l => Math.Exp(l - max));
            for (var j = 0; j < 3; j++)
            {
                Assert.Equal(Math.Exp(logits[j] - max) / total, y[(row * 3) + j], 1e-6);
            }
        }

        // First row by hand: x·W + b = [1+4, 0+2+0.5, -1+0-0.5] = [5, 2.5, -1.5].
        var e = new[] { Math.Exp(5), Math.Exp(2.5), Math.Exp(-1.5) };
        Assert.Equal(e[0] / e.Sum(), y[0], 1e-6);
    }
}
