using System.Globalization;
using System.Text;

namespace Uptrain.Text;

/// <summary>What a text holds, independent of any model's tokenizer.</summary>
public static class TextContent
{
    /// <summary>
    /// True when <paramref name="text"/> has nothing to classify: it is empty, or every character is white
    /// space, a control character or an invisible format character (zero-width space and joiners, the
    /// byte-order mark, word joiner, bidirectional marks).
    /// </summary>
    public static bool IsBlank(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune) && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format))
            {
                return false;
            }
        }

        return true;
    }
}
