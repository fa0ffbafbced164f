using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Uptrain.Teacher.Onnx;
using AttributeType = Uptrain.Teacher.Onnx.AttributeProto.Types.AttributeType;
using DataType = Uptrain.Teacher.Onnx.TensorProto.Types.DataType;
using Dimension = Uptrain.Teacher.Onnx.TensorShapeProto.Types.Dimension;

namespace Uptrain.Tests.Teacher;

public sealed class OnnxModelTests
{
    [Fact]
    public void ReadsTheBundledMiniLm()
    {
        var model = ModelProto.Load(BundledModel.OnnxPath);

        Assert.Contains(model.OpsetImport, o => o.Domain.Length == 0 && o.Version >= 11);
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], model.Graph.Input.Select(i => i.Name));
        Assert.All(model.Graph.Input, i => Assert.Equal(DataType.Int64, i.ElementType));
        var output = model.Graph.Output[0];
        Assert.Equal("last_hidden_state", output.Name);
        Assert.Equal("batch", output.Shape![0].DimParam);

        var words = Assert.Single(model.Graph.Initializer, t => t.Name == "embeddings.word_embeddings.weight");
        Assert.Equal(DataType.Float, words.ElementType);
        Assert.Equal([30522L, 384L], words.Dims);
        Assert.Equal(30522 * 384, words.ToFloatArray().Length);

        // Six layers of six dense matrices (query, key, value, attention output, intermediate, output)
        // are anonymous initializers that feed MatMul nodes.
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name);
        var matMulWeights = model.Graph.Node
            .Where(n => n.OpType == "MatMul" && initializers.ContainsKey(n.Input[1]))
            .Select(n => initializers[n.Input[1]])
            .ToList();
        Assert.Equal(36, matMulWeights.Count);
        Assert.All(matMulWeights, w => Assert.DoesNotContain(".", w.Name));
        Assert.Equal(6, matMulWeights.Count(w => w.Dims.SequenceEqual([384L, 1536L])));

        var softmax = model.Graph.Node.First(n => n.OpType == "Softmax");
        Assert.Equal(-1, softmax.FindAttribute("axis")!.I);
    }

    [Fact]
    public void RoundTripsEveryPartOfASmallGraph()
    {
        var graph = new GraphProto { Name = "g" };
        var model = new ModelProto
        {
            IrVersion = ModelProto.DefaultIrVersion,
            ProducerName = "Uptrain.Tests",
            ProducerVersion = "1",
            ModelVersion = 3,
            DocString = "round trip",
            OpsetImport = { new OperatorSetIdProto { Domain = string.Empty, Version = 17 }, new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 } },
            Graph = graph,
        };
        graph.Input.Add(ValueInfoProto.Tensor("x", DataType.Float, [Dimension.Dynamic("batch"), Dimension.Fixed(4)]));
        graph.Input.Add(ValueInfoProto.Tensor("unknown_rank", DataType.Int64, null));
        graph.Output.Add(ValueInfoProto.Tensor("y", DataType.Float, [Dimension.Dynamic("batch"), Dimension.Fixed(0)]));
        graph.Initializer.Add(TensorProto.FromFloats("w", [4, 2], [1f, -2f, 3.5f, 0f, float.Epsilon, -0f, 1e30f, 7f]));
        graph.Initializer.Add(TensorProto.FromInt64s("shape", [2], [-1, long.MaxValue]));
        graph.Initializer.Add(TensorProto.FromFloats("scalar", [], [2.5f]));
        var custom = NodeProto.Create("Custom", ["x", "", "w"], ["y", "z"], "node0",
        [
            AttributeProto.FromInt("i", -5),
            AttributeProto.FromInt("zero", 0),
            AttributeProto.FromFloat("f", 0.25f),
            AttributeProto.FromString("s", "tanh ✓"),
            AttributeProto.FromInts("ints", 0, -1, 3),
            AttributeProto.FromFloats("floats", 1.5f, -2f),
            AttributeProto.FromStrings("strings", "a", ""),
            AttributeProto.FromTensor("value", TensorProto.FromInt64s("", [1], [42])),
        ]);
        custom.Domain = "com.microsoft";
        graph.Node.Add(custom);

        var bytes = model.ToByteArray();
        var read = ModelProto.Parse(bytes);

        Assert.Equal(ModelProto.DefaultIrVersion, read.IrVersion);
        Assert.Equal(("Uptrain.Tests", "1", 3L, "round trip"), (read.ProducerName, read.ProducerVersion, read.ModelVersion, read.DocString));
        Assert.Equal(model.OpsetImport, read.OpsetImport);
        Assert.Equal("g", read.Graph.Name);
        Assert.Equal(("x", DataType.Float), (read.Graph.Input[0].Name, read.Graph.Input[0].ElementType));
        Assert.Equal([Dimension.Dynamic("batch"), Dimension.Fixed(4)], read.Graph.Input[0].Shape!);
        Assert.Null(read.Graph.Input[1].Shape);
        Assert.Equal([Dimension.Dynamic("batch"), Dimension.Fixed(0)], read.Graph.Output[0].Shape!);

        Assert.Equal([1f, -2f, 3.5f, 0f, float.Epsilon, -0f, 1e30f, 7f], read.Graph.Initializer[0].ToFloatArray());
        Assert.Equal([4L, 2L], read.Graph.Initializer[0].Dims);
        Assert.Equal([-1L, long.MaxValue], read.Graph.Initializer[1].ToInt64Array());
        Assert.Empty(read.Graph.Initializer[2].Dims);
        Assert.Equal([2.5f], read.Graph.Initializer[2].ToFloatArray());

        var node = Assert.Single(read.Graph.Node);
        Assert.Equal(("Custom", "com.microsoft", "node0"), (node.OpType, node.Domain, node.Name));
        Assert.Equal(["x", "", "w"], node.Input);
        Assert.Equal(["y", "z"], node.Output);
        Assert.Equal(-5, node.FindAttribute("i")!.I);
        Assert.Equal(AttributeType.Int, node.FindAttribute("zero")!.Type);
        Assert.Equal(0.25f, node.FindAttribute("f")!.F);
        Assert.Equal("tanh ✓", node.FindAttribute("s")!.StringValue);
        Assert.Equal([0L, -1L, 3L], node.FindAttribute("ints")!.Ints);
        Assert.Equal([1.5f, -2f], node.FindAttribute("floats")!.Floats);
        Assert.Equal(["a", ""], node.FindAttribute("strings")!.Strings.Select(s => s.ToStringUtf8()));
        Assert.Equal([42L], node.FindAttribute("value")!.T.ToInt64Array());

        // Writing what was read gives the same bytes.
        Assert.Equal(bytes, read.ToByteArray());
    }

    [Fact]
    public void WritesAsOnnxsProto2SchemaDoes()
    {
        // A value equal to its default is still written (proto2 presence), so ONNX Runtime's has_i()
        // sees keepdims = 0; the proto3 default would leave the field out, and keepdims would read as 1.
        var zero = AttributeProto.FromInt("keepdims", 0).ToByteArray();
        Assert.Equal([0x0A, 8, .."keepdims"u8, 0x18, 0x00, 0xA0, 0x01, 0x02], zero);

        // dims are unpacked varints (field 1, wire type 0), as onnx.proto declares them.
        var tensor = TensorProto.FromInt64s("t", [2, 3], [1, 2, 3, 4, 5, 6]).ToByteArray();
        Assert.Equal([0x08, 2, 0x08, 3, 0x10, 7], tensor[..6]);

        // Both encodings of a repeated field read: packed dims, and float_data instead of raw_data.
        var packed = new TensorProto { Name = "p", DataType = (int)DataType.Float, FloatData = { 1f, 2f } }.ToByteArray();
        byte[] packedDims = [0x0A, 2, 1, 2, .. packed];
        var read = TensorProto.Parser.ParseFrom(packedDims);
        Assert.Equal([1L, 2L], read.Dims);
        Assert.Equal([1f, 2f], read.ToFloatArray());
    }

    [Fact]
    public void TensorValuesAreCheckedForTypeSizeAndPlace()
    {
        var floats = TensorProto.FromFloats("w", [2], [1f, 2f]);
        Assert.Throws<InvalidOperationException>(() => floats.ToInt64Array());

        var tooShort = TensorProto.FromFloats("w", [3], [1f, 2f]);
        Assert.Contains("'w' has 2 values for dimensions [3]", Assert.Throws<InvalidDataException>(() => tooShort.ToFloatArray()).Message);

        var external = new TensorProto { Name = "e", DataType = (int)DataType.Float, Dims = { 2 }, DataLocation = TensorProto.Types.DataLocation.External };
        Assert.Contains("external file", Assert.Throws<InvalidDataException>(() => external.ToFloatArray()).Message);
    }

    [Fact]
    public void OnnxRuntimeHonoursAZeroAttribute()
    {
        // ReduceSum with keepdims = 0 drops the reduced axis: [2, 3] → [2].
        var graph = new GraphProto { Name = "reduce" };
        graph.Input.Add(ValueInfoProto.Tensor("x", DataType.Float, [Dimension.Fixed(2), Dimension.Fixed(3)]));
        graph.Output.Add(ValueInfoProto.Tensor("y", DataType.Float, null));
        graph.Initializer.Add(TensorProto.FromInt64s("axes", [1], [1]));
        graph.Node.Add(NodeProto.Create("ReduceSum", ["x", "axes"], ["y"], attributes: [AttributeProto.FromInt("keepdims", 0)]));
        var model = new ModelProto { IrVersion = ModelProto.DefaultIrVersion, OpsetImport = { new OperatorSetIdProto { Domain = string.Empty, Version = 13 } }, Graph = graph };

        using var session = new InferenceSession(model.ToByteArray());
        using var input = OrtValue.CreateTensorValueFromMemory(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, [2, 3]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, new[] { "x" }, new[] { input }, new[] { "y" });

        Assert.Equal([2L], outputs[0].GetTensorTypeAndShape().Shape);
        Assert.Equal([6f, 15f], outputs[0].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void MiniLmReadAndWrittenBackIsTheSameFile()
    {
        // The 90 MB model, read and written back: the same bytes, fields this schema leaves out (if any)
        // included, since the generated code keeps unknown fields.
        var original = File.ReadAllBytes(BundledModel.OnnxPath);

        var rewritten = ModelProto.Load(BundledModel.OnnxPath).ToByteArray();

        Assert.Equal(original.Length, rewritten.Length);
        Assert.True(original.AsSpan().SequenceEqual(rewritten), "the rewritten model differs from the file");
    }

    [Fact]
    public void RejectsTruncatedData()
    {
        var model = new ModelProto { Graph = new GraphProto { Initializer = { TensorProto.FromFloats("w", [2], [1f, 2f]) } } };
        var bytes = model.ToByteArray();
        Assert.Throws<InvalidDataException>(() => ModelProto.Parse(bytes[..^3]));
        Assert.Throws<InvalidDataException>(() => ModelProto.Parse([]));
    }

    [Fact]
    public void OnnxRuntimeRunsAGraphWeWrote()
    {
        // y = Softmax(x · W + b) over the last axis, batch dimension dynamic.
        float[] w = [1f, 0f, -1f, 2f, 1f, 0f]; // [2, 3]
        float[] b = [0f, 0.5f, -0.5f];
        var graph = new GraphProto { Name = "tiny" };
        var model = new ModelProto { IrVersion = ModelProto.DefaultIrVersion, ProducerName = "Uptrain.Tests", OpsetImport = { new OperatorSetIdProto { Domain = string.Empty, Version = 13 } }, Graph = graph };
        graph.Input.Add(ValueInfoProto.Tensor("x", DataType.Float, [Dimension.Dynamic("batch"), Dimension.Fixed(2)]));
        graph.Output.Add(ValueInfoProto.Tensor("y", DataType.Float, [Dimension.Dynamic("batch"), Dimension.Fixed(3)]));
        graph.Initializer.Add(TensorProto.FromFloats("W", [2, 3], w));
        graph.Initializer.Add(TensorProto.FromFloats("B", [3], b));
        graph.Node.Add(NodeProto.Create("MatMul", ["x", "W"], ["xw"]));
        graph.Node.Add(NodeProto.Create("Add", ["xw", "B"], ["logits"]));
        graph.Node.Add(NodeProto.Create("Softmax", ["logits"], ["y"], attributes: [AttributeProto.FromInt("axis", -1)]));

        float[] x = [1f, 2f, 0f, -1f, 3f, 0.5f]; // three rows
        using var session = new InferenceSession(model.ToByteArray());
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
