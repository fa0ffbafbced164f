using TorchSharp;
using TorchSharp.Modules;
using Uptrain.Teacher;
using static TorchSharp.torch;

namespace Uptrain.Tests.Teacher;

public sealed class FusedAdamWTests
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    [Theory]
    [InlineData(1.0)] // gradients of norm ~30 are clipped
    [InlineData(0.0)] // not clipped
    [InlineData(1e6)] // a bound far above the norm leaves them alone
    public void StepsAsTorchAdamWAfterClippingDoesWithTwoGroups(double maxNorm)
    {
        // Two copies of the same parameters: one trained by TorchSharp's AdamW after clip_grad_norm_, one by FusedAdamW.
        // Sizes cover a chunk boundary (70,000 > 65,536) and a tail shorter than a vector.
        long[][] shapes = [[70_000], [37, 3], [5]];
        var reference = Parameters(shapes, seed: 1);
        var fused = Parameters(shapes, seed: 1);
        double[] rates = [3e-3, 1e-2];
        double[] decays = [0.01, 0.0];
        var torchGroups = new[]
        {
            new AdamW.ParamGroup(reference.Take(2), rates[0], Beta1, Beta2, Epsilon, decays[0]),
            new AdamW.ParamGroup(reference.Skip(2), rates[1], Beta1, Beta2, Epsilon, decays[1]),
        };
        using var torchOptimizer = torch.optim.AdamW(torchGroups, rates[0], Beta1, Beta2, Epsilon, decays[0]);
        using var optimizer = new FusedAdamW(
            [new FusedParameterGroup(fused.Take(2).ToList(), decays[0]), new FusedParameterGroup(fused.Skip(2).ToList(), decays[1])],
            Beta1,
            Beta2,
            Epsilon,
            threads: 2);

        for (var step = 0; step < 4; step++)
        {
            var random = new Random(100 + step);
            var gradients = shapes.Select(s => tensor(Normal(random, s.Aggregate(1L, (a, b) => a * b)), s).mul(0.2)).ToList();
            torchOptimizer.zero_grad();
            SetGradients(reference, gradients);
            if (maxNorm > 0)
            {
                nn.utils.clip_grad_norm_(reference, maxNorm);
            }

            torchOptimizer.step();
            SetGradients(fused, gradients);
            optimizer.Step(rates, maxNorm);

            for (var p = 0; p < shapes.Length; p++)
            {
                var expected = reference[p].data<float>().ToArray();
                var actual = fused[p].data<float>().ToArray();
                var largest = expected.Zip(actual).Max(pair => Math.Abs(pair.First - pair.Second));
                Assert.True(largest < 2e-6, $"step {step + 1}, parameter {p}: largest difference {largest:E2}");
                Assert.All(fused[p].grad!.data<float>().ToArray(), g => Assert.Equal(0f, g));
            }
        }

        // The weights moved: a step that changed nothing would also "agree".
        var start = Parameters(shapes, seed: 1);
        Assert.True(fused[0].sub(start[0]).abs().max().item<float>() > 1e-3);
    }

    [Fact]
    public void LeavesParametersWithoutGradientsAlone()
    {
        var parameters = Parameters([[10], [4]], seed: 2);
        var before = parameters[1].data<float>().ToArray();
        using var optimizer = new FusedAdamW([new FusedParameterGroup(parameters, 0.01)], Beta1, Beta2, Epsilon, threads: 1);
        SetGradients(parameters.Take(1).ToList(), [ones(10)]);

        optimizer.Step([1e-2], maxNorm: 1.0);

        Assert.Equal(before, parameters[1].data<float>().ToArray());
        Assert.NotEqual(Parameters([[10]], seed: 2)[0].data<float>().ToArray(), parameters[0].data<float>().ToArray());
    }

    [Fact]
    public void RefusesParametersItCannotUpdateInPlace()
    {
        var doubles = new Parameter(zeros(4, dtype: ScalarType.Float64));
        Assert.Throws<ArgumentException>(() => new FusedAdamW([new FusedParameterGroup([doubles], 0)], Beta1, Beta2, Epsilon, threads: 1));
    }

    /// <summary>
    /// Parameters of the given shapes with normal values from <see cref="Random"/> (not TorchSharp's global generator, which
    /// test classes running in parallel also draw from): the same seed gives the same values in every call.
    /// </summary>
    private static List<Parameter> Parameters(long[][] shapes, int seed)
    {
        var random = new Random(seed);
        return shapes.Select(s => new Parameter(tensor(Normal(random, s.Aggregate(1L, (a, b) => a * b)), s))).ToList();
    }

    private static float[] Normal(Random random, long count) =>
        Enumerable.Range(0, (int)count).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();

    private static void SetGradients(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> gradients)
    {
        for (var p = 0; p < parameters.Count; p++)
        {
            // A backward pass of (w · g).sum() leaves exactly g in w.grad.
            parameters[p].grad?.zero_();
            parameters[p].mul(gradients[p]).sum().backward();
        }
    }
}
