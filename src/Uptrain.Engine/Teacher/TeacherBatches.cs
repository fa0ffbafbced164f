using static TorchSharp.torch;

namespace Uptrain.Teacher;

/// <summary>How the teacher's examples become batches: length buckets, input tensors and the loss of a batch.</summary>
internal static class TeacherBatches
{
    /// <summary>
    /// Groups example indices into batches of texts of similar length: sorted by (length, a fresh random key) so that
    /// equal lengths mix differently every epoch, cut into batches of <paramref name="batchSize"/>, and the batch order
    /// shuffled. Draws the same amount from <paramref name="random"/> for the same input, so runs repeat for a seed.
    /// </summary>
    public static List<int[]> LengthBuckets(IReadOnlyList<int> lengths, int batchSize, Random random)
    {
        var keys = new double[lengths.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = random.NextDouble();
        }

        var order = Enumerable.Range(0, lengths.Count).OrderBy(i => lengths[i]).ThenBy(i => keys[i]).ToArray();
        var batches = order.Chunk(batchSize).ToList();
        for (var i = batches.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (batches[i], batches[j]) = (batches[j], batches[i]);
        }

        return batches;
    }

    /// <summary>Ids, attention mask and token types int64 [B, T] for the given rows, padded to the longest (or to <paramref name="padLength"/>).</summary>
    public static (Tensor Ids, Tensor Mask, Tensor Types) Tensors(IReadOnlyList<int>[] encoded, int[] rows, int? padLength, int padId, Device device)
    {
        var length = padLength ?? rows.Max(r => encoded[r].Count);
        var ids = new long[rows.Length * length];
        var mask = new long[ids.Length];
        Array.Fill(ids, padId);
        for (var i = 0; i < rows.Length; i++)
        {
            var tokens = encoded[rows[i]];
            for (var t = 0; t < tokens.Count; t++)
            {
                ids[(i * length) + t] = tokens[t];
                mask[(i * length) + t] = 1;
            }
        }

        long[] shape = [rows.Length, length];
        return (tensor(ids, shape, device: device), tensor(mask, shape, device: device), zeros(shape, ScalarType.Int64, device));
    }

    /// <summary>The mean loss of <paramref name="logits"/> [B, labels] for the given training rows, as the trainer computes it.</summary>
    public static Tensor Loss(Tensor logits, TeacherTargets targets, int[] rows, bool exclusive)
    {
        if (exclusive)
        {
            using var classes = tensor(rows.Select(r => targets.Classes[r]).ToArray(), device: logits.device); // [B]
            return TeacherLoss.CrossEntropy(logits, classes);
        }

        var labels = targets.LabelCount;
        var values = new float[rows.Length * labels];
        var known = new float[rows.Length * labels];
        for (var i = 0; i < rows.Length; i++)
        {
            Array.Copy(targets.Values, rows[i] * labels, values, i * labels, labels);
            Array.Copy(targets.Known, rows[i] * labels, known, i * labels, labels);
        }

        using var y = tensor(values, [rows.Length, labels], device: logits.device); // [B, labels]
        using var mask = tensor(known, [rows.Length, labels], device: logits.device); // [B, labels]
        return TeacherLoss.MaskedBinaryCrossEntropy(logits, y, mask);
    }
}
