using System.Numerics;

namespace Uptrain.Student;

/// <summary>
/// The student's parameters and their arithmetic: the average of the embedding rows of a text's features, beside it the
/// static feature of the text's word pieces when the student has <see cref="StaticVectors"/> (never trained), an
/// optional tanh hidden layer, and an output layer of one logit per label. Row indices here are rows of the stored table
/// (<see cref="Embedding"/>), not hash buckets; <see cref="StudentModel"/> maps buckets to rows.
/// </summary>
/// <remarks>
/// Training updates the arrays in place (<see cref="Backward"/>, plain SGD on the rows a text touches). Several threads
/// may do so at once without locks (Hogwild: the rare lost update of a shared row does not hurt convergence); scoring
/// only reads them.
/// </remarks>
internal sealed class StudentNetwork
{
    /// <summary>
    /// The most features of a text whose rows each step by the whole gradient (<see cref="Backward"/>); a longer text's
    /// rows step by this share of it. About a page: the bench corpora (1,000 characters a text, under 3,000 features)
    /// never reach it.
    /// </summary>
    public const int FullStepFeatures = 4096;

    /// <summary>A network with dense rows of zeros and zero layers, to be initialised or read.</summary>
    public StudentNetwork(int labels, int dimension, int hidden, int rows, StaticVectors? statics = null)
        : this(labels, hidden, new DenseRows(rows, dimension), statics)
    {
    }

    /// <summary>A network on <paramref name="embedding"/> (and <paramref name="statics"/>), its layers zero.</summary>
    public StudentNetwork(int labels, int hidden, EmbeddingRows embedding, StaticVectors? statics = null)
    {
        Labels = labels;
        Dimension = embedding.Dimension;
        Hidden = hidden;
        Rows = embedding.Rows;
        Embedding = embedding;
        Static = statics;
        HiddenWeights = new float[hidden * InputDimension];
        HiddenBias = new float[hidden];
        OutputWeights = new float[labels * InputWidth];
        OutputBias = new float[labels];
    }

    public int Labels { get; }

    public int Dimension { get; }

    /// <summary>Width of the hidden layer; 0 for none.</summary>
    public int Hidden { get; }

    /// <summary>The static token vectors (frozen); null for an n-gram student.</summary>
    public StaticVectors? Static { get; }

    /// <summary>Width of the static feature: 0 without <see cref="Static"/>.</summary>
    public int StaticDimension => Static?.Dimension ?? 0;

    /// <summary>Width of a text's features: the n-gram average, then the static feature.</summary>
    public int InputDimension => Dimension + StaticDimension;

    /// <summary>The output layer's input width: <see cref="Hidden"/> when there is a hidden layer, else <see cref="InputDimension"/>.</summary>
    public int InputWidth => Hidden > 0 ? Hidden : InputDimension;

    public int Rows { get; }

    /// <summary>The embedding table: dense floats (training, and students stored so), or 8-bit rows (scoring only).</summary>
    public EmbeddingRows Embedding { get; }

    /// <summary>The dense rows that training updates.</summary>
    /// <exception cref="InvalidOperationException">The rows are 8-bit (a network for scoring only).</exception>
    public DenseRows Dense => Embedding as DenseRows ?? throw new InvalidOperationException("A quantized network is for scoring only.");

    /// <summary>True when the rows are stored as 8-bit integers (scoring only).</summary>
    public bool IsQuantized => Embedding is QuantizedRows;

    /// <summary>[hidden, input dimension], row-major.</summary>
    public float[] HiddenWeights { get; }

    public float[] HiddenBias { get; }

    /// <summary>[labels, input width], row-major.</summary>
    public float[] OutputWeights { get; }

    public float[] OutputBias { get; }

    /// <summary>
    /// A copy whose rows are 8-bit integers with a scale per row (<see cref="DenseRows.Quantize"/>): a quarter of the
    /// size, for scoring only. The hidden and output layers stay as they are.
    /// </summary>
    public StudentNetwork Quantize()
    {
        var copy = new StudentNetwork(Labels, Hidden, Dense.Quantize(), Static);
        CopyLayers(this, copy);
        return copy;
    }

