using System.Text;

namespace Uptrain.Student;

/// <summary>
/// FNV-1a, 64 bits, over the UTF-8 bytes of text: the student's feature hash. Stable across runs, processes and
/// platforms (unlike <see cref="string.GetHashCode()"/>, which is randomised per process), and streaming, so that an
/// n-gram is hashed piece by piece without building its string.
/// </summary>
/// <remarks>Offset basis 14695981039346656037 and prime 1099511628211, as in the FNV reference (Fowler, Noll, Vo).</remarks>
public static class FeatureHash
{
    /// <summary>The FNV-1a 64 offset basis: the hash of no bytes.</summary>
    public const ulong OffsetBasis = 14695981039346656037UL;

    /// <summary>The FNV-1a 64 prime.</summary>
    public const ulong Prime = 1099511628211UL;

    /// <summary>The hash state after one more byte.</summary>
    public static ulong Add(ulong hash, byte value) => (hash ^ value) * Prime;

    /// <summary>The hash state after the UTF-8 bytes of <paramref name="rune"/>.</summary>
    public static ulong Add(ulong hash, Rune rune)
    {
        if (rune.IsAscii)
        {
            return (hash ^ (uint)rune.Value) * Prime;
        }

        Span<byte> bytes = stackalloc byte[4];
        var length = rune.EncodeToUtf8(bytes);
        for (var i = 0; i < length; i++)
        {
            hash = (hash ^ bytes[i]) * Prime;
        }

        return hash;
    }

    /// <summary>The hash state after the UTF-8 bytes of <paramref name="text"/> (ill-formed UTF-16 as U+FFFD).</summary>
    public static ulong Add(ulong hash, ReadOnlySpan<char> text)
    {
        var index = 0;
        while (index < text.Length)
        {
            var c = text[index];
            if (c < 0x80)
            {
                hash = (hash ^ c) * Prime;
                index++;
                continue;
            }

            Rune.DecodeFromUtf16(text[index..], out var rune, out var width);
            hash = Add(hash, rune);
            index += width;
        }

        return hash;
    }

    /// <summary>FNV-1a 64 of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static ulong Of(ReadOnlySpan<char> text) => Add(OffsetBasis, text);

    /// <summary>FNV-1a 64 of <paramref name="bytes"/>.</summary>
    public static ulong Of(ReadOnlySpan<byte> bytes)
    {
        var hash = OffsetBasis;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * Prime;
        }

        return hash;
    }
}
