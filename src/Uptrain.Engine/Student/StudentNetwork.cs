using System.Numerics;

namespace Uptrain.Student;

/// <summary>
/// The student's parameters and their arithmetic: the average of the embedding rows of a text's features, an optional
/// tanh hidden layer, and an output layer of one logit per label. Row indices here are rows of the stored table
/// (<see cref="Embedding"/>), not hash buckets; <see cref="StudentModel"/> maps buckets to rows.
/// </summary>
/// <remarks>
/// Training updates the arrays in place (<see cref="Backward"/>, plain SGD on the rows a text touches). Several threads
/// may do so at once without locks (Hogwild: the rare lost update of a shared row does not hurt convergence); scoring
/// only reads them.
/// </remarks>
internal sealed class StudentNetwork
{
    public StudentNetwork(int labels, int dimension, int hidden, int rows, bool quantized = false)
    {
        Labels = labels;
        Dimension = dimension;
        Hidden = hidden;
        Rows = rows;
        Embedding = quantized ? [] : new float[(long)rows * dimension];
        QuantizedRows = quantized ? new sbyte[(long)rows * dimension] : null;
        RowScales = quantized ? new float[rows] : null;
        HiddenWeights = new float[hidden * dimension];
        HiddenBias = new float[hidden];
        OutputWeights = new float[labels * InputWidth];
        OutputBias = new float[labels];
    }

    public int Labels { get; }

    public int Dimension { get; }

    /// <summary>Width of the hidden layer; 0 for none.</summary>
    public int Hidden { get; }

    /// <summary>The output layer's input width: <see cref="Hidden"/> when there is a hidden layer, else <see cref="Dimension"/>.</summary>
    public int InputWidth => Hidden > 0 ? Hidden : Dimension;

    public int Rows { get; }

    /// <summary>[rows, dimension], row-major; empty when the rows are quantized.</summary>
    public float[] Embedding { get; }

    /// <summary>
    /// The rows as 8-bit integers, [rows, dimension], when quantized (<see cref="Quantize"/>): row r's values are
    /// <see cref="RowScales"/>[r] × the integers. Null otherwise.
    /// </summary>
    public sbyte[]? QuantizedRows { get; }

    /// <summary>Per quantized row, the value of integer step 1; null when not quantized.</summary>
    public float[]? RowScales { get; }

    /// <summary>True when the rows are stored as 8-bit integers (scoring only).</summary>
    public bool IsQuantized => QuantizedRows is not null;

    /// <summary>[hidden, dimension], row-major.</summary>
    public float[] HiddenWeights { get; }

    public float[] HiddenBias { get; }

    /// <summary>[labels, input width], row-major.</summary>
    public float[] OutputWeights { get; }

    public float[] OutputBias { get; }

    /// <summary>
    /// A copy whose rows are 8-bit integers with a scale per row (max |value| / 127, rounded to nearest): a quarter of
    /// the size, for scoring only. The hidden and output layers stay as they are.
    /// </summary>
    public StudentNetwork Quantize()
    {
        var copy = new StudentNetwork(Labels, Dimension, Hidden, Rows, quantized: true);
        Array.Copy(HiddenWeights, copy.HiddenWeights, HiddenWeights.Length);
        Array.Copy(HiddenBias, copy.HiddenBias, HiddenBias.Length);
        Array.Copy(OutputWeights, copy.OutputWeights, OutputWeights.Length);
        Array.Copy(OutputBias, copy.OutputBias, OutputBias.Length);
        for (var r = 0; r < Rows; r++)
        {
            var row = Embedding.AsSpan(r * Dimension, Dimension);
            var max = 0f;
            foreach (var value in row)
            {
                max = Math.Max(max, Math.Abs(value));
            }

            var scale = max > 0 ? max / sbyte.MaxValue : 1f;
            copy.RowScales![r] = scale;
            var target = copy.QuantizedRows.AsSpan(r * Dimension, Dimension);
            for (var i = 0; i < Dimension; i++)
            {
                target[i] = (sbyte)Math.Clamp(MathF.Round(row[i] / scale), -sbyte.MaxValue, sbyte.MaxValue);
            }
        }

        return copy;
    }

    /// <summary>Fills every parameter array from <paramref name="source"/> (same shapes).</summary>
    public void CopyFrom(StudentNetwork source)
    {
        Array.Copy(source.Embedding, Embedding, Embedding.Length);
        Array.Copy(source.HiddenWeights, HiddenWeights, HiddenWeights.Length);
        Array.Copy(source.HiddenBias, HiddenBias, HiddenBias.Length);
        Array.Copy(source.OutputWeights, OutputWeights, OutputWeights.Length);
        Array.Copy(source.OutputBias, OutputBias, OutputBias.Length);
    }

