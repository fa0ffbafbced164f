using System.Globalization;

namespace Uptrain.Uptraining.Review;

/// <summary>What the reviewer asked for on one task.</summary>
internal enum ReviewCommand
{
    Accept,
    Reject,
    Skip,
    Undo,
    Quit,
}

/// <summary>
/// Asks the reviewer about one task until an answer or a command comes: with keys where the console can read
/// them (number keys toggle labels, Enter accepts, <c>x</c> rejects, space skips, <c>u</c> undoes, <c>q</c>
/// quits), else with one line per prompt (numbers toggle, then <c>a</c> or an empty line accepts, <c>x</c>,
/// <c>s</c>, <c>u</c>, <c>q</c>). With more than 9 labels a label is chosen by two digits (01, 02, …).
/// </summary>
internal sealed class ReviewPrompt(IReviewConsole console)
{
    /// <summary>Shows the task and reads keys or lines until a command; toggles change <paramref name="selection"/>.</summary>
    public ReviewCommand Ask(ReviewView view, HashSet<string> selection, CancellationToken cancellationToken) =>
        console.CanReadKeys ? AskKeys(view, selection, cancellationToken) : AskLines(view, selection, cancellationToken);

    /// <summary>
    /// After the last task: true when the reviewer asks to take back the last answer (<c>u</c>); any other key or
    /// line, or the end of the input, ends the review.
    /// </summary>
    public bool AskUndoAtEnd(int total, ReviewAnswer last, CancellationToken cancellationToken)
    {
        var answer = last.ToString().ToLowerInvariant();
        if (console.CanReadKeys)
        {
            var message = string.Format(CultureInfo.CurrentCulture, Messages.ReviewAllAnsweredKeys, total, answer);
            var lines = TerminalText.Wrap(message, Math.Max(20, console.Width - 1));
            var text = string.Join(Environment.NewLine, lines) + Environment.NewLine;
            console.Write(console.SupportsAnsi ? ReviewScreen.ClearScreen + text : text);
            return console.ReadKey(cancellationToken) is { } key && char.ToLowerInvariant(key.KeyChar) == 'u';
        }
        console.Write(string.Format(CultureInfo.CurrentCulture, Messages.ReviewAllAnsweredLine, total, answer) + Environment.NewLine + Messages.ReviewLinePrompt);
        return console.ReadLine(cancellationToken) is { } line && line.Trim().Equals("u", StringComparison.OrdinalIgnoreCase);
    }

    private ReviewCommand AskKeys(ReviewView view, HashSet<string> selection, CancellationToken cancellationToken)
    {
        var task = view.Task;
        var status = view.Status;
        string? digits = null;
        while (true)
        {
            Show(view with { Status = digits is null ? status : $"{status} {digits}_".TrimStart() }, lineInput: false);
            if (console.ReadKey(cancellationToken) is not { } key)
            {
                return ReviewCommand.Quit;
            }
            status = null;
            if (char.IsAsciiDigit(key.KeyChar))
            {
                digits += key.KeyChar;
                if (digits.Length == ReviewScreen.KeyOf(0, task.Labels.Count).Length)
                {
                    status = Toggle(task, selection, int.Parse(digits, CultureInfo.InvariantCulture));
                    digits = null;
                }
                continue;
            }
            digits = null;
            switch (key.Key == ConsoleKey.Enter ? '\r' : char.ToLowerInvariant(key.KeyChar))
            {
                case '\r' or '\n':
                    if (CanAccept(task, selection, out status))
                    {
                        return ReviewCommand.Accept;
                    }
                    break;
                case 'x':
                    return ReviewCommand.Reject;
                case ' ':
                    return ReviewCommand.Skip;
                case 'u':
                    return ReviewCommand.Undo;
                case 'q':
                    return ReviewCommand.Quit;
                default:
                    // Escape and Backspace drop a half-typed label number; keys without a character (Shift, Ctrl,
                    // arrows, which some hosts report as key-downs of their own) do nothing.
                    status = key.Key is ConsoleKey.Escape or ConsoleKey.Backspace || key.KeyChar == '\0' ? status : Messages.ReviewUnknownKey;
                    break;
            }
        }
    }

    private ReviewCommand AskLines(ReviewView view, HashSet<string> selection, CancellationToken cancellationToken)
    {
        var status = view.Status;
        while (true)
        {
            Show(view with { Status = status }, lineInput: true);
            console.Write(Messages.ReviewLinePrompt);
            if (console.ReadLine(cancellationToken) is not { } line)
            {
                return ReviewCommand.Quit;
            }
            if (Interpret(view.Task, selection, line, out status) is { } command)
            {
                return command;
            }
        }
    }

    // One line of input: label numbers toggle; a last word a, x, s, u or q (or nothing) gives the command.
    private static ReviewCommand? Interpret(ReviewTask task, HashSet<string> selection, string line, out string? status)
    {
        status = null;
        var words = line.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var numbers = words.TakeWhile(word => word.All(char.IsAsciiDigit)).ToList();
        var rest = words.Skip(numbers.Count).ToList();
        if (rest.Count > 1 || rest.Count == 1 && rest[0].ToLowerInvariant() is not ("a" or "x" or "s" or "u" or "q"))
        {
            status = Messages.ReviewLineNotUnderstood;
            return null;
        }
        foreach (var number in numbers)
        {
            status = Toggle(task, selection, int.Parse(number, CultureInfo.InvariantCulture));
            if (status is not null)
            {
                return null;
            }
        }
        return rest.Count == 0
            ? (numbers.Count > 0 ? null : Accepted(task, selection, out status))
            : rest[0].ToLowerInvariant() switch
            {
                "a" => Accepted(task, selection, out status),
                "x" => ReviewCommand.Reject,
                "s" => ReviewCommand.Skip,
                "u" => ReviewCommand.Undo,
                _ => ReviewCommand.Quit,
            };
    }

    private static ReviewCommand? Accepted(ReviewTask task, HashSet<string> selection, out string? status) =>
        CanAccept(task, selection, out status) ? ReviewCommand.Accept : null;

    // Exclusive tasks are accepted with exactly one label: the answer must say which label applies.
    private static bool CanAccept(ReviewTask task, HashSet<string> selection, out string? status)
    {
        status = task.Exclusive && selection.Count == 0 ? Messages.ReviewChooseFirst : null;
        return status is null;
    }

    // Label number `number` (1-based): in an exclusive task it becomes the one label chosen (typing the chosen label's
    // number again keeps it); in a multilabel task it is toggled. Returns a status when there is no such label.
    private static string? Toggle(ReviewTask task, HashSet<string> selection, int number)
    {
        if (number < 1 || number > task.Labels.Count)
        {
            return string.Format(CultureInfo.CurrentCulture, Messages.ReviewNoSuchLabel, number, task.Labels.Count);
        }
        var label = task.Labels[number - 1];
        if (task.Exclusive)
        {
            selection.Clear();
            selection.Add(label);
        }
        else if (!selection.Remove(label))
        {
            selection.Add(label);
        }
        return null;
    }

    private void Show(ReviewView view, bool lineInput)
    {
        // One column is left free: some terminals wrap early when a line fills the last column.
        var lines = ReviewScreen.Render(view, console.Width - 1, lineInput ? null : console.Height, lineInput);
        var text = string.Join(Environment.NewLine, lines) + Environment.NewLine;
        console.Write(console.SupportsAnsi && !lineInput ? ReviewScreen.ClearScreen + text : text);
    }
}
