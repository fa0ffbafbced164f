using System.Text.Json;
using Uptrain.Data;
using Uptrain.Diagnostics;
using Uptrain.Tests.Data;
using Uptrain.Uptraining.Review;

namespace Uptrain.Tests.Uptraining.Review;

public sealed class ReviewSessionTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CollectingOutputWriter _output = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>An exclusive task (billing / bug / other) in the format Select-UptrainExample -ReviewPath writes.</summary>
    internal static string Exclusive(string text, long hash, string accept = "billing", string extra = "") =>
        $$"""{"text": {{JsonSerializer.Serialize(text)}}, "options": [{"id": "billing", "text": "billing"}, {"id": "bug", "text": "bug"}, {"id": "other", "text": "other"}], "accept": ["{{accept}}"], "_view_id": "choice", "config": {"choice_style": "single"}, "meta": {"source": "uptrain", "model": "teacher", "scores": {"billing": 0.61, "bug": 0.32, "other": 0.07}, "uncertain": ["billing"]}, "_input_hash": {{hash}}, "_task_hash": {{hash + 1}}{{extra}}}""";

    internal static string Multilabel(string text, long hash) =>
        $$"""{"text": {{JsonSerializer.Serialize(text)}}, "options": [{"id": "spam", "text": "spam"}, {"id": "urgent", "text": "urgent"}], "accept": ["spam"], "_view_id": "choice", "config": {"choice_style": "multiple"}, "meta": {"source": "uptrain", "scores": {"spam": 0.7, "urgent": 0.4}, "uncertain": ["urgent"]}, "_input_hash": {{hash}}}""";

    private string Answers => _dir.File("answers.jsonl");

    private ReviewSummary Review(ScriptedConsole console, params string[] tasks)
    {
        var path = _dir.WriteLines("review.jsonl", tasks);
        var read = ReviewSession.ReadTasks(path, _output, CancellationToken.None);
        using var session = new ReviewSession(console, Answers, new ReviewOptions { Clock = new SteppingClock(TimeSpan.FromSeconds(3)) }, _output);
        return session.Run(read, CancellationToken.None);
    }

    private List<JsonElement> AnswerRows() =>
        File.ReadAllLines(Answers).Select(line => JsonDocument.Parse(line).RootElement).ToList();

    private List<TextcatExample> Gold(bool exclusive = false)
    {
        var reader = new ProdigyJsonlReader(new ProdigyReadOptions { Exclusive = exclusive }, _output);
        var examples = reader.ReadFile(Answers).ToList();
        examples.AddRange(reader.Complete());
        return examples;
    }

    [Fact]
    public void EnterAcceptsThePreSelectionAndTheAnswerReadsBackAsGold()
    {
        var summary = Review(new ScriptedConsole().Type("\r\r"), Exclusive("refund please", 11, extra: ", \"custom\": {\"kept\": [1, 2]}"), Exclusive("it crashes", 12));

        Assert.Equal((2, 0, 0, 0), (summary.Accepted, summary.Rejected, summary.Ignored, summary.Remaining));
        var rows = AnswerRows();
        Assert.Equal("accept", rows[0].GetProperty("answer").GetString());
        Assert.Equal("review", rows[0].GetProperty("meta").GetProperty("source").GetString());
        Assert.Equal("teacher", rows[0].GetProperty("meta").GetProperty("model").GetString());
        Assert.Equal("uptrain-review", rows[0].GetProperty("_annotator_id").GetString());
        var start = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.InRange(rows[0].GetProperty("_timestamp").GetInt64(), start, start + 60);
        Assert.Equal("""{"kept":[1,2]}""", rows[0].GetProperty("custom").GetRawText());
        Assert.Equal(11, rows[0].GetProperty("_task_hash").GetInt64() - 1);
        var gold = Gold(exclusive: true);
        Assert.Equal(2, gold.Count);
        Assert.Equal(1.0, gold[0].Cats["billing"]);
        Assert.Equal(0.0, gold[0].Cats["bug"]);
        Assert.Equal(0.0, gold[0].Cats["other"]);
    }

    [Fact]
    public void ANumberKeyChoosesOneLabelOfAnExclusiveTask()
    {
        var console = new ScriptedConsole().Type("3" + "2\r");
        Review(console, Exclusive("it crashes when I pay", 21));

        var gold = Assert.Single(Gold(exclusive: true));
        Assert.Equal(1.0, gold.Cats["bug"]);
        Assert.Equal(0.0, gold.Cats["billing"]);
        Assert.Equal(0.0, gold.Cats["other"]);
    }

    [Fact]
    public void ThePreSelectedLabelsNumberKeepsItChosenInAnExclusiveTask()
    {
        // billing (1) is pre-selected: typing 1 chooses it again, it does not clear it (issue 20).
        var summary = Review(new ScriptedConsole().Type("1\r"), Exclusive("refund please", 22));
        Assert.Equal(1, summary.Accepted);
        Assert.Equal(1.0, Assert.Single(Gold(exclusive: true)).Cats["billing"]);

        // The same as a line: "1 a".
        File.Delete(Answers);
        summary = Review(new ScriptedConsole { CanReadKeys = false }.Lines("1 a"), Exclusive("refund again", 23));
        Assert.Equal(1, summary.Accepted);
        Assert.Equal(1.0, Assert.Single(Gold(exclusive: true)).Cats["billing"]);
    }

    [Fact]
    public void NumberKeysToggleLabelsOfAMultilabelTask()
    {
        // Task 1: 2 adds urgent to spam. Task 2: 1 removes spam, leaving none: all negative.
        Review(new ScriptedConsole().Type("2\r" + "1\r"), Multilabel("BUY NOW, today only", 31), Multilabel("see you at lunch", 32));

        var gold = Gold();
        Assert.Equal([1.0, 1.0], new[] { gold[0].Cats["spam"], gold[0].Cats["urgent"] });
        Assert.Equal([0.0, 0.0], new[] { gold[1].Cats["spam"], gold[1].Cats["urgent"] });
    }

    [Fact]
    public void XRejectsTheSelectedLabelAndLeavesTheOthersUnknown()
    {
        var summary = Review(new ScriptedConsole().Type("x"), Exclusive("my invoice is wrong", 41));

        Assert.Equal(1, summary.Rejected);
        Assert.Equal("reject", Assert.Single(AnswerRows()).GetProperty("answer").GetString());
        var gold = Assert.Single(Gold());
        Assert.Equal(0.0, gold.Cats["billing"]);
        Assert.False(gold.Cats.ContainsKey("bug"));
    }

    [Fact]
    public void SpaceSkipsWithAnIgnoreAnswerThatTeachesNothingAndIsNotShownAgain()
    {
        var summary = Review(new ScriptedConsole().Type(" "), Exclusive("hm", 51), Exclusive("refund", 52));

        Assert.Equal((1, 1), (summary.Ignored, summary.Remaining));
        Assert.Equal("ignore", Assert.Single(AnswerRows()).GetProperty("answer").GetString());
        Assert.Empty(Gold());

        var again = new ScriptedConsole().Type("\r");
        var resumed = Review(again, Exclusive("hm", 51), Exclusive("refund", 52));
        Assert.Equal((1, 1, 0), (resumed.AlreadyAnswered, resumed.Accepted, resumed.Remaining));
        Assert.Contains("Task 2 of 2", again.Written);
        Assert.DoesNotContain("hm", again.Written.Replace("Enter", string.Empty).Split('\n').Select(line => line.Trim()));
    }

    [Fact]
    public void UUndoesTheLastAnswerAndTheTaskIsAskedAgainWithItsSelection()
    {
        var console = new ScriptedConsole().Type("2\r" + "u" + "3\r" + "\r");
        var summary = Review(console, Exclusive("first", 61), Exclusive("second", 62));

        Assert.Equal((2, 1), (summary.Accepted, summary.Undone));
        Assert.Equal(2, AnswerRows().Count);
        Assert.Contains("(•) 2  bug", console.Written.Split("\u001b[2J").First(screen => screen.Contains("taken back", StringComparison.Ordinal)));
        var gold = Gold(exclusive: true);
        Assert.Equal(1.0, gold[0].Cats["other"]);
        Assert.Equal(1.0, gold[1].Cats["billing"]);
    }

    [Fact]
    public void TheLastAnswerCanBeTakenBackBeforeTheReviewEnds()
    {
        var console = new ScriptedConsole().Type("\r" + "u" + "x" + "\r");
        var summary = Review(console, Exclusive("only", 1));

        Assert.Contains("All 1 tasks are answered", console.Written, StringComparison.Ordinal);
        Assert.Equal((0, 1, 1, 0), (summary.Accepted, summary.Rejected, summary.Undone, summary.Remaining));
        Assert.Equal("reject", Assert.Single(AnswerRows()).GetProperty("answer").GetString());

        var lines = new ScriptedConsole { CanReadKeys = false }.Lines("a", "u", "s", "");
        var again = Review(lines, Exclusive("only", 1), Exclusive("next", 2));
        Assert.Equal((1, 0, 0), (again.Ignored, again.Accepted, again.Remaining));
        Assert.Contains("Type u to take back", lines.Written, StringComparison.Ordinal);
    }

    [Fact]
    public void UndoWithNothingAnsweredInThisSessionSaysSoAndChangesNothing()
    {
        var console = new ScriptedConsole().Type("u");
        var summary = Review(console, Exclusive("first", 71));

        Assert.Contains("Nothing to undo", console.Written);
        Assert.Equal((0, 1), (summary.Undone, summary.Remaining));
        Assert.False(File.Exists(Answers));
    }

    [Fact]
    public void UndoIsRefusedWhenAnotherWriterAppendedAfterTheLastAnswer()
    {
        var path = _dir.WriteLines("review.jsonl", Exclusive("first", 81), Exclusive("second", 82));
        var tasks = ReviewSession.ReadTasks(path, _output, CancellationToken.None);
        var console = new AppendingConsole(Answers).Type("\r" + "u" + "q");
        using (var session = new ReviewSession(console, Answers, new ReviewOptions(), _output))
        {
            var summary = session.Run(tasks, CancellationToken.None);
            Assert.Equal((1, 0), (summary.Accepted, summary.Undone));
        }
        Assert.Contains("Cannot undo", console.Written);
        Assert.Equal(2, AnswerRows().Count);
    }

    [Fact]
    public void QuitKeepsTheAnswersAndARestartGoesOnWhereItStopped()
    {
        var tasks = new[] { Exclusive("one", 91), Exclusive("two", 92), Exclusive("three", 93) };
        var first = Review(new ScriptedConsole().Type("\rq\r"), tasks);
        Assert.Equal((1, 2), (first.Accepted, first.Remaining));

        var console = new ScriptedConsole().Type("x\r");
        var second = Review(console, tasks);
        Assert.Equal((1, 1, 1, 0), (second.AlreadyAnswered, second.Rejected, second.Accepted, second.Remaining));
        Assert.Contains("Task 2 of 3", console.Written);
        Assert.Contains(_output.Verbose, message => message.StartsWith("1 tasks already have an answer", StringComparison.Ordinal));
        Assert.Equal(["accept", "reject", "accept"], AnswerRows().Select(row => row.GetProperty("answer").GetString()));
    }

    [Fact]
    public void TwoTextsWhoseInputHashesCollideAreTwoTasksAndResumeApart()
    {
        // The reviewer took tasks with one _input_hash for one input: the second text was never shown, and an answer
        // to the first counted for both on a restart (issue 19, 1).
        var (first, second) = Uptrain.Tests.Uptraining.UptrainRecordsTests.Colliding;
        var hash = Uptrain.Uptraining.UptrainHashes.InputHash(first);
        var tasks = new[] { Exclusive(first, hash), Exclusive(second, hash) };

        var once = Review(new ScriptedConsole().Type("\rq\r"), tasks);
        Assert.Equal((1, 1), (once.Accepted, once.Remaining));

        var again = Review(new ScriptedConsole().Type("\r"), tasks);
        Assert.Equal((1, 1, 0), (again.AlreadyAnswered, again.Accepted, again.Remaining));
        Assert.Equal([first, second], AnswerRows().Select(row => row.GetProperty("text").GetString()));
    }

    [Fact]
    public void TasksWithoutAnInputHashResumeByText()
    {
        const string task = """{"text": "no hash here", "options": [{"id": "a"}, {"id": "b"}], "accept": ["a"]}""";
        Review(new ScriptedConsole().Type("\r"), task);

        var again = Review(new ScriptedConsole(), task, """{"text": "another", "options": [{"id": "a"}, {"id": "b"}]}""");
        Assert.Equal((1, 1), (again.AlreadyAnswered, again.Remaining));
    }

    [Fact]
    public void EnterOnAnExclusiveTaskWithNoLabelChosenAsksForOne()
    {
        // A task with nothing pre-selected: Enter asks for a label, then 2 chooses bug.
        var console = new ScriptedConsole().Type("\r" + "2\r");
        Review(console, Exclusive("which one", 101).Replace("\"accept\": [\"billing\"]", "\"accept\": []", StringComparison.Ordinal));

        Assert.Contains("Choose a label first", console.Written);
        Assert.Equal(1.0, Assert.Single(Gold(exclusive: true)).Cats["bug"]);
    }

    [Fact]
    public void KeysWithoutACharacterAreIgnoredAndOthersAreExplained()
    {
        // Shift, Ctrl or an arrow alone reach the reviewer as a key without a character (hosts report key-downs).
        var console = new ScriptedConsole().Type("\0" + "\r");
        Review(console, Exclusive("one", 1));
        Assert.DoesNotContain("That key does nothing", console.Written, StringComparison.Ordinal);

        var other = new ScriptedConsole().Type("z" + "q");
        Review(other, Exclusive("two", 2));
        Assert.Contains("That key does nothing", other.Written, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreThanNineLabelsAreChosenByTwoDigits()
    {
        var options = string.Join(", ", Enumerable.Range(1, 12).Select(i => $$"""{"id": "L{{i}}"}"""));
        var task = $$"""{"text": "many labels", "options": [{{options}}], "accept": [], "config": {"choice_style": "multiple"}, "_input_hash": 5}""";
        var console = new ScriptedConsole { Height = 30 }.Type("12" + "03" + "\r");
        Review(console, task);

        Assert.Contains("[ ] 09  L9", console.Written);
        var gold = Assert.Single(Gold());
        Assert.Equal(["L12", "L3"], gold.Cats.Where(cat => cat.Value == 1.0).Select(cat => cat.Key).Order(StringComparer.Ordinal));
        Assert.Equal(0.0, gold.Cats["L1"]);
    }

    [Fact]
    public void LineInputTogglesWithNumbersAndAnswersWithLetters()
    {
        var console = new ScriptedConsole { CanReadKeys = false }
            .Lines("2", "", "what?", "x", "s", "u", "1 3 a", "q");
        var summary = Review(console, Multilabel("a", 111), Multilabel("b", 112), Multilabel("c", 113), Multilabel("d", 114));

        Assert.Equal((1, 1, 0, 1, 2), (summary.Accepted, summary.Rejected, summary.Ignored, summary.Undone, summary.Remaining));
        Assert.Contains("Not understood", console.Written);
        Assert.DoesNotContain('\u001b', console.Written);
        var gold = Gold();
        Assert.Equal([1.0, 1.0], new[] { gold[0].Cats["spam"], gold[0].Cats["urgent"] });
        Assert.Equal(0.0, gold[1].Cats["spam"]);
        Assert.False(gold[1].Cats.ContainsKey("urgent"));
        Assert.Equal(2, gold.Count);
        Assert.Equal(["accept", "reject"], AnswerRows().Select(row => row.GetProperty("answer").GetString()));
    }

    [Fact]
    public void ALongTextIsWrappedToANarrowWindow()
    {
        var words = Enumerable.Range(1, 60).Select(i => $"word{i}").ToArray();
        var console = new ScriptedConsole { Width = 31, Height = 60 }.Type("q");
        Review(console, Exclusive(string.Join(' ', words), 121));

        // The screen, up to the key legend (the closing message after it is left to the terminal to wrap).
        var screen = console.LastScreen.Replace("\u001b[2J\u001b[H", string.Empty).Split(Environment.NewLine);
        var lines = screen.TakeWhile(line => !line.StartsWith("Stopped", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count > 10);
        Assert.All(lines, line => Assert.True(line.Length <= 30, $"'{line}' is wider than 30 columns"));
        var shown = string.Join(' ', lines).Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(word => word.StartsWith("word", StringComparison.Ordinal));
        Assert.Equal(words, shown);
    }

    [Fact]
    public void TheReviewRunsOnTheAlternateScreenAndGivesTheTerminalBackEvenOnCtrlC()
    {
        var console = new ScriptedConsole { CancelAtEnd = true }.Type("\r");

        Assert.Throws<OperationCanceledException>(() => Review(console, Exclusive("one", 1), Exclusive("two", 2)));
        Assert.StartsWith("\u001b[?1049h\u001b[?25l", console.Written, StringComparison.Ordinal);
        Assert.EndsWith("\u001b[?25h\u001b[?1049l", console.Written, StringComparison.Ordinal);
        Assert.Single(AnswerRows());

        var plain = new ScriptedConsole { SupportsAnsi = false }.Type("q");
        Review(plain, Exclusive("one", 1), Exclusive("two", 2));
        Assert.DoesNotContain('\u001b', plain.Written);
    }

    [Fact]
    public void ATextTallerThanTheWindowIsCutWithACountOfTheLinesLeftOut()
    {
        var console = new ScriptedConsole { Width = 21, Height = 12 }.Type("q");
        Review(console, Exclusive(string.Join(' ', Enumerable.Range(1, 40).Select(i => $"w{i:00}")), 1));

        var screen = console.LastScreen.Replace(ReviewScreenClear, string.Empty).Split(Environment.NewLine);
        var shown = screen.TakeWhile(line => !line.StartsWith("Stopped", StringComparison.Ordinal)).Where(line => line.Length > 0).ToList();
        Assert.True(shown.Count <= 12, string.Join('|', shown));
        Assert.Contains(shown, line => line.StartsWith("… (", StringComparison.Ordinal) && line.Contains("more lines", StringComparison.Ordinal));
        Assert.Contains(shown, line => line.StartsWith(" (•) 1  billing", StringComparison.Ordinal));
    }

    private const string ReviewScreenClear = "\u001b[2J\u001b[H";

    [Fact]
    public void AnswersOfADifferentFileAreRefusedWhenTheOutputIsTheInput()
    {
        var path = _dir.WriteLines("review.jsonl", Exclusive("x", 1));
        var error = Assert.Throws<UptrainException>(() => ReviewSession.ThrowIfOutputIsInput(path, path));
        Assert.Equal("TargetIsInput", error.ErrorId);
        ReviewSession.ThrowIfOutputIsInput(path, Answers);
    }

    [Fact]
    public void AnAnswersFileInAMissingFolderIsRefusedBeforeAnythingIsShown()
    {
        var console = new ScriptedConsole().Type("\r");
        var missing = Path.Combine(_dir.Path, "no-such-folder", "answers.jsonl");

        var error = Assert.Throws<UptrainException>(() => new ReviewSession(console, missing, new ReviewOptions(), _output));
        Assert.Equal("DirectoryNotFound", error.ErrorId);
        var folder = Assert.Throws<UptrainException>(() => new ReviewSession(console, _dir.Path, new ReviewOptions(), _output));
        Assert.Equal("PathIsDirectory", folder.ErrorId);
        Assert.Empty(console.Written);
    }

    [Fact]
    public void ATaskWithoutOptionsIsARecordErrorAndTheOthersAreReviewed()
    {
        var path = _dir.WriteLines("review.jsonl", """{"text": "no options"}""", Exclusive("fine", 2));
        var tasks = ReviewSession.ReadTasks(path, _output, CancellationToken.None);

        Assert.Single(tasks);
        var error = Assert.Single(_output.Errors);
        Assert.Equal(("InvalidOptions", path + ":1"), (error.ErrorId, error.Target as string));
    }

    [Theory]
    [InlineData("""{"text": "strings", "options": ["A", "B"]}""", "InvalidOptions")]
    [InlineData("""{"text": "meta", "options": [{"id": "A"}, {"id": "B"}], "meta": "a note"}""", "InvalidTask")]
    [InlineData("""{"text": "config", "options": [{"id": "A"}, {"id": "B"}], "config": ["single"]}""", "InvalidTask")]
    [InlineData("""{"text": "scores", "options": [{"id": "A"}, {"id": "B"}], "meta": {"scores": [0.5, 0.5]}}""", "InvalidTask")]
    public void AMalformedTaskIsARecordErrorWithItsLineAndTheOthersAreReviewed(string line, string errorId)
    {
        // Options given as strings, or a meta or config that is not an object, threw "The node must be of type
        // 'JsonObject'" with no file:line, and no valid task was shown (issue 19, 7).
        var path = _dir.WriteLines("review.jsonl", Exclusive("before", 1), line, Exclusive("after", 2));
        var tasks = ReviewSession.ReadTasks(path, _output, CancellationToken.None);

        Assert.Equal(["before", "after"], tasks.Select(t => t.Text));
        var error = Assert.Single(_output.Errors);
        Assert.Equal((errorId, path + ":2"), (error.ErrorId, error.Target as string));
        Assert.StartsWith(path + ":2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheScreenSaysHowManyLinesOfTheTaskFilesWereSkipped()
    {
        // The errors of damaged task lines came only after the review screen closed (issue 19, 8): the screen says so.
        var path = _dir.WriteLines("review.jsonl", Exclusive("fine", 1), """{"text": "no options"}""", "not json");
        var tasks = ReviewSession.ReadTasks(path, _output, CancellationToken.None, out var skipped);
        var console = new ScriptedConsole().Type("\r");
        using (var session = new ReviewSession(console, Answers, new ReviewOptions { SkippedLines = skipped }, _output))
        {
            session.Run(tasks, CancellationToken.None);
        }

        Assert.Equal((2, 2), (skipped, _output.Errors.Count));
        Assert.Contains("2 lines of the task files were skipped", console.Written, StringComparison.Ordinal);
    }

    /// <summary>Plays keys, and appends a line of another writer to the answers file before the third key.</summary>
    private sealed class AppendingConsole(string answers) : IReviewConsole
    {
        private readonly ScriptedConsole _inner = new();
        private int _read;

        public bool CanReadKeys => true;

        public bool SupportsAnsi => false;

        public int Width => 80;

        public int Height => 24;

        public string Written => _inner.Written;

        public AppendingConsole Type(string keys)
        {
            _inner.Type(keys);
            return this;
        }

        public ConsoleKeyInfo? ReadKey(CancellationToken cancellationToken)
        {
            if (++_read == 2)
            {
                File.AppendAllText(answers, Exclusive("from another writer", 999).Replace("\"_view_id\"", "\"answer\": \"accept\", \"_view_id\"") + "\n");
            }
            return _inner.ReadKey(cancellationToken);
        }

        public string? ReadLine(CancellationToken cancellationToken) => null;

        public void Write(string text) => _inner.Write(text);
    }
}
