using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Uptrain.IO;

/// <summary>Writes 32-bit values little-endian, as the binary weight files store them, on any processor.</summary>
internal static class LittleEndian
{
    /// <summary>Writes <paramref name="values"/> as 4 little-endian bytes each.</summary>
    public static void Write(Stream stream, ReadOnlySpan<float> values) => Write(stream, MemoryMarshal.Cast<float, int>(values));

    /// <summary>Writes <paramref name="values"/> as 4 little-endian bytes each.</summary>
    public static void Write(Stream stream, ReadOnlySpan<int> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }

        Span<byte> bytes = stackalloc byte[4];
        foreach (var value in values)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
            stream.Write(bytes);
        }
    }
}