    /// <summary>A copy of every parameter.</summary>
    public StudentNetwork Clone()
    {
        var copy = new StudentNetwork(Labels, Dimension, Hidden, Rows);
        copy.CopyFrom(this);
        return copy;
    }

    /// <summary>The logits of a text whose features are the table rows <paramref name="rows"/> (none: the biases alone).</summary>
    public void Forward(ReadOnlySpan<int> rows, NetworkBuffers buffers)
    {
        var average = buffers.Average.AsSpan(0, Dimension);
        Sum(rows, average);

        if (rows.Length > 0)
        {
            Scale(average, 1f / rows.Length);
        }

        ReadOnlySpan<float> input = average;
        if (Hidden > 0)
        {
            var activation = buffers.Activation.AsSpan(0, Hidden);
            for (var h = 0; h < Hidden; h++)
            {
                var a = HiddenBias[h] + Dot(HiddenWeights.AsSpan(h * Dimension, Dimension), average);
                activation[h] = MathF.Tanh(a);
            }

            input = activation;
        }

        var width = InputWidth;
        for (var l = 0; l < Labels; l++)
        {
            buffers.Logits[l] = OutputBias[l] + Dot(OutputWeights.AsSpan(l * width, width), input);
        }
    }

    /// <summary>
    /// One SGD step at learning rate <paramref name="rate"/> from the loss gradient in <see cref="NetworkBuffers.Gradient"/>
    /// (with respect to the logits), after a <see cref="Forward"/> of the same <paramref name="rows"/> and buffers.
    /// </summary>
    public void Backward(ReadOnlySpan<int> rows, NetworkBuffers buffers, float rate)
    {
        if (IsQuantized)
        {
            throw new InvalidOperationException("A quantized network is for scoring only.");
        }

        var width = InputWidth;
        ReadOnlySpan<float> input = Hidden > 0 ? buffers.Activation.AsSpan(0, Hidden) : buffers.Average.AsSpan(0, Dimension);
        var inputGradient = buffers.InputGradient.AsSpan(0, width);
        inputGradient.Clear();
        for (var l = 0; l < Labels; l++)
        {
            var g = buffers.Gradient[l];
            if (g == 0)
            {
                continue;
            }

            var weights = OutputWeights.AsSpan(l * width, width);
            AddScaled(inputGradient, weights, g);
            AddScaled(weights, input, -rate * g);
            OutputBias[l] -= rate * g;
        }

        var averageGradient = inputGradient;
        if (Hidden > 0)
        {
            averageGradient = buffers.AverageGradient.AsSpan(0, Dimension);
            averageGradient.Clear();
            var average = buffers.Average.AsSpan(0, Dimension);
            for (var h = 0; h < Hidden; h++)
            {
                var act = buffers.Activation[h];
                var g = inputGradient[h] * (1 - (act * act));
                if (g == 0)
                {
                    continue;
                }

                var weights = HiddenWeights.AsSpan(h * Dimension, Dimension);
                AddScaled(averageGradient, weights, g);
                AddScaled(weights, average, -rate * g);
                HiddenBias[h] -= rate * g;
            }
        }

        if (rows.Length == 0)
        {
            return;
        }

        // Every row steps by the gradient of the average itself, not by its 1/n share of it: the change of the average
        // (and of the logits) per step is then the same for a text of 5 features as for one of 500, where the exact
        // gradient would slow learning by 1/n² (character n-grams make n large). A per-row learning rate, measured on
        // generated 10-class data: 500 texts 0.10 → 0.57 accuracy, 10,000 texts 0.64 → 0.95 (5 and 10 epochs).
        var step = -rate;
        foreach (var row in rows)
        {
            AddScaled(Embedding.AsSpan(row * Dimension, Dimension), averageGradient, step);
        }
    }

