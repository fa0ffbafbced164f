using TorchSharp;
using TorchSharp.Modules;
using Uptrain.Student;
using static TorchSharp.torch;

namespace Uptrain.Tests.Student;

public sealed class ConvolutionNetworkTests
{
    private const int Labels = 3;
    private const int Filters = 5;
    private const int Dimension = 8;

    [Theory]
    [InlineData(7)]
    [InlineData(2)] // shorter than the widest window: padded with zero rows
    public void LogitsAndGradientsAreTorchSharpsConvolutionReluMaxAndLinearLayer(int pieces)
    {
        var network = new ConvolutionNetwork(Labels, Filters, Dimension);
        network.Initialise(new Random(1));
        var random = new Random(2);
        var rows = Math.Max(pieces, ConvolutionNetwork.MaxWidth);
        var input = new float[rows * Dimension];
        for (var i = 0; i < pieces * Dimension; i++)
        {
            input[i] = (random.NextSingle() * 2) - 1;
        }

        float[] upstream = [0.7f, -1.3f, 0.4f];
        var buffers = new ConvolutionBuffers();
        network.Forward(input, pieces, buffers);
        var gradients = new ConvolutionGradients(network);
        network.Backward(input, upstream, buffers, gradients);

        // The same network in TorchSharp: Conv1d weights are [filter, dimension, k], ours [filter, k, dimension].
        var x = tensor(input, [rows, Dimension]).t().unsqueeze(0);
        var weights = ConvolutionNetwork.Widths.Select((k, w) =>
            tensor(network.FilterWeights[w], [Filters, k, Dimension]).permute(0, 2, 1).contiguous().requires_grad_()).ToArray();
        var biases = network.FilterBias.Select(b => tensor(b).requires_grad_()).ToArray();
        var output = tensor(network.OutputWeights, [Labels, network.Features]).requires_grad_();
        var outputBias = tensor(network.OutputBias).requires_grad_();
        var pooled = cat([.. weights.Select((weight, w) => nn.functional.relu(nn.functional.conv1d(x, weight, biases[w])).amax(2))], 1);
        var logits = nn.functional.linear(pooled, output, outputBias);
        (logits * tensor(upstream).unsqueeze(0)).sum().backward();

        AssertClose(logits.squeeze(0).data<float>().ToArray(), buffers.Logits.AsSpan(0, Labels).ToArray(), "logits");
        for (var w = 0; w < weights.Length; w++)
        {
            var expected = weights[w].grad!.permute(0, 2, 1).contiguous().data<float>().ToArray();
            AssertClose(expected, gradients.FilterWeights[w], $"filters of width {ConvolutionNetwork.Widths[w]}");
            AssertClose(biases[w].grad!.data<float>().ToArray(), gradients.FilterBias[w], $"biases of width {ConvolutionNetwork.Widths[w]}");
        }

        AssertClose(output.grad!.data<float>().ToArray(), gradients.OutputWeights, "output weights");
        AssertClose(outputBias.grad!.data<float>().ToArray(), gradients.OutputBias, "output biases");
        Assert.Contains(gradients.FilterWeights.SelectMany(g => g), g => g != 0);
    }

    [Fact]
    public void AdamStepsAsTorchAdamDoes()
    {
        var network = new ConvolutionNetwork(Labels, Filters, Dimension);
        network.Initialise(new Random(3));
        var reference = network.Parameters().Select(p => new Parameter(tensor(p.ToArray()))).ToList();
        using var torchAdam = optim.Adam(reference, 0.01);
        var adam = new ConvolutionAdam(network, 0.01);
        var gradients = new ConvolutionGradients(network);
        var random = new Random(4);
        for (var step = 0; step < 3; step++)
        {
            foreach (var array in gradients.Arrays())
            {
                for (var i = 0; i < array.Length; i++)
                {
                    array[i] = (random.NextSingle() * 2) - 1;
                }
            }

            torchAdam.zero_grad();
            foreach (var (parameter, gradient) in reference.Zip(gradients.Arrays()))
            {
                // A backward pass of (w · g).sum() leaves exactly g in w.grad.
                parameter.mul(tensor(gradient.ToArray())).sum().backward();
            }

            torchAdam.step();
            adam.Step(gradients);
        }

        foreach (var (expected, actual) in reference.Zip(network.Parameters()))
        {
            AssertClose(expected.data<float>().ToArray(), actual, "parameters after three steps");
        }
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var largest = expected.Zip(actual).Max(pair => Math.Abs(pair.First - pair.Second));
        Assert.True(largest < 1e-5, $"{what}: largest difference {largest:E2}");
    }
}
