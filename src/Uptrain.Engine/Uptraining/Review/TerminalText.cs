using System.Globalization;
using System.Text;

namespace Uptrain.Uptraining.Review;

/// <summary>
/// Text for a terminal: made safe to print (no control characters that would move the cursor or start an
/// escape sequence), measured in columns (wide East Asian characters and emoji take two, combining marks
/// none) and wrapped at word boundaries without splitting a user-perceived character.
/// </summary>
internal static class TerminalText
{
    /// <summary>The variation selector that asks for a symbol's emoji form, drawn two columns wide.</summary>
    private const char EmojiPresentation = '\uFE0F';

    // Code points that terminals draw two columns wide (East Asian Wide and Fullwidth, and the emoji blocks),
    // as inclusive ranges in ascending order; after Unicode's EastAsianWidth.txt, coarsened to blocks.
    private static readonly (int First, int Last)[] WideRanges =
    [
        (0x1100, 0x115F), (0x231A, 0x231B), (0x2329, 0x232A), (0x23E9, 0x23EC), (0x23F0, 0x23F0), (0x23F3, 0x23F3),
        (0x25FD, 0x25FE), (0x2614, 0x2615), (0x2648, 0x2653), (0x267F, 0x267F), (0x2693, 0x2693), (0x26A1, 0x26A1),
        (0x26AA, 0x26AB), (0x26BD, 0x26BE), (0x26C4, 0x26C5), (0x26CE, 0x26CE), (0x26D4, 0x26D4), (0x26EA, 0x26EA),
        (0x26F2, 0x26F3), (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD), (0x2705, 0x2705), (0x270A, 0x270B),
        (0x2728, 0x2728), (0x274C, 0x274C), (0x274E, 0x274E), (0x2753, 0x2755), (0x2757, 0x2757), (0x2795, 0x2797),
        (0x27B0, 0x27B0), (0x27BF, 0x27BF), (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55),
        (0x2E80, 0x303E), (0x3041, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA000, 0xA4CF),
        (0xA960, 0xA97F), (0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0xFE10, 0xFE19), (0xFE30, 0xFE6F),
        (0xFF00, 0xFF60), (0xFFE0, 0xFFE6), (0x1F000, 0x1F02F), (0x1F0A0, 0x1F0FF), (0x1F100, 0x1F1FF),
        (0x1F200, 0x1F2FF), (0x1F300, 0x1F64F), (0x1F680, 0x1F6FF), (0x1F900, 0x1F9FF), (0x1FA70, 0x1FAFF),
        (0x20000, 0x2FFFD), (0x30000, 0x3FFFD),
    ];

    /// <summary>
    /// The text with control characters replaced: tabs and other white space become a space, line breaks
    /// become <c>\n</c>, anything else (ESC, BEL, C1 controls, bidi overrides) becomes U+FFFD, so that a task's text
    /// cannot redraw or recolour the reviewer's screen.
    /// </summary>
    public static string Sanitize(string text)
    {
        var result = new StringBuilder(text.Length);
        var normalised = text.ReplaceLineEndings("\n");
        foreach (var rune in normalised.EnumerateRunes())
        {
            if (rune.Value == '\n')
            {
                result.Append('\n');
            }
            else if (Rune.IsWhiteSpace(rune))
            {
                result.Append(' ');
            }
            else if (Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format && IsBidiControl(rune.Value))
            {
                result.Append('\uFFFD');
            }
            else
            {
                result.Append(rune.ToString());
            }
        }
        return result.ToString();
    }

    /// <summary>The columns a string takes (after <see cref="Sanitize"/>).</summary>
    public static int Width(string text)
    {
        var width = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            width += ElementWidth(elements.GetTextElement());
        }
        return width;
    }

    /// <summary>
    /// Wraps sanitised text to lines of at most <paramref name="width"/> columns: paragraphs (at <c>\n</c>) stay
    /// apart, lines break between words, and a word longer than a line is cut between characters.
    /// </summary>
    public static List<string> Wrap(string text, int width)
    {
        width = Math.Max(1, width);
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = new StringBuilder();
            var lineWidth = 0;
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var wordWidth = Width(word);
                var needed = lineWidth == 0 ? wordWidth : lineWidth + 1 + wordWidth;
                if (needed <= width)
                {
                    if (lineWidth > 0)
                    {
                        line.Append(' ');
                    }
                    line.Append(word);
                    lineWidth = needed;
                    continue;
                }
                if (lineWidth > 0)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                    lineWidth = 0;
                }
                lineWidth = AppendCut(word, width, line, lines);
            }
            lines.Add(line.ToString());
        }
        return lines;
    }

    /// <summary>Cuts text to at most <paramref name="width"/> columns, ending with "…" when something was cut.</summary>
    public static string Truncate(string text, int width)
    {
        if (Width(text) <= width)
        {
            return text;
        }
        var result = new StringBuilder();
        var used = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            var elementWidth = ElementWidth(element);
            if (used + elementWidth > width - 1)
            {
                break;
            }
            result.Append(element);
            used += elementWidth;
        }
        return result.Append('…').ToString();
    }

    // Places a word that does not fit on the current (empty) line, cutting it between text elements; returns
    // the width of the last, unfinished line.
    private static int AppendCut(string word, int width, StringBuilder line, List<string> lines)
    {
        var lineWidth = 0;
        var elements = StringInfo.GetTextElementEnumerator(word);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            var elementWidth = ElementWidth(element);
            if (lineWidth > 0 && lineWidth + elementWidth > width)
            {
                lines.Add(line.ToString());
                line.Clear();
                lineWidth = 0;
            }
            line.Append(element);
            lineWidth += elementWidth;
        }
        return lineWidth;
    }

    // A text element (a base character and what combines with it) is as wide as its first code point, or two columns
    // when it asks for emoji presentation (U+FE0F after a text symbol such as ❤).
    private static int ElementWidth(string element)
    {
        var rune = Rune.GetRuneAt(element, 0);
        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format || Rune.IsControl(rune))
        {
            return 0;
        }
        return IsWide(rune.Value) || element.Contains(EmojiPresentation, StringComparison.Ordinal) ? 2 : 1;
    }

    private static bool IsWide(int codePoint)
    {
        var (low, high) = (0, WideRanges.Length - 1);
        while (low <= high)
        {
            var middle = (low + high) / 2;
            var (first, last) = WideRanges[middle];
            if (codePoint < first)
            {
                high = middle - 1;
            }
            else if (codePoint > last)
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsBidiControl(int codePoint) =>
        codePoint is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069;
}
