using TorchSharp;
using Uptrain.Teacher;
using static TorchSharp.torch;

namespace Uptrain.Tests.Teacher;

public sealed class BertClassifierTests
{
    [Fact]
    public void MeanPoolingAveragesOnlyRealTokens()
    {
        // Two rows of three tokens with hidden size 2; the second row has one padded token.
        using var hidden = tensor(new float[] { 1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 1000, 1000 }, [2, 3, 2]);
        using var mask = tensor(new long[] { 1, 1, 1, 1, 1, 0 }, [2, 3]);

        using var mean = BertClassifier.Pool(hidden, mask, PoolingMode.Mean);
        Assert.Equal([3f, 4f, 20f, 30f], mean.data<float>().ToArray());

        using var cls = BertClassifier.Pool(hidden, mask, PoolingMode.Cls);
        Assert.Equal([1f, 2f, 10f, 20f], cls.data<float>().ToArray());
    }

    [Fact]
    public void ClassifierGivesOneLogitPerLabelWithHuggingFaceNames()
    {
        torch.manual_seed(3);
        using var model = new BertClassifier(new BertModel(TinyConfig()), labelCount: 3);
        model.eval();
        using var _ = no_grad();
        using var logits = model.call(
            tensor(new long[] { 2, 10, 11, 3, 2, 12, 3, 0 }, [2, 4]),
            tensor(new long[] { 1, 1, 1, 1, 1, 1, 1, 0 }, [2, 4]),
            zeros(2, 4, dtype: ScalarType.Int64));

        Assert.Equal([2L, 3L], logits.shape);
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("bert.embeddings.word_embeddings.weight", names);
        Assert.Contains("bert.encoder.layer.1.output.LayerNorm.bias", names);
        Assert.Equal(["classifier.weight", "classifier.bias"], names.Where(n => n.StartsWith("classifier.", StringComparison.Ordinal)));
        var head = model.named_parameters().Single(p => p.name == "classifier.weight").parameter;
        Assert.InRange(head.std().item<float>(), 0.01f, 0.03f); // normal(0, 0.02)
    }

    [Fact]
    public void MaskedBinaryCrossEntropyCountsOnlyKnownLabels()
    {
        float[] logits = [2f, -1f, 0.5f, 0f, 3f, -2f];
        float[] targets = [1f, 0f, 1f, 0f, 1f, 0f];
        float[] known = [1f, 0f, 1f, 0f, 1f, 1f];

        // By hand: mean over the four known entries of −log σ(x) for y = 1 and −log(1 − σ(x)) for y = 0.
        static double Bce(double x, double y) => -((y * Math.Log(1 / (1 + Math.Exp(-x)))) + ((1 - y) * Math.Log(1 - (1 / (1 + Math.Exp(-x))))));
        var expected = (Bce(2, 1) + Bce(0.5, 1) + Bce(3, 1) + Bce(-2, 0)) / 4;

        using var x = tensor(logits, [2, 3], requires_grad: true);
        using var loss = TeacherLoss.MaskedBinaryCrossEntropy(x, tensor(targets, [2, 3]), tensor(known, [2, 3]));
        Assert.Equal(expected, loss.item<float>(), 1e-6);

        // An unknown label's target does not matter, and it gets no gradient.
        float[] otherTargets = [1f, 1f, 1f, 1f, 1f, 0f];
        using var same = TeacherLoss.MaskedBinaryCrossEntropy(x, tensor(otherTargets, [2, 3]), tensor(known, [2, 3]));
        Assert.Equal(loss.item<float>(), same.item<float>());
        loss.backward();
        var gradient = x.grad!.data<float>().ToArray();
        Assert.Equal(0f, gradient[1]);
        Assert.Equal(0f, gradient[3]);
        Assert.NotEqual(0f, gradient[5]);

        // Nothing known: zero loss, not NaN.
        using var none = TeacherLoss.MaskedBinaryCrossEntropy(x, tensor(targets, [2, 3]), zeros(2, 3));
        Assert.Equal(0f, none.item<float>());

        // Large logits stay finite.
        using var huge = TeacherLoss.MaskedBinaryCrossEntropy(tensor(new float[] { 200f, -200f }, [1, 2]), tensor(new float[] { 0f, 1f }, [1, 2]), ones(1, 2));
        Assert.Equal(200f, huge.item<float>(), 1e-3);
    }

    [Fact]
    public void CrossEntropyIsTheMeanNegativeLogSoftmaxOfTheTarget()
    {
        using var logits = tensor(new float[] { 1f, 2f, 3f, 0f, 0f, 5f }, [2, 3]);
        using var loss = TeacherLoss.CrossEntropy(logits, tensor(new long[] { 2, 0 }, [2]));
        var first = -Math.Log(Math.Exp(3) / (Math.Exp(1) + Math.Exp(2) + Math.Exp(3)));
        var second = -Math.Log(1 / (2 + Math.Exp(5)));
        Assert.Equal((first + second) / 2, loss.item<float>(), 1e-5);
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
}
