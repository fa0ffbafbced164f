using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Uptrain.Teacher;

/// <summary>
/// Dropout for training the teacher: in training mode each element is zeroed with probability p and the rest are scaled by
/// 1 / (1 − p), as <c>nn.Dropout</c> does; in eval mode the input passes unchanged. The masks come from a counter-based
/// hash of (seed, this module's stream, call number, element index) rather than from libtorch's generator: libtorch draws
/// them one element at a time (about 2.6 ms for the 172,000 elements of 16 texts × 28 word pieces × 384 on this machine,
/// some 60 ms of a MiniLM-L6 step), while the hash fills them on all cores in a fraction of that. A run is repeatable
/// for a seed and does not depend on the number of threads.
/// </summary>
public sealed class TrainingDropout : nn.Module<Tensor, Tensor>
{
    /// <summary>Elements per work item when filling a mask.</summary>
    private const int ChunkSize = 1 << 15;

    private readonly double _probability;
    private ulong _key;
    private ulong _calls;
    private bool _libTorch;

    /// <summary>Dropout with drop probability <paramref name="probability"/>, in [0, 1).</summary>
    public TrainingDropout(double probability)
        : base(nameof(TrainingDropout))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(probability);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(probability, 1.0);
        _probability = probability;
        Reseed(0, 0);
    }

    /// <summary>The drop probability.</summary>
    public double Probability => _probability;

    /// <summary>
    /// Starts this module's masks afresh from <paramref name="seed"/> and its own <paramref name="stream"/> (modules of one
    /// model take different streams); <paramref name="libTorch"/> draws masks from libtorch's generator instead (only for
    /// the benchmark that measures what the hash buys).
    /// </summary>
    public void Reseed(long seed, long stream, bool libTorch = false)
    {
        _key = Mix(unchecked(((ulong)seed * 0x9E3779B97F4A7C15UL) ^ Mix((ulong)stream + 0x632BE59BD9B4E019UL)));
        _calls = 0;
        _libTorch = libTorch;
    }

    /// <summary>The input with dropout applied (training mode) or unchanged (eval mode); float32 out for lower-precision input.</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!training || _probability == 0)
        {
            return input;
        }

        if (_libTorch)
        {
            return nn.functional.dropout(input, _probability, training: true);
        }

        using var mask = Mask(input.shape, input.device);
        return input * mask;
    }

    /// <summary>A float32 mask of 0 (dropped) and 1 / (1 − p) (kept), the next one of this module's stream.</summary>
    private Tensor Mask(long[] shape, Device device)
    {
        var mask = empty(shape, ScalarType.Float32);
        var count = mask.numel();
        var key = Mix(_key + _calls++);
        var threshold = (uint)Math.Round(_probability * 65536);
        var keep = (float)(1 / (1 - _probability));
        var chunks = (int)((count + ChunkSize - 1) / ChunkSize);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, torch.get_num_threads()) }, c =>
        {
            var start = (long)c * ChunkSize;
            var values = MemoryMarshal.Cast<byte, float>(mask.bytes).Slice((int)start, (int)Math.Min(ChunkSize, count - start));
            Fill(values, key, (ulong)start, threshold, keep);
        });
        if (device.type == DeviceType.CPU)
        {
            return mask;
        }

        using (mask)
        {
            return mask.to(device);
        }
    }

    /// <summary>Four 16-bit draws per hash: element i is dropped when its draw is below <paramref name="threshold"/> (p × 65536).</summary>
    private static void Fill(Span<float> values, ulong key, ulong firstIndex, uint threshold, float keep)
    {
        for (var i = 0; i < values.Length; i += 4)
        {
            var bits = Mix(key + ((firstIndex + (ulong)i) >> 2));
            var end = Math.Min(4, values.Length - i);
            for (var j = 0; j < end; j++)
            {
                values[i + j] = ((uint)(bits >> (16 * j)) & 0xFFFF) < threshold ? 0f : keep;
            }
        }
    }

    /// <summary>SplitMix64's finaliser: a bijective mix of 64 bits.</summary>
    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
