using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Uptrain.Text;

/// <summary>
/// The identity of a text for finding the same text again in another file (Select-UptrainExample -Exclude):
/// the text in Unicode NFC, trimmed, with every run of white space collapsed to one space; case is kept.
/// Two texts that differ only in how an accent is encoded, in line breaks, tabs or doubled spaces, have one key.
/// </summary>
public static class TextKey
{
    /// <summary>
    /// <paramref name="text"/> in NFC, without leading and trailing white space, with each run of white space
    /// (as <see cref="char.IsWhiteSpace(char)"/> defines it: spaces, tabs, line breaks, no-break spaces) replaced
    /// by one space. A text that is not valid UTF-16 (a lone surrogate) cannot be normalised and only has its
    /// white space collapsed.
    /// </summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string composed;
        try
        {
            composed = text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            composed = text;
        }
        var builder = new StringBuilder(composed.Length);
        var pendingSpace = false;
        foreach (var c in composed)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }
            builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>
    /// A 128-bit hash of <see cref="Normalize"/>(<paramref name="text"/>): the first 16 bytes of the SHA-256 of
    /// its UTF-8 bytes, so that a set of keys takes little memory and two different texts share a key with a
    /// chance of about 2^-64 even among billions of texts.
    /// </summary>
    public static UInt128 Hash(string text)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(text)), digest);
        return new UInt128(BinaryPrimitives.ReadUInt64LittleEndian(digest), BinaryPrimitives.ReadUInt64LittleEndian(digest[8..]));
    }
}
