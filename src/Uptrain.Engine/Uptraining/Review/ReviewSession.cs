using System.Globalization;
using Uptrain.Data;
using Uptrain.Diagnostics;

namespace Uptrain.Uptraining.Review;

/// <summary>Settings of a <see cref="ReviewSession"/>.</summary>
public sealed record ReviewOptions
{
    /// <summary>The annotator id written with every answer (<c>_annotator_id</c>).</summary>
    public string Annotator { get; init; } = DefaultAnnotator;

    /// <summary>The clock for <c>_timestamp</c> and the pace; the system clock by default.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// Lines of the task files that could not be read as tasks (reported as errors, which the host shows once the review
    /// screen closes): the screen says how many, so that the reviewer knows at once.
    /// </summary>
    public int SkippedLines { get; init; }

    /// <summary>The annotator id when none is given.</summary>
    public const string DefaultAnnotator = "uptrain-review";
}

/// <summary>
/// The terminal reviewer: shows the tasks one at a time on an <see cref="IReviewConsole"/>, reads the
/// reviewer's keys (or lines, where keys cannot be read) and appends each answer to the answers file as it is
/// given. Tasks whose input is already answered there are skipped, so a session can stop and resume at will.
/// </summary>
public sealed class ReviewSession : IDisposable
{
    private readonly IReviewConsole _console;
    private readonly ReviewOptions _options;
    private readonly IOutputWriter _output;
    private readonly ReviewAnswerLog _log;
    private readonly Stack<(int Index, ReviewAnswer Answer, HashSet<string> Selection)> _history = new();
    private readonly Dictionary<ReviewAnswer, int> _counts = new() { [ReviewAnswer.Accept] = 0, [ReviewAnswer.Reject] = 0, [ReviewAnswer.Ignore] = 0 };
    private DateTimeOffset _started;
    private int _undone;

