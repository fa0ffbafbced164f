using Uptrain.Models;

namespace Uptrain.Student;

/// <summary>
/// The student's static part: a text's dense feature is the mean of its word pieces' rows minus <see cref="Center"/>.
/// The rows are the encoder's token vectors (<see cref="TokenVectors"/>) already multiplied by each piece's weight and by
/// one scale for the whole table, then stored as 8-bit rows, so that scoring is a sum of rows and one subtraction.
/// </summary>
/// <remarks>
/// <para>Made from the training texts (<see cref="Prepare"/>):</para>
/// <list type="number">
/// <item>A piece's weight is <c>a / (a + p)</c>, where p is its share of all pieces in the training texts and a the
/// <see cref="StudentTrainingOptions.SifCoefficient"/> (smooth inverse frequency, Arora et al. 2017): frequent
/// pieces count less; pieces the training texts never show get weight 1.</item>
/// <item>The training texts' mean vectors give <see cref="Center"/>, and the table is scaled so that their root mean
/// square distance from it is 1: then a step of the output layer moves a logit by about as much for this feature as for
/// the n-gram average, at the same learning rate.</item>
/// </list>
/// The rows are never trained: they carry what the encoder knows about pieces the training texts never show.
/// </remarks>
internal sealed class StaticVectors
{
    public StaticVectors(TokenVectors table, float[] center, int? sourceDimension = null)
    {
        SourceDimension = sourceDimension ?? table.Dimension;
        if (center.Length != table.Dimension)
        {
            throw new ArgumentException("The center does not fit the table.", nameof(center));
        }

        Table = table;
        Center = center;
        Pieces = new WordPieces(table.Vocabulary, table.LowerCase);
        Rows = new QuantizedRows(table.Count, table.Dimension, table.Scales, table.Values);
    }

    /// <summary>The weighted, scaled table as it is stored in the student folder.</summary>
    public TokenVectors Table { get; }

    /// <summary>Subtracted from the mean of a text's rows.</summary>
    public float[] Center { get; }

    public int Dimension => Table.Dimension;

    /// <summary>The dimension of the encoder's table this came from (<see cref="Dimension"/> unless folded).</summary>
    public int SourceDimension { get; }

    public WordPieces Pieces { get; }

    public QuantizedRows Rows { get; }

    /// <summary>
    /// The table multiplied through the static block of an output layer (<paramref name="weights"/>, [labels × width], the
    /// block at <paramref name="offset"/>): a row of one logit contribution per label and the center likewise, for
    /// <see cref="StudentNetwork.Fold"/>.
    /// </summary>
    public StaticVectors Fold(float[] weights, int width, int offset, int labels)
    {
        var count = Table.Count;
        var dense = new float[(long)count * labels];
        var row = new float[Dimension];
        for (var id = 0; id < count; id++)
        {
            Table.Row(id, row);
            for (var l = 0; l < labels; l++)
            {
                dense[(id * labels) + l] = StudentNetwork.Dot(weights.AsSpan((l * width) + offset, Dimension), row);
            }
        }

        var center = new float[labels];
        for (var l = 0; l < labels; l++)
        {
            center[l] = StudentNetwork.Dot(weights.AsSpan((l * width) + offset, Dimension), Center);
        }

        return new StaticVectors(TokenVectors.Quantize(Table.Vocabulary, Table.LowerCase, labels, dense, Table.Source), center, SourceDimension);
    }

    /// <summary>The feature of a text whose piece ids are <paramref name="pieces"/>, into <paramref name="target"/>.</summary>
    public void Feature(ReadOnlySpan<int> pieces, Span<float> target)
    {
        if (pieces.Length == 0)
        {
            target.Clear();
            return;
        }

        Rows.Sum(pieces, target);
        var inverse = 1f / pieces.Length;
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = (target[i] * inverse) - Center[i];
        }
    }

    /// <summary>
    /// The student's table from the encoder's <paramref name="vectors"/> and the training texts' piece ids
    /// <paramref name="texts"/>, as the remarks describe.
    /// </summary>
    public static StaticVectors Prepare(TokenVectors vectors, IReadOnlyList<int[]> texts, double sifCoefficient, double size = 1.0, CancellationToken cancellationToken = default)
    {
        var count = vectors.Count;
        var dimension = vectors.Dimension;
        var frequency = new long[count];
        long total = 0;
        foreach (var pieces in texts)
        {
            foreach (var id in pieces)
            {
                frequency[id]++;
            }

            total += pieces.Length;
        }

        // The weighted rows, summed below as they are and scaled in place afterwards.
        var rows = new DenseRows(count, dimension);
        var dense = rows.Values;
        for (var id = 0; id < count; id++)
        {
            var share = total == 0 ? 0 : (double)frequency[id] / total;
            var weight = (float)(sifCoefficient / (sifCoefficient + share));
            var row = dense.AsSpan(id * dimension, dimension);
            vectors.Row(id, row);
            for (var i = 0; i < dimension; i++)
            {
                row[i] *= weight;
            }
        }

        // The training texts' mean vectors: their center and their spread around it.
        var mean = new double[dimension];
        var features = new List<float[]>(texts.Count);
        foreach (var pieces in texts)
        {
            if ((features.Count & 1023) == 1023)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (pieces.Length == 0)
            {
                continue;
            }

            var feature = new float[dimension];
            rows.Sum(pieces, feature);
            for (var i = 0; i < dimension; i++)
            {
                feature[i] /= pieces.Length;
                mean[i] += feature[i];
            }

            features.Add(feature);
        }

        var center = new float[dimension];
        var spread = 0.0;
        if (features.Count > 0)
        {
            for (var i = 0; i < dimension; i++)
            {
                center[i] = (float)(mean[i] / features.Count);
            }

            foreach (var feature in features)
            {
                for (var i = 0; i < dimension; i++)
                {
                    var d = feature[i] - center[i];
                    spread += d * d;
                }
            }

            spread /= features.Count;
        }

        var scale = (float)(spread > 0 ? size / Math.Sqrt(spread) : size);
        for (var i = 0; i < dense.Length; i++)
        {
            dense[i] *= scale;
        }

        for (var i = 0; i < dimension; i++)
        {
            center[i] *= scale;
        }

        var table = TokenVectors.Quantize(vectors.Vocabulary, vectors.LowerCase, dimension, dense, vectors.Source);
        return new StaticVectors(table, center);
    }
}
