using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Uptrain.IO;

/// <summary>What is wrong with a checksummed file, in the order the checks find it.</summary>
internal enum ChecksummedProblem
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>It does not start with the expected magic bytes.</summary>
    NotThisKind,

    /// <summary>It is shorter than its header, or than its header says.</summary>
    Truncated,

    /// <summary>It has bytes after the checksum.</summary>
    Trailing,

    /// <summary>The payload's SHA-256 is not the trailer's.</summary>
    Checksum,
}

/// <summary>
/// The frame of Uptrain's binary weight files: 8 bytes of magic, an int32 version and an int64 payload length (all
/// little-endian), the payload, and 32 bytes of the payload's SHA-256. Each file kind keeps its own messages: the checks
/// here only say what is wrong.
/// </summary>
internal static class ChecksummedFile
{
    /// <summary>Magic, version and payload length.</summary>
    public const int HeaderSize = 8 + 4 + 8;

    /// <summary>The SHA-256 trailer.</summary>
    public const int ChecksumSize = 32;

    /// <summary>Writes the frame around <paramref name="payload"/> to <paramref name="path"/> through a temporary file.</summary>
    public static void Write(string path, ReadOnlySpan<byte> magic, int version, ReadOnlyMemory<byte> payload)
    {
        var header = new byte[HeaderSize];
        magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), version);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(12), payload.Length);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            stream.Write(payload.Span);
            stream.Write(SHA256.HashData(payload.Span));
        });
    }

    /// <summary>The header's checks: the magic, then the header's length; <paramref name="version"/> when they pass.</summary>
    public static ChecksummedProblem ReadHeader(byte[] bytes, ReadOnlySpan<byte> magic, out int version)
    {
        version = 0;
        if (bytes.Length < magic.Length || !bytes.AsSpan(0, magic.Length).SequenceEqual(magic))
        {
            return ChecksummedProblem.NotThisKind;
        }

        if (bytes.Length < HeaderSize)
        {
            return ChecksummedProblem.Truncated;
        }

        version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        return ChecksummedProblem.None;
    }

    /// <summary>
    /// The payload's checks, after <see cref="ReadHeader"/>: the length the header gives (<paramref name="expected"/>, the
    /// whole file's), nothing after the trailer, the checksum; <paramref name="payload"/> when they pass.
    /// </summary>
    public static ChecksummedProblem ReadPayload(byte[] bytes, out ReadOnlyMemory<byte> payload, out long expected)
    {
        payload = default;
        var length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12));
        expected = HeaderSize + Math.Max(0, length) + ChecksumSize;
        if (length < 0 || length > int.MaxValue || bytes.Length < expected)
        {
            return ChecksummedProblem.Truncated;
        }

        if (bytes.Length > expected)
        {
            return ChecksummedProblem.Trailing;
        }

        var span = bytes.AsMemory(HeaderSize, (int)length);
        if (!SHA256.HashData(span.Span).AsSpan().SequenceEqual(bytes.AsSpan(HeaderSize + (int)length, ChecksumSize)))
        {
            return ChecksummedProblem.Checksum;
        }

        payload = span;
        return ChecksummedProblem.None;
    }
}
