namespace Uptrain.Inference;

/// <summary>
/// The input and output arrays of one batch, allocated once for the largest batch
/// (<c>batchSize × maxLength</c> tokens) and reused for every batch of a scoring run. ONNX Runtime
/// reads the first <c>rows × length</c> elements of each, as row-major <c>[rows, length]</c>.
/// </summary>
internal sealed class ScoringBuffers
{
    private readonly long _padId;

    public ScoringBuffers(int batchSize, int maxLength, int labelCount, long padId)
    {
        _padId = padId;
        InputIds = new long[batchSize * maxLength];
        AttentionMask = new long[InputIds.Length];
        TokenTypeIds = new long[InputIds.Length]; // single-text classification: segment 0 everywhere, never written
        Scores = new float[batchSize * labelCount];
        BatchSize = batchSize;
    }

    /// <summary>Rows the buffers hold at most.</summary>
    public int BatchSize { get; }

    public long[] InputIds { get; }

    public long[] AttentionMask { get; }

    public long[] TokenTypeIds { get; }

    /// <summary>The scores of the last batch, <c>[rows, labels]</c>.</summary>
    public float[] Scores { get; }

    /// <summary>Writes <paramref name="tokens"/> as row <paramref name="row"/> of a batch <paramref name="length"/> tokens wide, padding the rest.</summary>
    public void SetRow(int row, int length, int[] tokens)
    {
        var ids = InputIds.AsSpan(row * length, length);
        var mask = AttentionMask.AsSpan(row * length, length);
        for (var i = 0; i < tokens.Length; i++)
        {
            ids[i] = tokens[i];
        }

        ids[tokens.Length..].Fill(_padId);
        mask[..tokens.Length].Fill(1);
        mask[tokens.Length..].Clear();
    }
}