    /// <summary>
    /// Without a hidden layer the network is linear up to the softmax or sigmoid, so the output layer can be multiplied
    /// into the rows: a copy whose n-gram rows (when there are fewer labels than <see cref="Dimension"/>) and static rows
    /// (fewer labels than <see cref="StaticDimension"/>) hold their contribution to each label's logit, one number per
    /// label, with an identity in the output layer for the folded part. Its logits are this network's (up to rounding), its
    /// rows a fraction of the size and its scoring a fraction of the work. This network itself when nothing folds.
    /// </summary>
    public StudentNetwork Fold()
    {
        var foldRows = Hidden == 0 && Labels < Dimension;
        var foldStatic = Hidden == 0 && Static is not null && Labels < StaticDimension;
        if (!foldRows && !foldStatic)
        {
            return this;
        }

        var width = InputDimension;
        var rows = Dense;
        var folded = rows;
        if (foldRows)
        {
            folded = new DenseRows(Rows, Labels);
            for (var r = 0; r < Rows; r++)
            {
                var row = rows.Row(r);
                var target = folded.Row(r);
                for (var l = 0; l < Labels; l++)
                {
                    target[l] = Dot(OutputWeights.AsSpan(l * width, Dimension), row);
                }
            }
        }

        var statics = foldStatic ? Static!.Fold(OutputWeights, width, Dimension, Labels) : Static;
        var copy = new StudentNetwork(Labels, 0, folded, statics);
        var copyWidth = copy.InputDimension;
        for (var l = 0; l < Labels; l++)
        {
            var output = copy.OutputWeights.AsSpan(l * copyWidth, copyWidth);
            var ngramWidth = foldRows ? Labels : Dimension;
            if (foldRows)
            {
                output[l] = 1;
            }
            else
            {
                OutputWeights.AsSpan(l * width, Dimension).CopyTo(output);
            }

            if (foldStatic)
            {
                output[ngramWidth + l] = 1;
            }
            else if (Static is not null)
            {
                OutputWeights.AsSpan((l * width) + Dimension, StaticDimension).CopyTo(output[ngramWidth..]);
            }
        }

        Array.Copy(OutputBias, copy.OutputBias, Labels);
        return copy;
    }

    /// <summary>Fills every parameter array from <paramref name="source"/> (same shapes, dense rows).</summary>
    public void CopyFrom(StudentNetwork source)
    {
        Array.Copy(source.Dense.Values, Dense.Values, Dense.Values.Length);
        CopyLayers(source, this);
    }

    /// <summary>A copy of every parameter.</summary>
    public StudentNetwork Clone()
    {
        var copy = new StudentNetwork(Labels, Dimension, Hidden, Rows, Static);
        copy.CopyFrom(this);
        return copy;
    }

    /// <summary>
    /// The logits of a text whose features are the table rows <paramref name="rows"/> and, with <see cref="Static"/>, the
    /// word pieces <paramref name="pieces"/> (none: the biases alone).
    /// </summary>
    public void Forward(ReadOnlySpan<int> rows, ReadOnlySpan<int> pieces, NetworkBuffers buffers)
    {
        var features = buffers.Average.AsSpan(0, InputDimension);
        var average = features[..Dimension];
        Embedding.Sum(rows, average);

        if (rows.Length > 0)
        {
            Scale(average, 1f / rows.Length);
        }

        Static?.Feature(pieces, features[Dimension..]);
        ReadOnlySpan<float> input = features;
        var width = InputDimension;
        if (Hidden > 0)
        {
            var activation = buffers.Activation.AsSpan(0, Hidden);
            for (var h = 0; h < Hidden; h++)
            {
                var a = HiddenBias[h] + Dot(HiddenWeights.AsSpan(h * width, width), features);
                activation[h] = MathF.Tanh(a);
            }

            input = activation;
        }

        width = InputWidth;
        for (var l = 0; l < Labels; l++)
        {
            buffers.Logits[l] = OutputBias[l] + Dot(OutputWeights.AsSpan(l * width, width), input);
        }
    }

