using System.Text;
using Uptrain.IO;

namespace Uptrain.Student;

/// <summary>
/// The student's feature hash: FNV-1a, 64 bits, over the UTF-8 bytes of text (<see cref="Fnv1a"/>). Stable across runs,
/// processes and platforms, and streaming, so that an n-gram is hashed piece by piece without building its string.
/// </summary>
public static class FeatureHash
{
    /// <summary>The FNV-1a 64 offset basis: the hash of no bytes.</summary>
    public const ulong OffsetBasis = Fnv1a.OffsetBasis;

    /// <summary>The FNV-1a 64 prime.</summary>
    public const ulong Prime = Fnv1a.Prime;

    /// <summary>The hash state after one more byte.</summary>
    public static ulong Add(ulong hash, byte value) => Fnv1a.Add(hash, value);

    /// <summary>The hash state after the UTF-8 bytes of <paramref name="rune"/>.</summary>
    public static ulong Add(ulong hash, Rune rune) => Fnv1a.Add(hash, rune);

    /// <summary>The hash state after the UTF-8 bytes of <paramref name="text"/> (ill-formed UTF-16 as U+FFFD).</summary>
    public static ulong Add(ulong hash, ReadOnlySpan<char> text) => Fnv1a.Add(hash, text);

    /// <summary>FNV-1a 64 of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static ulong Of(ReadOnlySpan<char> text) => Fnv1a.Of(text);

    /// <summary>FNV-1a 64 of <paramref name="bytes"/>.</summary>
    public static ulong Of(ReadOnlySpan<byte> bytes) => Fnv1a.Of(bytes);
}
