using System.Security.Cryptography;

namespace Uptrain.IO;

/// <summary>
/// SHA-256 digests as Uptrain records them (model cards, data fingerprints): <c>sha256:</c> and the lower-case hex
/// digest.
/// </summary>
internal static class Sha256Digest
{
    /// <summary>The prefix of a recorded digest: the algorithm's name and a colon.</summary>
    internal const string Prefix = "sha256:";

    /// <summary>
    /// Read buffer for hashing a file (1 MiB): large reads keep hashing a 90 MB model.onnx close to the speed of SHA-256
    /// itself rather than of many small system calls.
    /// </summary>
    private const int FileBufferSize = 1 << 20;

    /// <summary>The lower-case hex of <paramref name="bytes"/>.</summary>
    internal static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    /// <summary><see cref="Prefix"/> and the hex of the digest <paramref name="hash"/> has so far; the hash is reset.</summary>
    internal static string Finish(IncrementalHash hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return Prefix + Hex(hash.GetHashAndReset());
    }

    /// <summary><see cref="Prefix"/> and the hex SHA-256 of <paramref name="file"/>'s bytes.</summary>
    internal static string OfFile(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[FileBufferSize];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return Finish(hash);
    }
}
