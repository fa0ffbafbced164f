using Uptrain.Uptraining.Review;

namespace Uptrain.Tests.Uptraining.Review;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("abc", 3)]
    [InlineData("日本語", 6)]
    [InlineData("e\u0301te\u0301", 3)]
    [InlineData("👍🏽 ok", 5)]
    // Emoji in the BMP that terminals draw two columns wide were counted one, so review lines overflowed (issue 19, 8):
    // ⚡ (U+26A1, East Asian Wide), ❤️ (U+2764 with the emoji presentation selector U+FE0F), ✅ ⭐ ⌛.
    [InlineData("⚡ fast", 7)]
    [InlineData("I ❤️ it", 7)]
    [InlineData("✅⭐⌛", 6)]
    // Without the selector ❤ is a one-column text symbol, as terminals draw it.
    [InlineData("❤", 1)]
    public void WidthCountsColumnsNotCharacters(string text, int columns) => Assert.Equal(columns, TerminalText.Width(text));

    [Fact]
    public void WideTextIsWrappedByColumnsAndNeverSplitsACharacter()
    {
        var lines = TerminalText.Wrap("これは長い日本語の文です", 7);

        Assert.All(lines, line => Assert.InRange(TerminalText.Width(line), 1, 7));
        Assert.Equal("これは長い日本語の文です", string.Concat(lines));
        Assert.Equal(["これは", "長い日", "本語の", "文です"], lines);
    }

    [Fact]
    public void WordsStayWholeAndParagraphsApart()
    {
        Assert.Equal(["one two", "three", "", "four"], TerminalText.Wrap("one two three\n\nfour", 8));
    }

    [Fact]
    public void ControlCharactersCannotReachTheTerminal()
    {
        var safe = TerminalText.Sanitize("red \u001b[31mtext\u0007\ttab\r\nnext \u202Eevil");

        Assert.Equal("red \uFFFD[31mtext\uFFFD tab\nnext \uFFFDevil", safe);
    }

    [Fact]
    public void TruncateEndsWithAnEllipsisWithinTheWidth()
    {
        Assert.Equal("billi…", TerminalText.Truncate("billing-and-payments", 6));
        Assert.Equal("日本…", TerminalText.Truncate("日本語の文", 6));
        Assert.Equal("short", TerminalText.Truncate("short", 6));
    }
}
