using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Uptrain.Data;

namespace Uptrain.Uptraining;

/// <summary>
/// The Prodigy-style ids of the records Uptrain writes (silver records, review tasks): the one place they are
/// computed. Both are 32-bit signed integers like Prodigy's, the same on every run and machine, but they are
/// not Prodigy's own hashes (those depend on Prodigy's settings); an input that has a hash keeps it.
/// </summary>
/// <remarks>
/// <para><b>Input hash</b> of a text without one: the first four bytes of the SHA-256 of the text's UTF-8 bytes
/// (exactly as given, not normalised), read as a little-endian signed 32-bit integer.</para>
/// <para><b>Task hash</b>: the same over the UTF-8 JSON array <c>[inputHash, [options...]]</c> (review task) or
/// <c>[inputHash, [options...], [accept...]]</c> (silver record), labels in the order written.</para>
/// </remarks>
public static class UptrainHashes
{
    /// <summary>The input hash of <paramref name="text"/> (for a text that came without one).</summary>
    public static long InputHash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Hash32(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The input's own hash when it has one (never recomputed), else <see cref="InputHash(string)"/> of its text.</summary>
    public static long InputHashOf(TextcatPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        return prediction.InputHash ?? InputHash(prediction.Text);
    }

    /// <summary>The task hash of a task with <paramref name="options"/> and, for an answered record, <paramref name="accept"/>.</summary>
    public static long TaskHash(long inputHash, IEnumerable<string> options, IEnumerable<string>? accept = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, JsonPlain.WriterOptions))
        {
            json.WriteStartArray();
            json.WriteNumberValue(inputHash);
            WriteStrings(json, options);
            if (accept is not null)
            {
                WriteStrings(json, accept);
            }
            json.WriteEndArray();
        }
        return Hash32(buffer.WrittenSpan);
    }

    /// <summary>
    /// The identity of a text inside Uptrain, beside its 32-bit hashes: the first 128 bits of the SHA-256 of its UTF-8
    /// bytes, so that two texts whose 32-bit hashes collide stay two (the silver dataset's records).
    /// </summary>
    public static UInt128 TextDigest(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return BinaryPrimitives.ReadUInt128LittleEndian(digest);
    }

    private static void WriteStrings(Utf8JsonWriter json, IEnumerable<string> values)
    {
        json.WriteStartArray();
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    private static long Hash32(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, digest);
        return BinaryPrimitives.ReadInt32LittleEndian(digest);
    }
}