    /// <summary>
    /// The sum of the embedding rows <paramref name="rows"/> into <paramref name="sum"/>, row by row in order for every
    /// element. Blocks of four vectors are summed in registers over all rows before the next block, so that the loads
    /// of different rows do not wait on each other (scoring is bound by fetching rows from memory).
    /// </summary>
    private void Sum(ReadOnlySpan<int> rows, Span<float> sum)
    {
        if (QuantizedRows is not null)
        {
            SumQuantized(rows, sum);
            return;
        }

        var width = Vector<float>.Count;
        var start = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; start + (4 * width) <= Dimension; start += 4 * width)
            {
                Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
                foreach (var row in rows)
                {
                    var values = Embedding.AsSpan((row * Dimension) + start, 4 * width);
                    a0 += new Vector<float>(values);
                    a1 += new Vector<float>(values[width..]);
                    a2 += new Vector<float>(values[(2 * width)..]);
                    a3 += new Vector<float>(values[(3 * width)..]);
                }

                a0.CopyTo(sum[start..]);
                a1.CopyTo(sum[(start + width)..]);
                a2.CopyTo(sum[(start + (2 * width))..]);
                a3.CopyTo(sum[(start + (3 * width))..]);
            }
        }

        var rest = sum[start..];
        rest.Clear();
        foreach (var row in rows)
        {
            AddScaled(rest, Embedding.AsSpan((row * Dimension) + start, Dimension - start), 1f);
        }
    }

    /// <summary>
    /// As <see cref="Sum"/> for 8-bit rows: each row's integers widened to floats, scaled and added, a block of one
    /// byte vector (four float vectors) at a time in registers over all rows.
    /// </summary>
    private void SumQuantized(ReadOnlySpan<int> rows, Span<float> sum)
    {
        var quantized = QuantizedRows!;
        var scales = RowScales!;
        var bytes = Vector<sbyte>.Count;
        var floats = Vector<float>.Count;
        var start = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; start + bytes <= Dimension; start += bytes)
            {
                Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
                foreach (var row in rows)
                {
                    var factor = new Vector<float>(scales[row]);
                    Vector.Widen(new Vector<sbyte>(quantized.AsSpan((row * Dimension) + start, bytes)), out var low, out var high);
                    Vector.Widen(low, out var w0, out var w1);
                    Vector.Widen(high, out var w2, out var w3);
                    a0 += Vector.ConvertToSingle(w0) * factor;
                    a1 += Vector.ConvertToSingle(w1) * factor;
                    a2 += Vector.ConvertToSingle(w2) * factor;
                    a3 += Vector.ConvertToSingle(w3) * factor;
                }

                a0.CopyTo(sum[start..]);
                a1.CopyTo(sum[(start + floats)..]);
                a2.CopyTo(sum[(start + (2 * floats))..]);
                a3.CopyTo(sum[(start + (3 * floats))..]);
            }
        }

        sum[start..].Clear();
        foreach (var row in rows)
        {
            var values = quantized.AsSpan((row * Dimension) + start, Dimension - start);
            var scale = scales[row];
            for (var i = 0; i < values.Length; i++)
            {
                sum[start + i] += values[i] * scale;
            }
        }
    }

    /// <summary><paramref name="target"/> += <paramref name="scale"/> × <paramref name="source"/>.</summary>
    internal static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float scale)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var factor = new Vector<float>(scale);
            for (; i <= target.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var sum = new Vector<float>(target[i..]) + (factor * new Vector<float>(source[i..]));
                sum.CopyTo(target[i..]);
            }
        }

        for (; i < target.Length; i++)
        {
            target[i] += scale * source[i];
        }
    }

    private static void Scale(Span<float> target, float scale)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] *= scale;
        }
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var i = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<float>.Zero;
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                acc += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
            }

            sum = Vector.Sum(acc);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}

/// <summary>Per-thread work space of the network's forward and backward passes, sized for the largest network seen.</summary>
internal sealed class NetworkBuffers
{
    public float[] Average { get; private set; } = [];

    public float[] Activation { get; private set; } = [];

    public float[] Logits { get; private set; } = [];

    public float[] Gradient { get; private set; } = [];

    public float[] InputGradient { get; private set; } = [];

    public float[] AverageGradient { get; private set; } = [];

    /// <summary>Grows the buffers to fit <paramref name="network"/>; returns this.</summary>
    public NetworkBuffers Fit(StudentNetwork network)
    {
        if (Average.Length < network.Dimension || Activation.Length < network.Hidden || Logits.Length < network.Labels)
        {
            var dimension = Math.Max(Average.Length, network.Dimension);
            var hidden = Math.Max(Activation.Length, network.Hidden);
            var labels = Math.Max(Logits.Length, network.Labels);
            Average = new float[dimension];
            AverageGradient = new float[dimension];
            Activation = new float[hidden];
            Logits = new float[labels];
            Gradient = new float[labels];
            InputGradient = new float[Math.Max(dimension, hidden)];
        }

        return this;
    }
}
