using System.Buffers.Binary;
using System.Text;
using Uptrain.Teacher;
using Uptrain.Teacher.Onnx;

namespace Uptrain.Tests.Teacher;

public sealed class BertWeightsTests
{
    private const int Hidden = 384;
    private const int Intermediate = 1536;

    // Shared: reading the 90 MB ONNX file once for all tests of this class.
    private static readonly Lazy<(ModelProto Model, BertWeights Weights)> MiniLm = new(() =>
    {
        var model = ModelProto.Load(BundledModel.OnnxPath);
        return (model, BertWeights.FromOnnx(model));
    });

    public static TheoryData<string, long[]> ExpectedMiniLmShapes()
    {
        var data = new TheoryData<string, long[]>
        {
            { "embeddings.word_embeddings.weight", [30522, Hidden] },
            { "embeddings.position_embeddings.weight", [512, Hidden] },
            { "embeddings.token_type_embeddings.weight", [2, Hidden] },
            { "embeddings.LayerNorm.weight", [Hidden] },
            { "embeddings.LayerNorm.bias", [Hidden] },
            { "pooler.dense.weight", [Hidden, Hidden] },
            { "pooler.dense.bias", [Hidden] },
        };
        for (var layer = 0; layer < 6; layer++)
        {
            var prefix = $"encoder.layer.{layer}.";
            foreach (var name in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense" })
            {
                data.Add(prefix + name + ".weight", [Hidden, Hidden]);
                data.Add(prefix + name + ".bias", [Hidden]);
            }

            data.Add(prefix + "intermediate.dense.weight", [Intermediate, Hidden]); // [out, in]
            data.Add(prefix + "intermediate.dense.bias", [Intermediate]);
            data.Add(prefix + "output.dense.weight", [Hidden, Intermediate]);
            data.Add(prefix + "output.dense.bias", [Hidden]);
            foreach (var norm in new[] { "attention.output.LayerNorm", "output.LayerNorm" })
            {
                data.Add(prefix + norm + ".weight", [Hidden]);
                data.Add(prefix + norm + ".bias", [Hidden]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExpectedMiniLmShapes))]
    public void OnnxGraphYieldsEveryBertKeyWithItsShape(string key, long[] shape)
    {
        var weights = MiniLm.Value.Weights;
        Assert.True(weights.ContainsKey(key), $"missing {key}");
        Assert.Equal(shape, weights[key].Shape);
    }

    [Fact]
    public void OnnxGraphYieldsNothingElse()
    {
        Assert.Equal(ExpectedMiniLmShapes().Count(), MiniLm.Value.Weights.Count);
    }

    [Fact]
    public void AnonymousMatMulWeightIsTransposedToOutIn()
    {
        var (model, weights) = MiniLm.Value;

        // The first MatMul of the graph reads the first layer's query weight as [in, out].
        var matMul = model.Graph.Node.First(n => n.OpType == "MatMul" && model.Graph.Initializer.Any(t => t.Name == n.Input[1]));
        var onnx = model.Graph.Initializer.Single(t => t.Name == matMul.Input[1]).ToFloatArray();
        var query = weights["encoder.layer.0.attention.self.query.weight"].Data;
        foreach (var (row, column) in new[] { (0, 0), (0, 1), (5, 17), (383, 2), (100, 383) })
        {
            Assert.Equal(onnx[(column * Hidden) + row], query[(row * Hidden) + column]); // [out=row, in=column]
        }
    }

    [Fact]
    public void ConfigIsInferredFromTheMiniLmShapes()
    {
        var config = BertConfig.Infer(MiniLm.Value.Weights);

        Assert.Equal(30522, config.VocabSize);
        Assert.Equal(Hidden, config.HiddenSize);
        Assert.Equal(6, config.NumHiddenLayers);
        Assert.Equal(12, config.NumAttentionHeads); // all-MiniLM-L6-v2: 12 heads of 32, read from the graph's 1/√32 scaling
        Assert.Equal(32, config.HeadSize);
        Assert.Equal(Intermediate, config.IntermediateSize);
        Assert.Equal(512, config.MaxPositionEmbeddings);
        Assert.Equal(2, config.TypeVocabSize);
        Assert.Equal("gelu", config.HiddenAct);
        Assert.Equal(1e-12, config.LayerNormEps, 1e-15); // read from the graph's LayerNorm constant
    }

    [Fact]
    public void ConfigJsonIsRead()
    {
        const string BertBase = """
            { "architectures": ["BertForMaskedLM"], "attention_probs_dropout_prob": 0.1, "hidden_act": "gelu",
              "hidden_dropout_prob": 0.2, "hidden_size": 768, "initializer_range": 0.02, "intermediate_size": 3072,
              "layer_norm_eps": 1e-12, "max_position_embeddings": 512, "model_type": "bert", "num_attention_heads": 12,
              "num_hidden_layers": 12, "pad_token_id": 0, "type_vocab_size": 2, "vocab_size": 30522 }
            """;
        var config = BertConfig.FromJson(BertBase);

        Assert.Equal((768, 12, 12, 3072, 30522), (config.HiddenSize, config.NumHiddenLayers, config.NumAttentionHeads, config.IntermediateSize, config.VocabSize));
        Assert.Equal(0.2, config.HiddenDropoutProb);
        Assert.Equal(config, BertConfig.FromJson(config.ToJson()));

        Assert.Throws<InvalidDataException>(() => BertConfig.FromJson("""{ "hidden_size": 768 }"""));
        Assert.Throws<InvalidDataException>(() => BertConfig.FromJson(BertBase.Replace("\"num_attention_heads\": 12", "\"num_attention_heads\": 7", StringComparison.Ordinal)));
        Assert.Throws<InvalidDataException>(() => BertConfig.FromJson(BertBase.Replace("\"gelu\"", "\"swish\"", StringComparison.Ordinal)));
        Assert.Throws<InvalidDataException>(() => BertConfig.FromJson("not json"));
    }

    [Fact]
    public void SafetensorsWrittenByHandAreRead()
    {
        // F32 [2, 2], F16 [3], BF16 [2] and an I64 buffer that is not a weight.
        const string Header = """
            {"__metadata__":{"format":"pt"},
             "bert.embeddings.LayerNorm.gamma":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},
             "half":{"dtype":"F16","shape":[3],"data_offsets":[16,22]},
             "brain":{"dtype":"BF16","shape":[2],"data_offsets":[22,26]},
             "embeddings.position_ids":{"dtype":"I64","shape":[2],"data_offsets":[26,42]}}
            """;
        var data = new List<byte>();
        foreach (var value in new[] { 1f, -2f, 0.5f, 3.25f })
        {
            var four = new byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(four, value);
            data.AddRange(four);
        }

        foreach (ushort bits in new ushort[] { 0x3E00, 0xC000, 0x2E66 }) // F16: 1.5, -2, 0.0999755859375
        {
            data.Add((byte)bits);
            data.Add((byte)(bits >> 8));
        }

        foreach (ushort bits in new ushort[] { 0x3F80, 0xC060 }) // BF16: 1, -3.5
        {
            data.Add((byte)bits);
            data.Add((byte)(bits >> 8));
        }

        data.AddRange(new byte[16]);
        var header = Encoding.UTF8.GetBytes(Header);
        var file = new byte[8 + header.Length + data.Count];
        BinaryPrimitives.WriteInt64LittleEndian(file, header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);

        var path = Path.Combine(Path.GetTempPath(), $"uptrain-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, file);
        try
        {
            var tensors = SafetensorsFile.Read(path);
            Assert.Equal(["bert.embeddings.LayerNorm.gamma", "brain", "half"], tensors.Keys.Order());
            Assert.Equal([1f, -2f, 0.5f, 3.25f], tensors["bert.embeddings.LayerNorm.gamma"].Data);
            Assert.Equal([2L, 2L], tensors["bert.embeddings.LayerNorm.gamma"].Shape);
            Assert.Equal([1.5f, -2f, 0.0999755859375f], tensors["half"].Data);
            Assert.Equal([1f, -3.5f], tensors["brain"].Data);

            // As BertWeights, the task-model prefix and the TensorFlow-era LayerNorm name are mapped.
            var weights = BertWeights.Load(path);
            Assert.True(weights.ContainsKey("embeddings.LayerNorm.weight"));

            File.WriteAllBytes(path, file.AsSpan(0, file.Length - 1).ToArray());
            Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SafetensorsRoundTrip()
    {
        var tensors = new Dictionary<string, WeightTensor>
        {
            ["encoder.layer.0.output.dense.weight"] = new([2, 3], [1f, 2f, 3f, 4f, 5f, float.NegativeInfinity]),
            ["a.scalar"] = new([], [42f]),
            ["embeddings.LayerNorm.bias"] = new([1], [-0.125f]),
        };
        var path = Path.Combine(Path.GetTempPath(), $"uptrain-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafetensorsFile.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(0, (8 + BinaryPrimitives.ReadInt64LittleEndian(bytes)) % 8); // data is 8-byte aligned

            var read = SafetensorsFile.Read(path);
            Assert.Equal(tensors.Keys.Order(), read.Keys.Order());
            foreach (var (name, tensor) in tensors)
            {
                Assert.Equal(tensor.Shape, read[name].Shape);
                Assert.Equal(tensor.Data, read[name].Data);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void KeysOfTaskCheckpointsAreNormalised()
    {
        Assert.Equal("embeddings.LayerNorm.weight", BertWeights.NormalizeKey("bert.embeddings.LayerNorm.gamma"));
        Assert.Equal("encoder.layer.3.output.LayerNorm.bias", BertWeights.NormalizeKey("bert.encoder.layer.3.output.LayerNorm.beta"));
        Assert.Equal("encoder.layer.0.attention.self.query.weight", BertWeights.NormalizeKey("encoder.layer.0.attention.self.query.weight"));
        Assert.Equal("cls.predictions.bias", BertWeights.NormalizeKey("cls.predictions.bias"));
    }

    [Fact]
    public void AFolderWithoutWeightsIsReported()
    {
        var folder = Directory.CreateTempSubdirectory("uptrain-empty-").FullName;
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => BertWeights.Load(folder));
            Assert.Contains(folder, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }
}