    /// <summary>
    /// One SGD step at learning rate <paramref name="rate"/>, with weight decay <paramref name="l2"/> on what it updates, from the loss gradient in <see cref="NetworkBuffers.Gradient"/>
    /// (with respect to the logits), after a <see cref="Forward"/> of the same <paramref name="rows"/> and buffers.
    /// </summary>
    public void Backward(ReadOnlySpan<int> rows, NetworkBuffers buffers, float rate, float l2 = 0)
    {
        var keep = 1 - (rate * l2);
        var embedding = Dense;
        var width = InputWidth;
        ReadOnlySpan<float> input = Hidden > 0 ? buffers.Activation.AsSpan(0, Hidden) : buffers.Average.AsSpan(0, InputDimension);
        var inputGradient = buffers.InputGradient.AsSpan(0, width);
        inputGradient.Clear();
        for (var l = 0; l < Labels; l++)
        {
            var g = buffers.Gradient[l];
            if (g == 0)
            {
                continue;
            }

            StepUnit(OutputWeights.AsSpan(l * width, width), ref OutputBias[l], input, inputGradient, g, rate, keep);
        }

        var averageGradient = inputGradient;
        if (Hidden > 0)
        {
            var features = InputDimension;
            averageGradient = buffers.AverageGradient.AsSpan(0, features);
            averageGradient.Clear();
            var average = buffers.Average.AsSpan(0, features);
            for (var h = 0; h < Hidden; h++)
            {
                var act = buffers.Activation[h];
                var g = inputGradient[h] * (1 - (act * act));
                if (g == 0)
                {
                    continue;
                }

                StepUnit(HiddenWeights.AsSpan(h * features, features), ref HiddenBias[h], average, averageGradient, g, rate, keep);
            }
        }

        if (rows.Length == 0)
        {
            return;
        }

        // The static feature's rows are not trained: only the n-gram average's share of the gradient reaches rows.
        averageGradient = averageGradient[..Dimension];

        // Every row steps by the gradient of the average itself, not by its 1/n share of it: the change of the average
        // (and of the logits) per step is then the same for a text of 5 features as for one of 500, where the exact
        // gradient would slow learning by 1/n² (character n-grams make n large). Measured: bench/results/2026-12-03-defaults-measured.md.
        // Past FullStepFeatures the step shrinks in proportion, so that a text moves its rows no further in all than a
        // text of that many features: one text of megabytes holds nearly every row, and moved them all towards its label
        // at every epoch (eval accuracy 0.97 → 0.27, issue 19).
        var step = rows.Length <= FullStepFeatures ? -rate : -rate * FullStepFeatures / rows.Length;
        foreach (var row in rows)
        {
            if (keep != 1)
            {
                Scale(embedding.Row(row), keep);
            }

            AddScaled(embedding.Row(row), averageGradient, step);
        }
    }

    /// <summary>
    /// One unit's step: its share of the gradient passed back into <paramref name="inputGradient"/> (with the weights before
    /// the step), then the weights decayed by <paramref name="keep"/> and moved against the gradient <paramref name="g"/>.
    /// </summary>
    private static void StepUnit(Span<float> weights, ref float bias, ReadOnlySpan<float> input, Span<float> inputGradient, float g, float rate, float keep)
    {
        AddScaled(inputGradient, weights, g);
        if (keep != 1)
        {
            Scale(weights, keep);
        }

        AddScaled(weights, input, -rate * g);
        bias -= rate * g;
    }

    private static void CopyLayers(StudentNetwork source, StudentNetwork target)
    {
        Array.Copy(source.HiddenWeights, target.HiddenWeights, source.HiddenWeights.Length);
        Array.Copy(source.HiddenBias, target.HiddenBias, source.HiddenBias.Length);
        Array.Copy(source.OutputWeights, target.OutputWeights, source.OutputWeights.Length);
        Array.Copy(source.OutputBias, target.OutputBias, source.OutputBias.Length);
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

    /// <summary>The dot product of <paramref name="a"/> and <paramref name="b"/> (same length), vectorised.</summary>
    internal static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
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
        if (Average.Length < network.InputDimension || Activation.Length < network.Hidden || Logits.Length < network.Labels)
        {
            var dimension = Math.Max(Average.Length, network.InputDimension);
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
