using Uptrain.Models;

namespace Uptrain.Student;

/// <summary>
/// The student's word-order part: a <see cref="ConvolutionNetwork"/> over the first <see cref="Dimension"/> principal
/// components of the encoder's token vectors, read from a text's first <see cref="MaxPieces"/> word pieces in order,
/// punctuation included (<see cref="WordPieces.Split(FeatureWorkspace, List{int}?, int)"/>). The
/// student's probabilities are the mean of this part's and the n-gram part's (<see cref="StudentModel.Score(string, Span{float})"/>).
/// </summary>
/// <remarks>
/// The table is the teacher's <see cref="TokenVectors"/> cut to its first columns (their order is that of the PCA, most
/// variance first) and stored again as 8-bit rows, never trained. Measured in bench/results/2026-12-06-student-cnn.md:
/// bag-of-features students stay 2 points under the teacher on Debian sections, this part averaged with one comes within
/// 0.3 of it.
/// </remarks>
internal sealed class WordOrderPart
{
    /// <summary>The most word pieces of a text the part reads, as the teacher reads 128 tokens.</summary>
    public const int MaxPieces = 128;

    /// <summary>The weights file in a student folder.</summary>
    public const string WeightsFileName = "word-order.weights";

    /// <summary>The part's token vectors in a student folder (<see cref="TokenVectors"/>' format).</summary>
    public const string VectorsFileName = "word-order-vectors.bin";

    public WordOrderPart(ConvolutionNetwork network, TokenVectors table)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(table);
        if (network.Dimension != table.Dimension)
        {
            throw new ArgumentException("The network does not fit the table.", nameof(table));
        }

        Network = network;
        Table = table;
        Pieces = new WordPieces(table.Vocabulary, table.LowerCase);
    }

    public ConvolutionNetwork Network { get; }

    /// <summary>The 8-bit token vectors the convolutions read.</summary>
    public TokenVectors Table { get; }

    /// <summary>Cuts tokens into the table's word pieces.</summary>
    public WordPieces Pieces { get; }

    public int Dimension => Network.Dimension;

    public int Labels => Network.Labels;

    /// <summary>
    /// The first <paramref name="dimension"/> columns of <paramref name="vectors"/> (its leading principal components), each
    /// row quantized again over those columns alone.
    /// </summary>
    public static TokenVectors FirstComponents(TokenVectors vectors, int dimension)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        dimension = Math.Min(dimension, vectors.Dimension);
        var row = new float[vectors.Dimension];
        var scales = new float[vectors.Count];
        var values = new sbyte[(long)vectors.Count * dimension];
        for (var id = 0; id < vectors.Count; id++)
        {
            vectors.Row(id, row);
            scales[id] = TokenVectors.QuantizeRow(row.AsSpan(0, dimension), values.AsSpan(id * dimension, dimension));
        }

        return new TokenVectors(vectors.Vocabulary, vectors.LowerCase, dimension, scales, values, vectors.Source);
    }

    /// <summary>
    /// Writes the rows of the first <see cref="MaxPieces"/> of <paramref name="pieces"/> into <paramref name="buffers"/>'
    /// input, zero rows after them up to <see cref="ConvolutionNetwork.MaxWidth"/>; returns the pieces read.
    /// </summary>
    public int Fill(ReadOnlySpan<int> pieces, WordOrderBuffers buffers)
    {
        var count = Math.Min(pieces.Length, MaxPieces);
        var rows = Math.Max(count, ConvolutionNetwork.MaxWidth);
        var input = buffers.Fit(rows * Dimension);
        for (var i = 0; i < count; i++)
        {
            Table.Row(pieces[i], input.AsSpan(i * Dimension, Dimension));
        }

        input.AsSpan(count * Dimension, (rows - count) * Dimension).Clear();
        return count;
    }

    /// <summary>The part's probabilities for a text of word pieces <paramref name="pieces"/>, into <paramref name="probabilities"/>.</summary>
    public void Score(ReadOnlySpan<int> pieces, bool exclusive, WordOrderBuffers buffers, Span<float> probabilities)
    {
        var count = Fill(pieces, buffers);
        Network.Forward(buffers.Input, count, buffers.Convolution);
        StudentLoss.Probabilities(buffers.Convolution.Logits.AsSpan(0, Labels), probabilities, exclusive);
    }
}

/// <summary>Per-thread work space of <see cref="WordOrderPart"/>: a text's input rows and the network's buffers.</summary>
internal sealed class WordOrderBuffers
{
    public float[] Input { get; private set; } = [];

    public ConvolutionBuffers Convolution { get; } = new();

    /// <summary>The input buffer, grown to at least <paramref name="length"/> values.</summary>
    public float[] Fit(int length)
    {
        if (Input.Length < length)
        {
            Input = new float[Math.Max(length, Input.Length * 2)];
        }

        return Input;
    }
}
