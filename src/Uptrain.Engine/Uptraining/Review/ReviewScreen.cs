using System.Globalization;
using System.Text;

namespace Uptrain.Uptraining.Review;

/// <summary>What the screen shows for one task.</summary>
internal sealed record ReviewView(
    ReviewTask Task,
    IReadOnlySet<string> Selection,
    int Position,
    int Total,
    int Answered,
    double? AnswersPerMinute,
    string? Status,
    int SkippedLines = 0);

/// <summary>
/// Renders a task for the terminal: a progress line, the text wrapped to the window, the labels with their
/// numbers, the teacher's scores, the selection and the uncertain mark, the key legend and a status line.
/// </summary>
internal static class ReviewScreen
{
    /// <summary>ANSI: clear the screen and move the cursor home.</summary>
    internal const string ClearScreen = "\u001b[2J\u001b[H";

    /// <summary>ANSI (xterm): switch to the alternate screen and hide the cursor.</summary>
    internal const string EnterAlternateScreen = "\u001b[?1049h\u001b[?25l";

    /// <summary>ANSI (xterm): show the cursor and switch back to the normal screen, as it was.</summary>
    internal const string LeaveAlternateScreen = "\u001b[?25h\u001b[?1049l";

    /// <summary>The fewest text lines shown, however small the window.</summary>
    private const int MinTextLines = 3;

    /// <summary>Lines besides the text and the labels: progress, three rules, legend, status.</summary>
    private const int FixedLines = 6;

    /// <summary>
    /// The lines of the screen. <paramref name="width"/> is the columns to use; <paramref name="height"/> limits
    /// the text's lines (null: no limit, for line input, where the terminal scrolls).
    /// </summary>
    public static List<string> Render(ReviewView view, int width, int? height, bool lineInput)
    {
        width = Math.Max(20, width);
        var task = view.Task;
        var lines = new List<string> { TerminalText.Truncate(Progress(view), width) };
        if (view.SkippedLines > 0)
        {
            lines.Add(TerminalText.Truncate(string.Format(CultureInfo.CurrentCulture, Messages.ReviewSkippedLines, view.SkippedLines), width));
        }

        var rule = new string('─', width);
        lines.Add(rule);
        var text = TerminalText.Wrap(TerminalText.Sanitize(task.Text), width);
        if (height is { } rows)
        {
            var room = Math.Max(MinTextLines, rows - FixedLines - task.Labels.Count - (view.SkippedLines > 0 ? 1 : 0));
            if (text.Count > room)
            {
                var hidden = text.Count - room + 1;
                text = text.Take(room - 1).Append(string.Format(CultureInfo.CurrentCulture, Messages.ReviewMoreLines, hidden)).ToList();
            }
        }
        lines.AddRange(text);
        lines.Add(rule);
        lines.AddRange(LabelLines(view, width));
        lines.Add(rule);
        // Keys: one line, cut to the window. Line input: the terminal scrolls, so the longer legend wraps.
        var legend = Legend(task, lineInput);
        if (lineInput)
        {
            lines.AddRange(TerminalText.Wrap(legend, width));
        }
        else
        {
            lines.Add(TerminalText.Truncate(legend, width));
        }
        if (view.Status is { Length: > 0 } status)
        {
            lines.Add(TerminalText.Truncate(TerminalText.Sanitize(status).Replace('\n', ' '), width));
        }
        return lines;
    }

    /// <summary>The number a label is chosen by: 1-9, or two digits (01, 02, …) when there are more than 9 labels.</summary>
    public static string KeyOf(int index, int labelCount) =>
        (index + 1).ToString(labelCount > 9 ? "00" : "0", CultureInfo.InvariantCulture);

    private static string Progress(ReviewView view)
    {
        var pace = view.AnswersPerMinute is { } perMinute
            ? perMinute.ToString("0.0", CultureInfo.CurrentCulture)
            : "–";
        return string.Format(CultureInfo.CurrentCulture, Messages.ReviewProgress, view.Position, view.Total, view.Answered, pace);
    }

    private static IEnumerable<string> LabelLines(ReviewView view, int width)
    {
        var task = view.Task;
        var nameWidth = Math.Min(task.Labels.Max(label => TerminalText.Width(TerminalText.Sanitize(label))), Math.Max(8, width / 2));
        for (var i = 0; i < task.Labels.Count; i++)
        {
            var label = task.Labels[i];
            var chosen = view.Selection.Contains(label);
            var mark = task.Exclusive ? (chosen ? "(•)" : "( )") : (chosen ? "[x]" : "[ ]");
            var name = TerminalText.Truncate(TerminalText.Sanitize(label), nameWidth);
            var line = new StringBuilder()
                .Append(' ').Append(mark).Append(' ')
                .Append(KeyOf(i, task.Labels.Count)).Append("  ")
                .Append(name).Append(' ', nameWidth - TerminalText.Width(name));
            if (task.Scores.TryGetValue(label, out var score))
            {
                line.Append("  ").Append(score.ToString("0.00", CultureInfo.InvariantCulture));
            }
            if (task.Uncertain.Contains(label, StringComparer.Ordinal))
            {
                line.Append("  ").Append(Messages.ReviewUncertain);
            }
            yield return TerminalText.Truncate(line.ToString(), width);
        }
    }

    private static string Legend(ReviewTask task, bool lineInput)
    {
        var keys = task.Labels.Count > 9
            ? string.Concat(KeyOf(0, task.Labels.Count), "-", KeyOf(task.Labels.Count - 1, task.Labels.Count))
            : (task.Labels.Count == 1 ? "1" : "1-" + task.Labels.Count.ToString(CultureInfo.InvariantCulture));
        var format = (lineInput, task.Exclusive) switch
        {
            (true, true) => Messages.ReviewLegendLineSingle,
            (true, false) => Messages.ReviewLegendLineMultiple,
            (false, true) => Messages.ReviewLegendKeysSingle,
            (false, false) => Messages.ReviewLegendKeysMultiple,
        };
        return string.Format(CultureInfo.CurrentCulture, format, keys);
    }
}
