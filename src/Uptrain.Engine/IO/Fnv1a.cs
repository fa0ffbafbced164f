using System.Text;

namespace Uptrain.IO;

/// <summary>
/// FNV-1a, 64 bits: a hash that is stable across runs, processes and platforms (unlike
/// <see cref="string.GetHashCode()"/>, which is randomised per process), and streaming, so that a key is hashed piece by
/// piece without building it. Text is hashed as its UTF-8 bytes.
/// </summary>
/// <remarks>Offset basis 14695981039346656037 and prime 1099511628211, as in the FNV reference (Fowler, Noll, Vo).</remarks>
internal static class Fnv1a
{
    /// <summary>The offset basis: the hash of no bytes.</summary>
    internal const ulong OffsetBasis = 14695981039346656037UL;

    /// <summary>The 64-bit FNV prime.</summary>
    internal const ulong Prime = 1099511628211UL;

    /// <summary>The hash state after one more byte.</summary>
    internal static ulong Add(ulong hash, byte value) => (hash ^ value) * Prime;

    /// <summary>The hash state after <paramref name="bytes"/>.</summary>
    internal static ulong Add(ulong hash, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * Prime;
        }

        return hash;
    }

    /// <summary>The hash state after the UTF-8 bytes of <paramref name="rune"/>.</summary>
    internal static ulong Add(ulong hash, Rune rune)
    {
        if (rune.IsAscii)
        {
            return (hash ^ (uint)rune.Value) * Prime;
        }

        Span<byte> bytes = stackalloc byte[4];
        var length = rune.EncodeToUtf8(bytes);
        return Add(hash, bytes[..length]);
    }

    /// <summary>The hash state after the UTF-8 bytes of <paramref name="text"/> (ill-formed UTF-16 as U+FFFD).</summary>
    internal static ulong Add(ulong hash, ReadOnlySpan<char> text)
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

    /// <summary>The hash of <paramref name="bytes"/>.</summary>
    internal static ulong Of(ReadOnlySpan<byte> bytes) => Add(OffsetBasis, bytes);

    /// <summary>The hash of the UTF-8 bytes of <paramref name="text"/>.</summary>
    internal static ulong Of(ReadOnlySpan<char> text) => Add(OffsetBasis, text);
}
