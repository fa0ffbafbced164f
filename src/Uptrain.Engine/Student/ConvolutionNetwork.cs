using System.Numerics.Tensors;

namespace Uptrain.Student;

/// <summary>
/// The word-order half of a student (issue 18; measured in bench/results/2026-12-06-student-cnn.md, not yet a student
/// kind): narrow convolutions of widths 2, 3 and 4 over a text's static token vectors, ReLU, the maximum over the text,
/// and one linear layer of a logit per label (after Kim 2014). Plain C#: a window of k pieces is k contiguous rows of the
/// input, so each filter at each position is one dot product. The token vectors themselves are not trained.
/// </summary>
/// <remarks>
/// Parameter layout: per width k, the filters [filter, k, dimension] and their biases; then the output layer [label,
/// features] and its biases, where features = 3 × filters in the order (width, filter). A text shorter than the widest
/// window is padded with zero rows, so every width has at least one window. Training: <see cref="Backward"/> adds a
/// text's gradients into a <see cref="ConvolutionGradients"/> (a filter is reached only through its maximising window),
/// and <see cref="ConvolutionAdam"/> steps.
/// </remarks>
internal sealed class ConvolutionNetwork
{
    /// <summary>The window widths, in the order of the features.</summary>
    public static readonly int[] Widths = [2, 3, 4];

    /// <summary>The widest window: a shorter text is padded with zero rows to this many.</summary>
    public const int MaxWidth = 4;

    public ConvolutionNetwork(int labels, int filters, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(labels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(filters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Labels = labels;
        Filters = filters;
        Dimension = dimension;
        FilterWeights = [.. Widths.Select(k => new float[filters * k * dimension])];
        FilterBias = [.. Widths.Select(_ => new float[filters])];
        OutputWeights = new float[labels * Features];
        OutputBias = new float[labels];
    }

    public int Labels { get; }

    public int Filters { get; }

    public int Dimension { get; }

    /// <summary>The pooled features: one per filter of each width.</summary>
    public int Features => Widths.Length * Filters;

    /// <summary>Per width, [filter, k, dimension] row-major.</summary>
    public float[][] FilterWeights { get; }

    /// <summary>Per width, one bias per filter.</summary>
    public float[][] FilterBias { get; }

    /// <summary>[label, features] row-major.</summary>
    public float[] OutputWeights { get; }

    public float[] OutputBias { get; }

    /// <summary>Every parameter array, in the order the gradients and the optimiser keep them.</summary>
    public IEnumerable<float[]> Parameters() => FilterWeights.Concat(FilterBias).Append(OutputWeights).Append(OutputBias);

    /// <summary>
    /// Weights uniform in ±1/√fan-in (PyTorch's default for convolutions and linear layers), biases too, from
    /// <paramref name="random"/>.
    /// </summary>
    public void Initialise(Random random)
    {
        for (var w = 0; w < Widths.Length; w++)
        {
            Uniform(FilterWeights[w], random, 1 / MathF.Sqrt(Widths[w] * Dimension));
            Uniform(FilterBias[w], random, 1 / MathF.Sqrt(Widths[w] * Dimension));
        }

        Uniform(OutputWeights, random, 1 / MathF.Sqrt(Features));
        Uniform(OutputBias, random, 1 / MathF.Sqrt(Features));
    }

    /// <summary>
    /// The logits of a text whose <paramref name="pieces"/> rows are <paramref name="input"/> ([rows, dimension], padded
    /// with zero rows to at least <see cref="MaxWidth"/>), into <see cref="ConvolutionBuffers.Logits"/>; the pooled features
    /// and each filter's maximising window are kept in <paramref name="buffers"/> for <see cref="Backward"/>.
    /// </summary>
    public void Forward(ReadOnlySpan<float> input, int pieces, ConvolutionBuffers buffers)
    {
        var rows = Math.Max(pieces, MaxWidth);
        if (input.Length < rows * Dimension)
        {
            throw new ArgumentException("The input holds fewer rows than the text needs.", nameof(input));
        }

        buffers.Fit(this);
        for (var w = 0; w < Widths.Length; w++)
        {
            var k = Widths[w];
            var span = k * Dimension;
            var weights = FilterWeights[w];
            for (var f = 0; f < Filters; f++)
            {
                var filter = weights.AsSpan(f * span, span);
                var best = float.NegativeInfinity;
                var at = 0;
                for (var p = 0; p + k <= rows; p++)
                {
                    var value = TensorPrimitives.Dot(filter, input.Slice(p * Dimension, span));
                    if (value > best)
                    {
                        best = value;
                        at = p;
                    }
                }

                var feature = (w * Filters) + f;
                var pre = best + FilterBias[w][f];
                buffers.Pooled[feature] = pre > 0 ? pre : 0;
                buffers.Window[feature] = at;
            }
        }

        var pooled = buffers.Pooled.AsSpan(0, Features);
        for (var l = 0; l < Labels; l++)
        {
            buffers.Logits[l] = OutputBias[l] + TensorPrimitives.Dot(OutputWeights.AsSpan(l * Features, Features), pooled);
        }
    }

    /// <summary>
    /// Adds to <paramref name="gradients"/> the gradient of a loss whose gradient with respect to the logits of the last
    /// <see cref="Forward"/> (same <paramref name="input"/> and <paramref name="buffers"/>) is <paramref name="logitGradient"/>.
    /// </summary>
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> logitGradient, ConvolutionBuffers buffers, ConvolutionGradients gradients)
    {
        var pooled = buffers.Pooled.AsSpan(0, Features);
        var pooledGradient = buffers.PooledGradient.AsSpan(0, Features);
        pooledGradient.Clear();
        for (var l = 0; l < Labels; l++)
        {
            var g = logitGradient[l];
            if (g == 0)
            {
                continue;
            }

            gradients.OutputBias[l] += g;
            TensorPrimitives.MultiplyAdd(pooled, g, gradients.OutputWeights.AsSpan(l * Features, Features), gradients.OutputWeights.AsSpan(l * Features, Features));
            TensorPrimitives.MultiplyAdd(OutputWeights.AsSpan(l * Features, Features), g, pooledGradient, pooledGradient);
        }

        for (var w = 0; w < Widths.Length; w++)
        {
            var span = Widths[w] * Dimension;
            for (var f = 0; f < Filters; f++)
            {
                var feature = (w * Filters) + f;
                var g = pooledGradient[feature];
                if (pooled[feature] <= 0 || g == 0)
                {
                    // ReLU passes nothing back below 0.
                    continue;
                }

                gradients.FilterBias[w][f] += g;
                var target = gradients.FilterWeights[w].AsSpan(f * span, span);
                TensorPrimitives.MultiplyAdd(input.Slice(buffers.Window[feature] * Dimension, span), g, target, target);
            }
        }
    }

    private static void Uniform(float[] values, Random random, float bound)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = ((2 * random.NextSingle()) - 1) * bound;
        }
    }
}

