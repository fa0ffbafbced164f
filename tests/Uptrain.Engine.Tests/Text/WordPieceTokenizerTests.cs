using Uptrain.Tests.Teacher;
using Uptrain.Text;

namespace Uptrain.Tests.Text;

// Ids checked by hand against the bundled vocab.txt (id = line number − 1): [PAD] 0, [UNK] 100,
// [CLS] 101, [SEP] 102, ! 999, "," 1010, the 1996, world 2088, ##ize 4697, hello 7592, cafe 7668,
// naive 15743, token 19204.
public sealed class WordPieceTokenizerTests
{
    private static readonly WordPieceTokenizer MiniLm = WordPieceTokenizer.FromFolder(BundledModel.Folder);

    [Fact]
    public void BundledModelIsUncased()
    {
        Assert.True(MiniLm.LowerCase);
        Assert.Equal((101, 102, 0), (MiniLm.ClsId, MiniLm.SepId, MiniLm.PadId));
    }

    [Theory]
    [InlineData("hello world", new[] { 101, 7592, 2088, 102 })]
    [InlineData("Hello, World!", new[] { 101, 7592, 1010, 2088, 999, 102 })]
    [InlineData("Café naïve", new[] { 101, 7668, 15743, 102 })]
    [InlineData("Tokenize", new[] { 101, 19204, 4697, 102 })]
    [InlineData("", new[] { 101, 102 })]
    public void EncodesWithClsAndSep(string text, int[] expected)
    {
        Assert.Equal(expected, MiniLm.Encode(text));
    }

    [Fact]
    public void TruncatesToMaxLengthKeepingSep()
    {
        Assert.Equal([101, 7592, 2088, 102], MiniLm.Encode("hello world hello world the", maxLength: 4));
        Assert.Equal([101, 102], MiniLm.Encode("hello", maxLength: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => MiniLm.Encode("hello", maxLength: 1));
    }

    [Fact]
    public void SaysWhetherItCutTheText()
    {
        Assert.Equal([101, 7592, 2088, 102], MiniLm.Encode("hello world", 4, out var cut));
        Assert.False(cut);
        Assert.Equal([101, 7592, 2088, 102], MiniLm.Encode("hello world the", 4, out cut));
        Assert.True(cut);
        Assert.Equal([101, 102], MiniLm.Encode(string.Empty, 2, out cut));
        Assert.False(cut);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("   \t\r\n ", true)]
    [InlineData("\u200B\u200D", true)]
    [InlineData("\uFEFF", true)]
    [InlineData("\u00A0\u2060\u3000\u200B ", true)]
    [InlineData("a", false)]
    [InlineData(" \u200Bok ", false)]
    [InlineData("!", false)]
    [InlineData("\u4E2D", false)]
    [InlineData("\U0001F600", false)]
    public void BlankTextIsEmptyWhiteSpaceOrInvisible(string text, bool blank)
    {
        Assert.Equal(blank, TextContent.IsBlank(text));
    }

    [Fact]
    public void BatchIsPaddedToItsLongestText()
    {
        var batch = MiniLm.EncodeBatch(["hello", "Hello, World!", "the world"]);

        Assert.Equal(3, batch.BatchSize);
        Assert.Equal(6, batch.SequenceLength);
        Assert.Equal([3, 6, 4], batch.Lengths);
        Assert.Equal([3L, 6L], batch.Shape);
        Assert.Equal(
            [101L, 7592, 102, 0, 0, 0,
             101, 7592, 1010, 2088, 999, 102,
             101, 1996, 2088, 102, 0, 0],
            batch.InputIds);
        Assert.Equal(
            [1L, 1, 1, 0, 0, 0,
             1, 1, 1, 1, 1, 1,
             1, 1, 1, 1, 0, 0],
            batch.AttentionMask);
        Assert.All(batch.TokenTypeIds, t => Assert.Equal(0L, t));
    }

    [Fact]
    public void BatchNeverExceedsMaxLength()
    {
        var batch = MiniLm.EncodeBatch(["hello world hello world hello world", "hello"], maxLength: 5);
        Assert.Equal(5, batch.SequenceLength);
        Assert.Equal([101L, 7592, 2088, 7592, 102], batch.InputIds.Take(5));
    }

    [Fact]
    public void CasedFolderKeepsCase()
    {
        var folder = Directory.CreateTempSubdirectory("uptrain-cased-").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(folder, "vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "Hello", "world"]);
            File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{ "do_lower_case": false }""");
            var cased = WordPieceTokenizer.FromFolder(folder);

            Assert.False(cased.LowerCase);
            Assert.Equal([2, 6, 7, 3], cased.Encode("Hello world"));
            Assert.Equal([2, 5, 3], cased.Encode("hello"));
            Assert.Equal([2, 1, 3], cased.Encode("World")); // [UNK]: only the lower-case form is known
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
