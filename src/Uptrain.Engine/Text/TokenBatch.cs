namespace Uptrain.Text;

/// <summary>
/// A batch of encoded texts, padded to the longest one: the three int64 inputs of a BERT, each
/// row-major <c>[BatchSize, SequenceLength]</c>, ready for a TorchSharp tensor or an ONNX Runtime input.
/// </summary>
public sealed class TokenBatch
{
    internal TokenBatch(int batchSize, int sequenceLength, long[] inputIds, long[] attentionMask, long[] tokenTypeIds, int[] lengths)
    {
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
        InputIds = inputIds;
        AttentionMask = attentionMask;
        TokenTypeIds = tokenTypeIds;
        Lengths = lengths;
    }

    /// <summary>Number of texts.</summary>
    public int BatchSize { get; }

    /// <summary>Length of every row: the longest text's token count, [CLS] and [SEP] included.</summary>
    public int SequenceLength { get; }

    /// <summary>Token ids; padding positions hold the [PAD] id.</summary>
    public long[] InputIds { get; }

    /// <summary>1 for a real token, 0 for padding.</summary>
    public long[] AttentionMask { get; }

    /// <summary>Segment ids: 0 everywhere for single-text classification.</summary>
    public long[] TokenTypeIds { get; }

    /// <summary>Each text's token count before padding.</summary>
    public IReadOnlyList<int> Lengths { get; }

    /// <summary>The shape of each input, <c>[BatchSize, SequenceLength]</c>.</summary>
    public long[] Shape => [BatchSize, SequenceLength];
}
