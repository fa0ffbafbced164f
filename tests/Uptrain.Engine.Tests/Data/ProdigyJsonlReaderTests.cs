using Uptrain.Data;
using Uptrain.Diagnostics;

namespace Uptrain.Tests.Data;

public sealed class ProdigyJsonlReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private (List<TextcatExample> Examples, CollectingOutputWriter Output, string Path) Read(
        ProdigyReadOptions options, params string[] lines)
    {
        var path = _dir.WriteLines("in.jsonl", lines);
        var output = new CollectingOutputWriter();
        var reader = new ProdigyJsonlReader(options, output);
        var examples = reader.ReadFile(path).ToList();
        examples.AddRange(reader.Complete());
        return (examples, output, path);
    }

    private (List<TextcatExample> Examples, CollectingOutputWriter Output, string Path) Read(params string[] lines) =>
        Read(new ProdigyReadOptions(), lines);

    private static TextcatExample Single(List<TextcatExample> examples) => Assert.Single(examples);

    [Theory]
    [InlineData("accept", 1.0)]
    [InlineData("reject", 0.0)]
    public void BinaryAnswerSetsTheLabel(string answer, double expected)
    {
        var (examples, output, _) = Read($$"""{"text":"good","label":"POS","answer":"{{answer}}"}""");

        var example = Single(examples);
        Assert.Equal(new Dictionary<string, double> { ["POS"] = expected }, example.Cats);
        Assert.Equal([answer], example.Answers);
        Assert.Empty(output.Errors);
    }

    [Fact]
    public void ChoiceViewRowWithOnlyALabelIsBinary()
    {
        var (examples, _, _) = Read(
            """{"text":"a","label":"X","_view_id":"choice","answer":"reject"}""",
            """{"text":"b","label":"X","_view_id":"choice","answer":"accept"}""");

        Assert.Equal(0.0, examples[0].Cats["X"]);
        Assert.Equal(1.0, examples[1].Cats["X"]);
        Assert.All(examples, e => Assert.Single(e.Cats));
    }

    [Fact]
    public void ChoiceAcceptSetsChosenOptionsOneAndOthersZero()
    {
        var (examples, _, _) = Read(
            """{"text":"t","options":[{"id":"A","text":"A"},{"id":"B","text":"B"},{"id":"C","text":"C"}],"accept":["A","C"],"answer":"accept","_view_id":"choice"}""");

        Assert.Equal(new Dictionary<string, double> { ["A"] = 1, ["B"] = 0, ["C"] = 1 }, Single(examples).Cats);
    }

    [Theory]
    [InlineData("\"accept\":[],")]
    [InlineData("")]
    public void ChoiceAcceptWithEmptyOrMissingAcceptMeansNoneApplies(string accept)
    {
        var (examples, _, _) = Read(
            "{\"text\":\"t\",\"options\":[{\"id\":\"A\",\"text\":\"A\"},{\"id\":\"B\",\"text\":\"B\"}]," + accept + "\"answer\":\"accept\"}");

        Assert.Equal(new Dictionary<string, double> { ["A"] = 0, ["B"] = 0 }, Single(examples).Cats);
    }

    [Fact]
    public void ChoiceRejectSetsChosenOptionsZeroAndLeavesOthersUnknown()
    {
        var (examples, _, _) = Read(
            """{"text":"t","options":[{"id":"A","text":"A"},{"id":"B","text":"B"}],"accept":["A"],"answer":"reject","_view_id":"choice"}""");

        Assert.Equal(new Dictionary<string, double> { ["A"] = 0 }, Single(examples).Cats);
    }

    [Fact]
    public void BlocksRowWithOptionsIsAChoiceTask()
    {
        var (examples, _, _) = Read(
            """{"text":"t","options":[{"id":"A","text":"A"},{"id":"B","text":"B"}],"accept":["B"],"answer":"accept","_view_id":"blocks","label":"IGNORED"}""");

        Assert.Equal(new Dictionary<string, double> { ["A"] = 0, ["B"] = 1 }, Single(examples).Cats);
    }

    [Fact]
    public void NumericOptionIdsBecomeLabelsAsText()
    {
        var (examples, _, _) = Read(
            """{"text":"t","options":[{"id":1,"text":"one"},{"id":2,"text":"two"}],"accept":[2],"answer":"accept"}""");

        Assert.Equal(new Dictionary<string, double> { ["1"] = 0, ["2"] = 1 }, Single(examples).Cats);
    }

    [Fact]
    public void RowWithoutLabelOrOptionsIsAnUnlabelledExample()
    {
        var (examples, output, _) = Read("""{"text":"plain","answer":"accept"}""");

        Assert.Empty(Single(examples).Cats);
        Assert.Empty(output.Errors);
    }

    [Fact]
    public void IgnoredRowsAreDroppedSilently()
    {
        var (examples, output, _) = Read(
            """{"text":"skip me","label":"X","answer":"ignore"}""",
            """{"label":"X","answer":"ignore"}""",
            """{"text":"keep","label":"X","answer":"accept"}""");

        Assert.Equal("keep", Single(examples).Text);
        Assert.Empty(output.Errors);
    }

    [Fact]
    public void IgnoredRowDoesNotCountInAMerge()
    {
        var (examples, _, _) = Read(
            """{"text":"t","label":"X","answer":"ignore","_input_hash":5}""",
            """{"text":"t","label":"X","answer":"accept","_input_hash":5}""");

        var example = Single(examples);
        Assert.Equal(["accept"], example.Answers);
        Assert.EndsWith(":2", example.Source);
    }

    [Fact]
    public void MalformedLinesAreReportedWithFileAndLineAndLaterLinesStillRead()
    {
        var (examples, output, path) = Read(
            """{"text":"first","label":"X","answer":"accept"}""",
            """{"text": not json""",
            """["an","array"]""",
            """{"label":"X","answer":"accept"}""",
            """{"text":42,"label":"X","answer":"accept"}""",
            "",
            "   ",
            """{"text":"last","label":"X","answer":"reject"}""");

        Assert.Equal(["first", "last"], examples.Select(e => e.Text));
        Assert.Equal(path + ":8", examples[1].Source);
        Assert.Collection(
            output.Errors,
            e => AssertError(e, "InvalidJsonLine", ErrorKind.ParserError, path, 2),
            e => AssertError(e, "InvalidJsonLine", ErrorKind.ParserError, path, 3),
            e => AssertError(e, "MissingText", ErrorKind.InvalidData, path, 4),
            e => AssertError(e, "MissingText", ErrorKind.InvalidData, path, 5));

        // The message names the line once, and the place within it: not System.Text.Json's "LineNumber: 0" (issue 20).
        var parse = output.Errors[0].Message;
        Assert.DoesNotContain("LineNumber", parse, StringComparison.Ordinal);
        Assert.Contains(path + ":2", parse, StringComparison.Ordinal);
        Assert.Contains("(at byte 11 of the line)", parse, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"text":"t","label":"X"}""")]
    [InlineData("""{"text":"t","label":"X","answer":"maybe"}""")]
    [InlineData("""{"text":"t","label":"X","answer":1}""")]
    public void MissingOrUnknownAnswerIsAnError(string line)
    {
        var (examples, output, path) = Read(line, """{"text":"ok","answer":"accept"}""");

        Assert.Equal("ok", Single(examples).Text);
        AssertError(Assert.Single(output.Errors), "InvalidAnswer", ErrorKind.InvalidData, path, 1);
    }

    [Fact]
    public void AFileOfUnansweredTasksIsNamedAsSuchOnceAndNotAnErrorPerLine()
    {
        // The review file Select-UptrainExample -ReviewPath writes: choice tasks, the teacher's label pre-selected, no answer.
        const string Task = """{"text":"t%","options":[{"id":"A","text":"A"},{"id":"B","text":"B"}],"accept":["A"],"_input_hash":%}""";
        var (examples, output, path) = Read(Task.Replace("%", "1", StringComparison.Ordinal), Task.Replace("%", "2", StringComparison.Ordinal), Task.Replace("%", "3", StringComparison.Ordinal));

        Assert.Empty(examples);
        Assert.Empty(output.Errors);
        var warning = Assert.Single(output.Warnings);
        Assert.Contains(path, warning, StringComparison.Ordinal);
        Assert.Contains("Invoke-TextcatReview", warning, StringComparison.Ordinal);
        Assert.Contains("3", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedOptionsAreAnError()
    {
        var (examples, output, path) = Read("""{"text":"t","options":"A","answer":"accept"}""");

        Assert.Empty(examples);
        AssertError(Assert.Single(output.Errors), "InvalidOptions", ErrorKind.InvalidData, path, 1);
    }

    [Fact]
    public void RowsWithTheSameInputHashAreMerged()
    {
        var (examples, _, path) = Read(
            """{"text":"same","label":"X","answer":"accept","_input_hash":-1234567890123,"meta":{"id":1},"_annotator_id":"ann-a"}""",
            """{"text":"other","label":"X","answer":"accept","_input_hash":77}""",
            """{"text":"same","label":"Y","answer":"reject","_input_hash":-1234567890123,"meta":{"id":2},"_annotator_id":"ann-b"}""");

        Assert.Equal(2, examples.Count);
        var merged = examples[0];
        Assert.Equal(-1234567890123L, merged.InputHash);
        Assert.Equal(new Dictionary<string, double> { ["X"] = 1, ["Y"] = 0 }, merged.Cats);
        Assert.Equal(["accept", "reject"], merged.Answers);
        Assert.Equal(["ann-a", "ann-b"], merged.Annotators);
        Assert.Equal(1L, merged.Meta["id"]);
        Assert.Equal(path + ":1", merged.Source);
        Assert.Equal("other", examples[1].Text);
    }

    [Fact]
    public void RowsWithTheSameInputHashButDifferentTextsAreNotMergedAndTheCollisionIsNamed()
    {
        // Two questions whose 32-bit hashes collide were merged: one disappeared and the other lost its label under an
        // "annotators disagree" warning (issue 19, 1). Different texts are different inputs, whatever their hash.
        var (examples, output, path) = Read(
            """{"text":"what is the refund policy for order 26017?","label":"X","answer":"accept","_input_hash":-1918516208}""",
            """{"text":"what is the refund policy for order 70821?","label":"X","answer":"reject","_input_hash":-1918516208}""",
            """{"text":"what is the refund policy for order 70821?","label":"Y","answer":"accept","_input_hash":-1918516208}""");

        Assert.Equal(2, examples.Count);
        Assert.Equal(new Dictionary<string, double> { ["X"] = 1 }, examples[0].Cats);
        Assert.Equal(new Dictionary<string, double> { ["X"] = 0, ["Y"] = 1 }, examples[1].Cats);
        Assert.All(examples, e => Assert.Equal(-1918516208L, e.InputHash));
        var warning = Assert.Single(output.Warnings);
        Assert.Contains(path + ":1", warning, StringComparison.Ordinal);
        Assert.Contains(path + ":2", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("disagree", warning, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void RowsWithDifferentHashesAreNotMergedEvenWithTheSameText()
    {
        var (examples, _, _) = Read(
            """{"text":"same","label":"X","answer":"accept","_input_hash":1}""",
            """{"text":"same","label":"X","answer":"reject","_input_hash":2}""");

        Assert.Equal(2, examples.Count);
        Assert.Equal([1L, 2L], examples.Select(e => e.InputHash!.Value));
    }

    [Fact]
    public void RowsWithoutHashAreMergedByExactText()
    {
        var (examples, _, _) = Read(
            """{"text":"same","label":"X","answer":"accept"}""",
            """{"text":"Same","label":"X","answer":"accept"}""",
            """{"text":"same","label":"Y","answer":"accept"}""");

        Assert.Equal(["same", "Same"], examples.Select(e => e.Text));
        Assert.Equal(new Dictionary<string, double> { ["X"] = 1, ["Y"] = 1 }, examples[0].Cats);
        Assert.Null(examples[0].InputHash);
    }

    [Theory]
    [InlineData(ConflictPolicy.Majority, "1", false)]
    [InlineData(ConflictPolicy.Drop, null, true)]
    [InlineData(ConflictPolicy.Latest, "0", false)]
    public void ThreeAnnotatorsThatDisagreeFollowThePolicy(ConflictPolicy policy, string? expected, bool warns)
    {
        var (examples, output, _) = Read(
            new ProdigyReadOptions { ConflictPolicy = policy },
            """{"text":"t","label":"X","answer":"accept","_input_hash":9,"_annotator_id":"a"}""",
            """{"text":"t","label":"X","answer":"accept","_input_hash":9,"_annotator_id":"b"}""",
            """{"text":"t","label":"X","answer":"reject","_input_hash":9,"_annotator_id":"c"}""");

        var example = Single(examples);
        Assert.Equal(["a", "b", "c"], example.Annotators);
        if (expected is null)
        {
            Assert.Empty(example.Cats);
        }
        else
        {
            Assert.Equal(double.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), example.Cats["X"]);
        }
        Assert.Equal(warns, output.Warnings.Count == 1);
        Assert.Empty(output.Errors);
    }

    [Fact]
    public void LatestFollowsInputOrderPerLabel()
    {
        var (examples, _, _) = Read(
            new ProdigyReadOptions { ConflictPolicy = ConflictPolicy.Latest },
            """{"text":"t","label":"X","answer":"reject"}""",
            """{"text":"t","label":"Y","answer":"accept"}""",
            """{"text":"t","label":"X","answer":"accept"}""",
            """{"text":"t","label":"Y","answer":"reject"}""");

        Assert.Equal(new Dictionary<string, double> { ["X"] = 1, ["Y"] = 0 }, Single(examples).Cats);
    }

    [Fact]
    public void MajorityTieLeavesTheLabelUnknownAndWarns()
    {
        var (examples, output, path) = Read(
            """{"text":"a tied text","label":"X","answer":"accept","_input_hash":3}""",
            """{"text":"a tied text","label":"Y","answer":"accept","_input_hash":3}""",
            """{"text":"a tied text","label":"X","answer":"reject","_input_hash":3}""");

        Assert.Equal(new Dictionary<string, double> { ["Y"] = 1 }, Single(examples).Cats);
        var warning = Assert.Single(output.Warnings);
        Assert.Contains("'X'", warning);
        Assert.Contains(path + ":1", warning);
        Assert.Contains("a tied text", warning);
    }

    [Fact]
    public void ChoiceRowsFromSeveralAnnotatorsMergePerLabel()
    {
        const string Options = """[{"id":"A","text":"A"},{"id":"B","text":"B"}]""";
        var (examples, output, _) = Read(
            $$"""{"text":"t","options":{{Options}},"accept":["A"],"answer":"accept","_session_id":"s1"}""",
            $$"""{"text":"t","options":{{Options}},"accept":["A"],"answer":"accept","_session_id":"s2"}""",
            $$"""{"text":"t","options":{{Options}},"accept":["B"],"answer":"accept","_session_id":"s1"}""");

        var example = Single(examples);
        Assert.Equal(new Dictionary<string, double> { ["A"] = 1, ["B"] = 0 }, example.Cats);
        Assert.Equal(["s1", "s2"], example.Annotators);
        Assert.Empty(output.Warnings);
    }

    [Fact]
    public void MetaIsConvertedToPlainValues()
    {
        var (examples, _, _) = Read(
            """{"text":"t","answer":"accept","meta":{"s":"x","i":3,"d":1.5,"whole":2.0,"b":true,"n":null,"o":{"k":[1,"two",false]}}}""");

        var meta = Single(examples).Meta;
        Assert.Equal("x", meta["s"]);
        Assert.Equal(3L, meta["i"]);
        Assert.Equal(1.5, meta["d"]);
        Assert.Equal(2.0, Assert.IsType<double>(meta["whole"]));
        Assert.Equal(true, meta["b"]);
        Assert.Null(meta["n"]);
        var nested = Assert.IsType<Dictionary<string, object?>>(meta["o"]);
        Assert.Equal(new List<object?> { 1L, "two", false }, Assert.IsType<List<object?>>(nested["k"]));
    }

    [Fact]
    public void ExclusiveLeavesOutExamplesWithoutExactlyOnePositiveAndZeroFillsTheRest()
    {
        var (examples, output, path) = Read(
            new ProdigyReadOptions { Exclusive = true },
            """{"text":"one","label":"A","answer":"accept"}""",
            """{"text":"none","label":"B","answer":"reject"}""",
            """{"text":"two","options":[{"id":"A"},{"id":"B"},{"id":"C"}],"accept":["A","B"],"answer":"accept"}""",
            """{"text":"choice","options":[{"id":"A"},{"id":"B"},{"id":"C"}],"accept":["C"],"answer":"accept"}""");

        Assert.Equal(["one", "choice"], examples.Select(e => e.Text));
        Assert.Equal(new Dictionary<string, double> { ["A"] = 1, ["B"] = 0, ["C"] = 0 }, examples[0].Cats);
        Assert.Equal(new Dictionary<string, double> { ["A"] = 0, ["B"] = 0, ["C"] = 1 }, examples[1].Cats);
        Assert.Collection(
            output.Errors,
            e => AssertError(e, "NotExclusive", ErrorKind.InvalidData, path, 2),
            e => AssertError(e, "NotExclusive", ErrorKind.InvalidData, path, 3));
    }

    [Fact]
    public void ExclusiveZeroFillsDeclaredLabelsThatNoRowNames()
    {
        var (examples, _, _) = Read(
            new ProdigyReadOptions { Exclusive = true, Labels = ["A", "D"] },
            """{"text":"one","label":"A","answer":"accept"}""");

        Assert.Equal(new Dictionary<string, double> { ["A"] = 1, ["D"] = 0 }, Single(examples).Cats);
    }

    [Fact]
    public void ExclusiveIsCheckedAfterMerging()
    {
        var (examples, output, _) = Read(
            new ProdigyReadOptions { Exclusive = true },
            """{"text":"t","label":"A","answer":"reject"}""",
            """{"text":"t","label":"B","answer":"accept"}""");

        Assert.Equal(new Dictionary<string, double> { ["A"] = 0, ["B"] = 1 }, Single(examples).Cats);
        Assert.Empty(output.Errors);
    }

    [Fact]
    public void DeclaredLabelsRestrictTheVotesAndReportEachOtherLabelOnce()
    {
        var (examples, output, _) = Read(
            new ProdigyReadOptions { Labels = ["A", "Z"] },
            """{"text":"t1","options":[{"id":"A"},{"id":"B"}],"accept":["B"],"answer":"accept"}""",
            """{"text":"t2","label":"B","answer":"accept"}""",
            """{"text":"t3","label":"A","answer":"accept"}""");

        Assert.Equal(new Dictionary<string, double> { ["A"] = 0 }, examples[0].Cats);
        Assert.Empty(examples[1].Cats);
        Assert.Equal(new Dictionary<string, double> { ["A"] = 1 }, examples[2].Cats);
        Assert.Contains("'B'", Assert.Single(output.Verbose));
    }

    [Fact]
    public void LabelSetHoldsDeclaredThenSeenLabels()
    {
        var path = _dir.WriteLines("in.jsonl", """{"text":"t","label":"B","answer":"accept"}""");
        var reader = new ProdigyJsonlReader(new ProdigyReadOptions { Labels = ["Z", "B"] }, new CollectingOutputWriter());
        _ = reader.ReadFile(path);

        Assert.Equal(["Z", "B"], reader.LabelSet);
    }

    [Fact]
    public void NoMergeStreamsOneExamplePerRowWithoutMerging()
    {
        var path = _dir.WriteLines(
            "in.jsonl",
            """{"text":"t","label":"X","answer":"accept","_input_hash":1}""",
            """{"text":"t","label":"X","answer":"reject","_input_hash":1}""",
            """not json""");
        var output = new CollectingOutputWriter();
        var reader = new ProdigyJsonlReader(new ProdigyReadOptions { NoMerge = true }, output);

        using var enumerator = reader.ReadFile(path).GetEnumerator();
        Assert.True(enumerator.MoveNext());
        Assert.Equal(1.0, enumerator.Current.Cats["X"]);
        Assert.Empty(output.Errors); // line 3 has not been read yet
        Assert.True(enumerator.MoveNext());
        Assert.Equal(0.0, enumerator.Current.Cats["X"]);
        Assert.Equal(path + ":2", enumerator.Current.Source);
        Assert.False(enumerator.MoveNext());
        Assert.Single(output.Errors);
        Assert.Empty(reader.Complete());
    }

    [Fact]
    public void NoMergeExclusiveZeroFillsWithTheLabelsSeenSoFar()
    {
        var (examples, _, _) = Read(
            new ProdigyReadOptions { NoMerge = true, Exclusive = true },
            """{"text":"a","label":"A","answer":"accept"}""",
            """{"text":"b","label":"B","answer":"accept"}""");

        Assert.Equal(new Dictionary<string, double> { ["A"] = 1 }, examples[0].Cats);
        Assert.Equal(new Dictionary<string, double> { ["B"] = 1, ["A"] = 0 }, examples[1].Cats);
    }

    [Fact]
    public void MergingSpansFilesAndPipedLines()
    {
        var first = _dir.WriteLines("a.jsonl", """{"text":"t","label":"X","answer":"accept","_input_hash":4}""");
        var second = _dir.WriteLines("b.jsonl", """{"text":"t","label":"Y","answer":"accept","_input_hash":4}""");
        var reader = new ProdigyJsonlReader(new ProdigyReadOptions(), new CollectingOutputWriter());

        Assert.Empty(reader.ReadFile(first));
        Assert.Empty(reader.ReadFile(second));
        Assert.Empty(reader.AddLine("""{"text":"t","label":"Z","answer":"reject","_input_hash":4}""", "pipeline", 1));
        Assert.Empty(reader.AddLine("""{"text":"u","answer":"accept"}""", "pipeline", 2));
        var examples = reader.Complete().ToList();

        Assert.Equal(2, examples.Count);
        Assert.Equal(new Dictionary<string, double> { ["X"] = 1, ["Y"] = 1, ["Z"] = 0 }, examples[0].Cats);
        Assert.Equal(first + ":1", examples[0].Source);
        Assert.Equal("pipeline:2", examples[1].Source);
    }

    [Fact]
    public void AddLineWithNoMergeReturnsTheExampleAtOnce()
    {
        var reader = new ProdigyJsonlReader(new ProdigyReadOptions { NoMerge = true }, new CollectingOutputWriter());

        var example = Assert.Single(reader.AddLine("""{"text":"t","label":"X","answer":"accept"}""", "pipeline", 7));
        Assert.Equal("pipeline:7", example.Source);
    }

    [Fact]
    public void ReaderTakesNoInputAfterComplete()
    {
        var reader = new ProdigyJsonlReader(new ProdigyReadOptions(), new CollectingOutputWriter());
        _ = reader.Complete().ToList();

        Assert.Throws<InvalidOperationException>(() => reader.AddLine("{}", "x", 1));
    }

    [Fact]
    public void MissingFileIsATerminatingError()
    {
        var reader = new ProdigyJsonlReader(new ProdigyReadOptions(), new CollectingOutputWriter());

        var exception = Assert.Throws<UptrainException>(() => reader.ReadFile(_dir.File("nope.jsonl")));
        Assert.Equal("FileNotFound", exception.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, exception.Kind);
    }

    internal static void AssertError(RecordError error, string id, ErrorKind kind, string path, int line)
    {
        Assert.Equal(id, error.ErrorId);
        Assert.Equal(kind, error.Kind);
        Assert.Equal($"{path}:{line}", error.Target);
        Assert.Contains($"{path}:{line}", error.Message);
    }
}