/// <summary>Per-thread work space of <see cref="ConvolutionNetwork"/>.</summary>
internal sealed class ConvolutionBuffers
{
    public float[] Pooled { get; private set; } = [];

    public float[] PooledGradient { get; private set; } = [];

    /// <summary>Per feature, the position of its filter's maximising window.</summary>
    public int[] Window { get; private set; } = [];

    public float[] Logits { get; private set; } = [];

    /// <summary>Grows the buffers to fit <paramref name="network"/>.</summary>
    public void Fit(ConvolutionNetwork network)
    {
        if (Pooled.Length < network.Features || Logits.Length < network.Labels)
        {
            Pooled = new float[network.Features];
            PooledGradient = new float[network.Features];
            Window = new int[network.Features];
            Logits = new float[network.Labels];
        }
    }
}

/// <summary>Gradients of every parameter of a <see cref="ConvolutionNetwork"/>, in its shapes, summed over texts.</summary>
internal sealed class ConvolutionGradients
{
    public ConvolutionGradients(ConvolutionNetwork network)
    {
        FilterWeights = [.. network.FilterWeights.Select(w => new float[w.Length])];
        FilterBias = [.. network.FilterBias.Select(b => new float[b.Length])];
        OutputWeights = new float[network.OutputWeights.Length];
        OutputBias = new float[network.OutputBias.Length];
    }

    public float[][] FilterWeights { get; }

    public float[][] FilterBias { get; }

    public float[] OutputWeights { get; }

    public float[] OutputBias { get; }

    /// <summary>Every array, in the order of <see cref="ConvolutionNetwork.Parameters"/>.</summary>
    public IEnumerable<float[]> Arrays() => FilterWeights.Concat(FilterBias).Append(OutputWeights).Append(OutputBias);

    public void Clear()
    {
        foreach (var array in Arrays())
        {
            Array.Clear(array);
        }
    }
}

/// <summary>
/// Adam (Kingma and Ba 2015) over a <see cref="ConvolutionNetwork"/>'s parameters: the step of PyTorch's
/// <c>torch.optim.Adam</c> without weight decay, bias-corrected moments kept per parameter.
/// </summary>
internal sealed class ConvolutionAdam(ConvolutionNetwork network, double rate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
{
    private readonly float[][] _parameters = [.. network.Parameters()];
    private readonly float[][] _first = [.. network.Parameters().Select(p => new float[p.Length])];
    private readonly float[][] _second = [.. network.Parameters().Select(p => new float[p.Length])];
    private int _steps;

    /// <summary>One step against <paramref name="gradients"/> (already averaged over the batch).</summary>
    public void Step(ConvolutionGradients gradients)
    {
        _steps++;
        var correction1 = 1 - Math.Pow(beta1, _steps);
        var correction2 = 1 - Math.Pow(beta2, _steps);
        var stepSize = (float)(rate / correction1);
        var b1 = (float)beta1;
        var b2 = (float)beta2;
        var i = 0;
        foreach (var gradient in gradients.Arrays())
        {
            var parameter = _parameters[i];
            var first = _first[i];
            var second = _second[i];
            for (var j = 0; j < parameter.Length; j++)
            {
                var g = gradient[j];
                first[j] = (b1 * first[j]) + ((1 - b1) * g);
                second[j] = (b2 * second[j]) + ((1 - b2) * g * g);
                var denominator = (float)(Math.Sqrt(second[j] / correction2) + epsilon);
                parameter[j] -= stepSize * first[j] / denominator;
            }

            i++;
        }
    }
}
