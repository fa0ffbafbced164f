using Uptrain.Text;

namespace Uptrain.Tests.Text;

public sealed class TextKeyTests
{
    [Fact]
    public void ComposedAndDecomposedAccentsAreOneText()
    {
        var composed = "Caf\u00e9 cr\u00e8me";
        var decomposed = "Cafe\u0301 cre\u0300me";

        Assert.NotEqual(composed, decomposed);
        Assert.Equal(TextKey.Hash(composed), TextKey.Hash(decomposed));
        Assert.Equal(composed, TextKey.Normalize(decomposed));
    }

    [Theory]
    [InlineData("  refund   please\n", "refund please")]
    [InlineData("refund\t\r\nplease", "refund please")]
    [InlineData("refund\u00a0please", "refund please")]
    [InlineData("\n\n", "")]
    public void WhiteSpaceIsTrimmedAndCollapsed(string text, string expected)
    {
        Assert.Equal(expected, TextKey.Normalize(text));
        Assert.Equal(TextKey.Hash(expected), TextKey.Hash(text));
    }

    [Fact]
    public void CaseAndInnerCharactersAreKept()
    {
        Assert.NotEqual(TextKey.Hash("Refund please"), TextKey.Hash("refund please"));
        Assert.NotEqual(TextKey.Hash("refund please"), TextKey.Hash("refundplease"));
        Assert.Equal("Refund Please", TextKey.Normalize("Refund Please"));
    }

    [Fact]
    public void ALoneSurrogateIsNotAnError()
    {
        Assert.Equal("a \ud800", TextKey.Normalize(" a  \ud800 "));
    }
}
