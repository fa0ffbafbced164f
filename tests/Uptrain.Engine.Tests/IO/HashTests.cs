using System.Security.Cryptography;
using System.Text;
using Uptrain.IO;
using Uptrain.Tests.Data;

namespace Uptrain.Tests.IO;

public sealed class HashTests
{
    [Theory]
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("foobar", 0x85944171f73967e8UL)]
    public void Fnv1aGivesTheReferenceValues(string text, ulong expected)
    {
        Assert.Equal(expected, Fnv1a.Of(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(expected, Fnv1a.Of(text));
    }

    [Theory]
    [InlineData("naïve 😀")]
    [InlineData("bad \ud800 surrogate")]
    public void Fnv1aOfTextHashesItsUtf8Bytes(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Assert.Equal(Fnv1a.Of(bytes), Fnv1a.Of(text));
        Assert.Equal(Fnv1a.Of(bytes), text.EnumerateRunes().Aggregate(Fnv1a.OffsetBasis, Fnv1a.Add));
        Assert.Equal(Fnv1a.Of(bytes), Fnv1a.Add(Fnv1a.Of(bytes.AsSpan(0, 3)), bytes.AsSpan(3)));
    }

    [Fact]
    public void AFileDigestIsPrefixedLowerCaseHex()
    {
        using var dir = new TempDir();
        var file = dir.Write("abc.txt", "abc");

        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256Digest.OfFile(file));
    }

    [Fact]
    public void FinishFormatsAndResetsAnIncrementalHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("abc"u8);

        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256Digest.Finish(hash));
        Assert.Equal("sha256:" + Sha256Digest.Hex(SHA256.HashData(ReadOnlySpan<byte>.Empty)), Sha256Digest.Finish(hash));
        Assert.Equal("00ff1a", Sha256Digest.Hex([0x00, 0xff, 0x1a]));
    }
}
