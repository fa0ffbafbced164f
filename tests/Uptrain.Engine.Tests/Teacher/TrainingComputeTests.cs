using TorchSharp;
using Uptrain.Teacher;
using static TorchSharp.torch;

namespace Uptrain.Tests.Teacher;

/// <summary>
/// How the teacher's training steps compute: <see cref="TrainingDropout"/> and <see cref="MixedPrecision"/>. In the
/// training collection, apart from other classes: these tests seed TorchSharp's global generator and change its thread count.
/// </summary>
[Collection(TorchTrainingCollection.Name)]
public sealed class TrainingComputeTests
{
    [Fact]
    public void DropoutZeroesTheGivenShareAndScalesTheRestInTrainingOnly()
    {
        using var dropout = new TrainingDropout(0.1);
        using var input = ones(1000, 1000);
        dropout.train();

        using var output = dropout.call(input);

        var values = output.data<float>().ToArray();
        var dropped = values.Count(v => v == 0f) / (double)values.Length;
        Assert.InRange(dropped, 0.1 - 0.0015, 0.1 + 0.0015); // 5 standard deviations of a million draws
        Assert.All(values.Where(v => v != 0f).Distinct(), v => Assert.Equal(1 / 0.9f, v, 1e-6f));

        dropout.eval();
        Assert.Same(input, dropout.call(input));
    }

    [Fact]
    public void DropoutMasksRepeatForASeedAndStreamAndDifferOtherwise()
    {
        float[] Masks(long seed, long stream, int calls = 2)
        {
            using var dropout = new TrainingDropout(0.5);
            dropout.train();
            dropout.Reseed(seed, stream);
            using var input = ones(100_003);
            return Enumerable.Range(0, calls).SelectMany(_ => dropout.call(input).data<float>().ToArray()).ToArray();
        }

        var first = Masks(7, 0);
        Assert.Equal(first, Masks(7, 0));
        Assert.NotEqual(first, Masks(8, 0));
        Assert.NotEqual(first, Masks(7, 1));

        // Consecutive calls draw different masks; their agreement is that of independent coin flips.
        var half = first.Length / 2;
        var agreement = Enumerable.Range(0, half).Count(i => first[i] == first[half + i]) / (double)half;
        Assert.InRange(agreement, 0.49, 0.51);
    }

    [Fact]
    public void DropoutMasksDoNotDependOnTheNumberOfThreads()
    {
        float[] Mask()
        {
            using var dropout = new TrainingDropout(0.3);
            dropout.train();
            dropout.Reseed(11, 2);
            using var input = ones(300_001);
            return dropout.call(input).data<float>().ToArray();
        }

        var threads = torch.get_num_threads();
        try
        {
            torch.set_num_threads(1);
            var single = Mask();
            torch.set_num_threads(Math.Max(2, Environment.ProcessorCount));
            Assert.Equal(single, Mask());
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    [Fact]
    public void DropoutPassesTheMaskToTheGradient()
    {
        using var dropout = new TrainingDropout(0.25);
        dropout.train();
        using var input = ones(1000).requires_grad_(true);

        var output = dropout.call(input);
        output.sum().backward();

        Assert.Equal(output.data<float>().ToArray(), input.grad!.data<float>().ToArray());
    }

    [LinuxFact]
    public void BFloat16SupportMatchesTheCpuFlagsLinuxReports()
    {
        var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(' ');
        var expected = flags.Contains("avx512f") && (flags.Contains("avx512_bf16") || flags.Contains("amx_bf16"));

        Assert.Equal(expected, MixedPrecision.CpuHasBFloat16);
        Assert.Equal(expected ? ScalarType.BFloat16 : null, MixedPrecision.Resolve(TrainingPrecision.Auto, CPU));
        Assert.Null(MixedPrecision.Resolve(TrainingPrecision.Float32, CPU));
        Assert.Equal(ScalarType.BFloat16, MixedPrecision.Resolve(TrainingPrecision.BFloat16, CPU));
    }

    [Fact]
    public void BFloat16TrainingStepsStayCloseToFloat32AndKeepFloat32Gradients()
    {
        torch.manual_seed(3);
        using var model = new BertClassifier(new BertModel(TinyTask.Config), labelCount: 3);
        using var ids = tensor(new long[] { 2, 10, 11, 12, 3, 2, 13, 14, 3, 0 }, [2, 5]);
        using var mask = tensor(new long[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 }, [2, 5]);
        using var types = zeros(2, 5, dtype: ScalarType.Int64);
        model.train();

        float[] Logits(ScalarType? lower)
        {
            model.ConfigureTraining(lower, seed: 5); // the same dropout masks for both
            model.zero_grad();
            var logits = model.call(ids, mask, types);
            logits.sum().backward();
            return logits.data<float>().ToArray();
        }

        var full = Logits(null);
        var mixed = Logits(ScalarType.BFloat16);

        var largest = full.Zip(mixed).Max(p => Math.Abs(p.First - p.Second));
        Assert.InRange(largest, 1e-6, 0.05); // computed differently (bfloat16 keeps 8 significant bits), but close
        Assert.All(model.parameters().Where(p => p.grad is not null), p => Assert.Equal(ScalarType.Float32, p.grad!.dtype));

        // Eval mode computes float32 whatever the setting.
        model.eval();
        using var _ = no_grad();
        var evalMixed = model.call(ids, mask, types).data<float>().ToArray();
        model.ConfigureTraining(null, seed: 5);
        Assert.Equal(model.call(ids, mask, types).data<float>().ToArray(), evalMixed);
    }

    [Fact]
    public void TrainingModeWithoutDropoutComputesWhatEvalModeDoes()
    {
        // Training mode projects queries, keys and values in one product; without dropout it must give eval mode's logits.
        torch.manual_seed(4);
        var config = TinyTask.Config with { HiddenDropoutProb = 0, AttentionProbsDropoutProb = 0 };
        using var model = new BertClassifier(new BertModel(config), labelCount: 3, dropout: 0);
        using var ids = tensor(new long[] { 2, 10, 11, 12, 3, 2, 13, 14, 3, 0 }, [2, 5]);
        using var mask = tensor(new long[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 }, [2, 5]);
        using var types = zeros(2, 5, dtype: ScalarType.Int64);
        using var _ = no_grad();

        model.eval();
        var expected = model.call(ids, mask, types).data<float>().ToArray();
        model.train();
        model.ConfigureTraining(null, seed: 1);
        var actual = model.call(ids, mask, types).data<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), p => Assert.Equal(p.First, p.Second, 1e-5f));
    }
}
