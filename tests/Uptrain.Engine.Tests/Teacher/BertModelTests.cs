using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Uptrain.Teacher;
using Uptrain.Text;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Uptrain.Tests.Teacher;

public sealed class BertModelTests(ITestOutputHelper output)
{
    // Sentences of different lengths, so that the batch is padded; accents and punctuation included.
    private static readonly string[] Sentences =
    [
        "Hello world",
        "The quick brown fox jumps over the lazy dog.",
        "Uptrain fine-tunes a small transformer on a few hundred labelled texts, lets it label a large pool, and sends only the uncertain ones to a person.",
        "Café naïve résumé!",
        "a",
    ];

    [Fact]
    public void MiniLmMatchesTheOriginalOnnxModel()
    {
        var tokenizer = WordPieceTokenizer.FromFolder(BundledModel.Folder);
        var batch = tokenizer.EncodeBatch(Sentences);
        Assert.True(batch.Lengths.Distinct().Count() == Sentences.Length, "the sentences should have different lengths");

        var expected = RunOnnx(batch); // [B, T, 384]

        using var model = BertModel.FromPretrained(BundledModel.Folder);
        model.eval();
        float[] actual;
        using (no_grad())
        using (var ids = tensor(batch.InputIds, batch.Shape))
        using (var mask = tensor(batch.AttentionMask, batch.Shape))
        using (var types = tensor(batch.TokenTypeIds, batch.Shape))
        using (var hidden = model.call(ids, mask, types))
        {
            Assert.Equal([batch.BatchSize, batch.SequenceLength, 384L], hidden.shape);
            actual = hidden.data<float>().ToArray();
        }

        // Only real tokens count: padded positions are never read by pooling.
        var worst = 0.0;
        for (var row = 0; row < batch.BatchSize; row++)
        {
            for (var position = 0; position < batch.Lengths[row]; position++)
            {
                var offset = ((row * batch.SequenceLength) + position) * 384;
                for (var h = 0; h < 384; h++)
                {
                    worst = Math.Max(worst, Math.Abs(expected[offset + h] - actual[offset + h]));
                }
            }
        }

        output.WriteLine($"largest difference from ONNX Runtime over {batch.Lengths.Sum()} real positions: {worst:E2}");
        Assert.True(worst < 1e-4, $"largest difference from ONNX Runtime: {worst:E2}");
    }

    [Fact]
    public void PaddingDoesNotChangeRealPositions()
    {
        torch.manual_seed(7);
        using var model = new BertModel(TinyConfig());
        model.eval();
        using var _ = no_grad();

        // The same 4 tokens alone, and padded to 7 in a batch with a longer row.
        using var alone = model.call(tensor(new long[] { 2, 10, 11, 3 }, [1, 4]), ones(1, 4, dtype: ScalarType.Int64), zeros(1, 4, dtype: ScalarType.Int64));
        using var ids = tensor(new long[] { 2, 10, 11, 3, 0, 0, 0, 2, 12, 13, 14, 15, 16, 3 }, [2, 7]);
        using var mask = tensor(new long[] { 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1 }, [2, 7]);
        using var padded = model.call(ids, mask, zeros(2, 7, dtype: ScalarType.Int64));

        var difference = (padded[0, ..4] - alone[0]).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"padding changed real positions by {difference:E2}");
    }

    [Fact]
    public void SmallRandomBertTrains()
    {
        torch.manual_seed(1);
        using var model = new BertModel(TinyConfig());
        model.train();
        model.FreezeWordEmbeddings();
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = optim.AdamW(parameters, lr: 1e-3, beta1: 0.9, beta2: 0.999, weight_decay: 0.01);
        using var ids = randint(4, 100, [3, 9], dtype: ScalarType.Int64);
        using var mask = tensor(new long[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0 }, [3, 9]);
        using var types = zeros(3, 9, dtype: ScalarType.Int64);

        var losses = new List<float>();
        for (var step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var hidden = model.call(ids, mask, types); // [3, 9, 64]
            Assert.Equal([3L, 9L, 64L], hidden.shape);
            var loss = hidden[.., 0].pow(2).mean(); // pull the [CLS] states towards zero
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        Assert.All(losses, l => Assert.True(float.IsFinite(l)));
        Assert.True(losses[^1] < losses[0], $"loss did not fall: {string.Join(", ", losses)}");
        var names = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Null(names["embeddings.word_embeddings.weight"].grad);
        Assert.NotNull(names["encoder.layer.1.output.dense.weight"].grad);
        Assert.Equal(3 + 2 + (2 * 16), names.Count); // three embedding tables, a LayerNorm, 16 per layer
    }

    [Fact]
    public void ParameterNamesAreTheHuggingFaceKeys()
    {
        using var model = new BertModel(TinyConfig());
        var names = model.named_parameters().Select(p => p.name).ToHashSet();

        Assert.Contains("embeddings.word_embeddings.weight", names);
        Assert.Contains("embeddings.LayerNorm.bias", names);
        Assert.Contains("encoder.layer.0.attention.self.query.weight", names);
        Assert.Contains("encoder.layer.1.attention.output.LayerNorm.weight", names);
        Assert.Contains("encoder.layer.1.intermediate.dense.bias", names);
        Assert.Contains("encoder.layer.1.output.dense.weight", names);
    }

    [Fact]
    public void LoadingReportsUnusedAndRejectsWrongShapes()
    {
        var config = TinyConfig();
        using var source = new BertModel(config);
        var tensors = source.named_parameters().ToDictionary(
            p => p.name,
            p => new WeightTensor(p.parameter.shape, p.parameter.data<float>().ToArray()));
        tensors["pooler.dense.bias"] = new WeightTensor([64], new float[64]);

        using var target = new BertModel(config);
        var report = target.LoadWeights(new BertWeights(tensors));
        Assert.Equal(["pooler.dense.bias"], report.Unused);
        Assert.Equal(tensors.Count - 1, report.Loaded.Count);
        var name = "encoder.layer.0.attention.self.key.weight";
        Assert.Equal(tensors[name].Data, target.named_parameters().Single(p => p.name == name).parameter.data<float>().ToArray());

        tensors[name] = new WeightTensor([32, 128], new float[64 * 64]);
        Assert.Throws<InvalidDataException>(() => target.LoadWeights(new BertWeights(tensors)));
        tensors.Remove(name);
        Assert.Throws<InvalidDataException>(() => target.LoadWeights(new BertWeights(tensors)));
    }

    private static BertConfig TinyConfig() => new()
    {
        VocabSize = 100,
        HiddenSize = 64,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        IntermediateSize = 128,
        MaxPositionEmbeddings = 32,
    };

    private static float[] RunOnnx(TokenBatch batch)
    {
        using var session = new InferenceSession(BundledModel.OnnxPath);
        using var ids = OrtValue.CreateTensorValueFromMemory(batch.InputIds, batch.Shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(batch.AttentionMask, batch.Shape);
        using var types = OrtValue.CreateTensorValueFromMemory(batch.TokenTypeIds, batch.Shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(
            runOptions,
            new[] { "input_ids", "attention_mask", "token_type_ids" },
            new[] { ids, mask, types },
            new[] { "last_hidden_state" });
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
