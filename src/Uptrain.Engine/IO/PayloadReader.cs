using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Uptrain.IO;

/// <summary>
/// Reads a little-endian binary payload front to back; every overrun or out-of-range value is a
/// <see cref="FormatException"/> whose message is <c>string.Format(outOfRange, what)</c>.
/// </summary>
internal ref struct PayloadReader(ReadOnlySpan<byte> payload, string outOfRange)
{
    private readonly ReadOnlySpan<byte> _payload = payload;
    private int _offset;

    /// <summary>An int32 in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(int min, int max, string what)
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(Take(4, what));
        return value < min || value > max ? throw OutOfRange(what) : value;
    }

    /// <summary><paramref name="length"/> bytes of UTF-8.</summary>
    public string Text(int length, string what) => Encoding.UTF8.GetString(Take(length, what));

    /// <summary>An int32 byte count, then that many bytes of UTF-8 (at most <paramref name="maxLength"/>).</summary>
    public string LengthPrefixedText(int maxLength, string what) => Text(Int(0, maxLength, what), what);

    /// <summary>Fills <paramref name="target"/> with float32 values.</summary>
    public void Floats(Span<float> target, string what = "weights")
    {
        var bytes = Take(checked(target.Length * 4), what);
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(target);
            return;
        }

        for (var i = 0; i < target.Length; i++)
        {
            target[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
        }
    }

    /// <summary>Fills <paramref name="target"/> with raw bytes.</summary>
    public void Bytes(Span<byte> target, string what = "weights") => Take(target.Length, what).CopyTo(target);

    /// <summary>Throws unless the whole payload was read.</summary>
    public readonly void End()
    {
        if (_offset != _payload.Length)
        {
            throw OutOfRange("payload length");
        }
    }

    private readonly FormatException OutOfRange(string what) => new(string.Format(System.Globalization.CultureInfo.CurrentCulture, outOfRange, what));

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count < 0 || _payload.Length - _offset < count)
        {
            throw OutOfRange(what);
        }

        var span = _payload.Slice(_offset, count);
        _offset += count;
        return span;
    }
}