    /// <summary>Creates a session that appends answers to <paramref name="outputPath"/> (a full path).</summary>
    /// <exception cref="UptrainException"><c>DirectoryNotFound</c> or <c>PathIsDirectory</c>: the answers could not be written.</exception>
    public ReviewSession(IReviewConsole console, string outputPath, ReviewOptions options, IOutputWriter output)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        // Checked before the first task is shown, not when the first answer cannot be written.
        if (Directory.Exists(outputPath))
        {
            throw new UptrainException("PathIsDirectory", ErrorKind.InvalidArgument, DataFiles.Format(Messages.PathIsDirectory, outputPath), outputPath);
        }
        if (Path.GetDirectoryName(outputPath) is { Length: > 0 } folder && !Directory.Exists(folder))
        {
            throw new UptrainException("DirectoryNotFound", ErrorKind.ObjectNotFound, DataFiles.Format(Messages.DirectoryNotFound, folder), folder);
        }
        _console = console;
        _options = options;
        _output = output;
        _log = new ReviewAnswerLog(outputPath);
    }

    /// <summary>Throws <c>TargetIsInput</c> when the answers file <paramref name="outputPath"/> is the task file <paramref name="inputPath"/>.</summary>
    /// <exception cref="UptrainException"><c>TargetIsInput</c> (InvalidOperation).</exception>
    public static void ThrowIfOutputIsInput(string inputPath, string outputPath) =>
        new SourceCheck(outputPath).ThrowIfTarget(DataFiles.Location(inputPath, 1));

    /// <summary>
    /// Reads review tasks from a JSONL file; a task that cannot be reviewed is reported as a record error
    /// (<c>MissingText</c>, <c>InvalidOptions</c>, <c>InvalidJsonLine</c>) and left out.
    /// </summary>
    public static List<ReviewTask> ReadTasks(string path, IOutputWriter output, CancellationToken cancellationToken) =>
        ReadTasks(path, output, cancellationToken, out _);

    /// <summary>As <see cref="ReadTasks(string, IOutputWriter, CancellationToken)"/>; <paramref name="skipped"/> counts the lines reported as errors.</summary>
    public static List<ReviewTask> ReadTasks(string path, IOutputWriter output, CancellationToken cancellationToken, out int skipped)
    {
        ArgumentNullException.ThrowIfNull(output);
        var counting = new ErrorCountingWriter(output);
        var tasks = new List<ReviewTask>();
        foreach (var (record, line) in JsonRecords.Read(path, null, counting, cancellationToken))
        {
            var location = DataFiles.Location(path, line);
            try
            {
                tasks.Add(ReviewTask.Parse(record, location));
            }
            catch (UptrainException ex)
            {
                counting.WriteError(new RecordError(ex.ErrorId, ex.Kind, ex.Message, location));
            }
        }
        skipped = counting.Errors;
        return tasks;
    }

    /// <summary>Passes everything on to another writer and counts the errors.</summary>
    private sealed class ErrorCountingWriter(IOutputWriter inner) : IOutputWriter
    {
        public int Errors { get; private set; }

        public void WriteError(RecordError error)
        {
            Errors++;
            inner.WriteError(error);
        }

        public void WriteWarning(string message) => inner.WriteWarning(message);

        public void WriteVerbose(string message) => inner.WriteVerbose(message);

        public void WriteProgress(ProgressInfo progress) => inner.WriteProgress(progress);
    }

    /// <summary>
    /// Reviews <paramref name="tasks"/> until they are all answered, the reviewer quits or the input ends.
    /// Every answer is on disk before the next task is shown.
    /// </summary>
    /// <exception cref="UptrainException"><c>TargetIsInput</c> when a task was read from the answers file.</exception>
    /// <exception cref="OperationCanceledException">Ctrl+C; the answers given so far are already written.</exception>
    public ReviewSummary Run(IReadOnlyList<ReviewTask> tasks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var check = new SourceCheck(_log.Path);
        foreach (var task in tasks)
        {
            check.ThrowIfTarget(task.Source);
        }
        var answered = ReviewAnswerLog.ReadAnsweredKeys(_log.Path, _output, cancellationToken);
        var distinct = tasks.DistinctBy(task => task.Key, StringComparer.Ordinal).ToList();
        var pending = distinct.Where(task => !answered.Contains(task.Key)).ToList();
        var alreadyAnswered = distinct.Count - pending.Count;
        if (alreadyAnswered > 0)
        {
            _output.WriteVerbose(DataFiles.Format(Messages.ReviewResumed, alreadyAnswered, _log.Path, pending.Count));
        }
        _started = _options.Clock.GetUtcNow();
        // Keys on an ANSI terminal: the review has the alternate screen to itself (as a pager does), and the
        // terminal gets its own screen and cursor back however the review ends, Ctrl+C included.
        var alternate = _console.CanReadKeys && _console.SupportsAnsi;
        if (alternate)
        {
            _console.Write(ReviewScreen.EnterAlternateScreen);
        }
        int index;
        try
        {
            index = Loop(pending, alreadyAnswered, distinct.Count, cancellationToken);
        }
        finally
        {
            if (alternate)
            {
                _console.Write(ReviewScreen.LeaveAlternateScreen);
            }
        }
        var summary = new ReviewSummary
        {
            OutputPath = _log.Path,
            Accepted = _counts[ReviewAnswer.Accept],
            Rejected = _counts[ReviewAnswer.Reject],
            Ignored = _counts[ReviewAnswer.Ignore],
            Undone = _undone,
            AlreadyAnswered = alreadyAnswered,
            Remaining = pending.Count - index,
            Total = distinct.Count,
            Duration = _options.Clock.GetUtcNow() - _started,
        };
        _console.Write(Environment.NewLine + DataFiles.Format(
            index == pending.Count ? Messages.ReviewFinished : Messages.ReviewQuit,
            summary.Answered, summary.Accepted, summary.Rejected, summary.Ignored, summary.Remaining, _log.Path) + Environment.NewLine);
        return summary;
    }

    /// <inheritdoc />
    public void Dispose() => _log.Dispose();

    // Shows pending tasks from the first on; returns the index of the first task left unanswered.
    private int Loop(List<ReviewTask> pending, int alreadyAnswered, int total, CancellationToken cancellationToken)
    {
        var index = 0;
        HashSet<string>? restored = null;
        string? status = null;
        var prompt = new ReviewPrompt(_console);
        while (true)
        {
            if (index == pending.Count)
            {
                // The last answer can still be taken back before the review ends.
                if (_history.Count == 0 || !prompt.AskUndoAtEnd(total, _history.Peek().Answer, cancellationToken))
                {
                    return index;
                }
                if (Undo(out var last, out status) is not { } lastIndex)
                {
                    _console.Write(status + Environment.NewLine);
                    return index;
                }
                (index, restored) = (lastIndex, last);
                continue;
            }
            var task = pending[index];
            var selection = restored ?? new HashSet<string>(task.Accept, StringComparer.Ordinal);
            restored = null;
            var view = new ReviewView(task, selection, alreadyAnswered + index + 1, total, AnswerCount, Pace(), status, _options.SkippedLines);
            var command = prompt.Ask(view, selection, cancellationToken);
            status = null;
            switch (command)
            {
                case ReviewCommand.Quit:
                    return index;
                case ReviewCommand.Undo:
                    if (Undo(out var previous, out status) is { } back)
                    {
                        index = back;
                        restored = previous;
                    }
                    else
                    {
                        restored = selection;
                    }
                    break;
                default:
                    Answer(task, index, ToAnswer(command), selection);
                    index++;
                    break;
            }
        }
    }

    private int AnswerCount => _counts.Values.Sum();

    private double? Pace()
    {
        var minutes = (_options.Clock.GetUtcNow() - _started).TotalMinutes;
        return AnswerCount == 0 || minutes <= 0 ? null : AnswerCount / minutes;
    }

    private void Answer(ReviewTask task, int index, ReviewAnswer answer, HashSet<string> selection)
    {
        var accept = task.Labels.Where(selection.Contains);
        _log.Append(ReviewAnswerLog.ToAnswer(task, answer, accept, _options.Annotator, _options.Clock.GetUtcNow()));
        _history.Push((index, answer, selection));
        _counts[answer]++;
    }

    // Withdraws the last answer of the session; returns the index of its task, or null (with a status) when it cannot.
    private int? Undo(out HashSet<string>? selection, out string status)
    {
        selection = null;
        if (_history.Count == 0)
        {
            status = Messages.ReviewNothingToUndo;
            return null;
        }
        if (!_log.TryUndo())
        {
            status = DataFiles.Format(Messages.ReviewUndoRefused, _log.Path);
            return null;
        }
        var (index, answer, chosen) = _history.Pop();
        _counts[answer]--;
        _undone++;
        selection = chosen;
        status = string.Format(CultureInfo.CurrentCulture, Messages.ReviewUndone, answer.ToString().ToLowerInvariant());
        return index;
    }

    private static ReviewAnswer ToAnswer(ReviewCommand command) => command switch
    {
        ReviewCommand.Accept => ReviewAnswer.Accept,
        ReviewCommand.Reject => ReviewAnswer.Reject,
        _ => ReviewAnswer.Ignore,
    };
}
