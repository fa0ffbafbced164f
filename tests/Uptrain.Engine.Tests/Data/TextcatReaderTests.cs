using System.Text;
using Uptrain.Data;
using Uptrain.Diagnostics;
using static Uptrain.Tests.Data.ProdigyJsonlReaderTests;

namespace Uptrain.Tests.Data;

public sealed class TextcatReaderTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CollectingOutputWriter _output = new();

    public void Dispose() => _dir.Dispose();

    private List<TextcatExample> Read(string path, TextcatReadOptions? options = null) =>
        TextcatReader.Read(path, options ?? new TextcatReadOptions(), _output).ToList();

    [Theory]
    [InlineData("a.csv", "text,label", TextcatFormat.Csv)]
    [InlineData("a.TSV", "text\tlabel", TextcatFormat.Csv)]
    [InlineData("a.txt", """{"cats":{}}""", TextcatFormat.Text)]
    [InlineData("a.jsonl", """{"text":"x","cats":{"A":1.0}}""", TextcatFormat.SpacyJsonl)]
    [InlineData("a.jsonl", """["x",{"cats":{"A":1.0}}]""", TextcatFormat.SpacyTuple)]
    [InlineData("a.json", "[\n  [\"x\", {\"cats\": {}}]\n]", TextcatFormat.SpacyTuple)]
    [InlineData("a.jsonl", """{"text":"x","answer":"accept"}""", TextcatFormat.ProdigyJsonl)]
    [InlineData("a.jsonl", """{"text":"x","_input_hash":1}""", TextcatFormat.ProdigyJsonl)]
    [InlineData("a.jsonl", """{"text":"x","options":[]}""", TextcatFormat.ProdigyJsonl)]
    [InlineData("a.json", """{"text":"x","label":"A"}""", TextcatFormat.ProdigyJsonl)]
    [InlineData("a.jsonl", "\n   \n{\"text\":\"x\",\"cats\":{}}", TextcatFormat.SpacyJsonl)]
    public void DetectsTheFormat(string name, string content, TextcatFormat expected)
    {
        Assert.Equal(expected, TextcatReader.Detect(_dir.Write(name, content)));
    }

    [Theory]
    [InlineData("""{"text":"x"}""")]
    [InlineData("just some text")]
    [InlineData("{\n  \"text\": \"pretty\"\n}")]
    [InlineData("")]
    [InlineData("  \n \n")]
    public void UnknownContentIsATerminatingError(string content)
    {
        var path = _dir.Write("a.jsonl", content);

        var exception = Assert.Throws<UptrainException>(() => TextcatReader.Detect(path));
        Assert.Equal("UnknownFormat", exception.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, exception.Kind);
        Assert.Contains(path, exception.Message);
        Assert.Throws<UptrainException>(() => TextcatReader.Read(path, new TextcatReadOptions(), _output));
    }

    [Fact]
    public void MissingFileIsATerminatingError()
    {
        var exception = Assert.Throws<UptrainException>(() => TextcatReader.Read(_dir.File("none.csv"), new(), _output));
        Assert.Equal("FileNotFound", exception.ErrorId);
    }

    [Fact]
    public void AutoReadsProdigyWithItsOptions()
    {
        var path = _dir.WriteLines(
            "db.jsonl",
            """{"text":"t","label":"A","answer":"accept","_input_hash":1}""",
            """{"text":"t","label":"B","answer":"reject","_input_hash":1}""");

        var examples = Read(path, new TextcatReadOptions { Prodigy = new ProdigyReadOptions { Labels = ["A"] } });

        var example = Assert.Single(examples);
        Assert.Equal(new Dictionary<string, double> { ["A"] = 1 }, example.Cats);
        Assert.Equal(1L, example.InputHash);
    }

    [Fact]
    public void ReadsSpacyJsonl()
    {
        var path = _dir.WriteLines(
            "s.jsonl",
            """{"text":"one","cats":{"A":1.0,"B":0.0,"C":true,"D":false,"E":null},"meta":{"id":"x1","n":2}}""",
            """{"text":"two"}""",
            """{"text":"three","cats":{"A":0.25}}""");

        var examples = Read(path);

        Assert.Equal(3, examples.Count);
        Assert.Equal(new Dictionary<string, double> { ["A"] = 1, ["B"] = 0, ["C"] = 1, ["D"] = 0 }, examples[0].Cats);
        Assert.Equal("x1", examples[0].Meta["id"]);
        Assert.Equal(2L, examples[0].Meta["n"]);
        Assert.Equal(path + ":1", examples[0].Source);
        Assert.Empty(examples[1].Cats);
        Assert.Equal(0.25, examples[2].Cats["A"]);
        Assert.Empty(_output.Errors);
    }

    [Fact]
    public void SpacyJsonlBadRecordsAreReportedAndTheRestIsRead()
    {
        var path = _dir.WriteLines(
            "s.jsonl",
            """{"text":"ok1","cats":{"A":1}}""",
            """{"text":"bad","cats":{"A":2}}""",
            """{"text":"bad","cats":{"A":"yes"}}""",
            """{"cats":{"A":1}}""",
            """{oops""",
            """{"text":"bad","cats":[1]}""",
            "",
            """{"text":"ok2","cats":{"A":0}}""");

        var examples = Read(path);

        Assert.Equal(["ok1", "ok2"], examples.Select(e => e.Text));
        Assert.Collection(
            _output.Errors,
            e => AssertError(e, "InvalidLabelValue", ErrorKind.InvalidData, path, 2),
            e => AssertError(e, "InvalidLabelValue", ErrorKind.InvalidData, path, 3),
            e => AssertError(e, "MissingText", ErrorKind.InvalidData, path, 4),
            e => AssertError(e, "InvalidJsonLine", ErrorKind.ParserError, path, 5),
            e => AssertError(e, "InvalidCats", ErrorKind.InvalidData, path, 6));
    }

    [Fact]
    public void ReadsSpacyTuplesOnePerLine()
    {
        var path = _dir.WriteLines(
            "t.jsonl",
            """["first",{"cats":{"A":1.0,"B":0.0}}]""",
            """["second",{}]""",
            """[1,{"cats":{}}]""",
            """["third",{"cats":{"B":1}}]""");

        var examples = Read(path);

        Assert.Equal(["first", "second", "third"], examples.Select(e => e.Text));
        Assert.Equal(new Dictionary<string, double> { ["A"] = 1, ["B"] = 0 }, examples[0].Cats);
        Assert.Equal(path + ":4", examples[2].Source);
        AssertError(Assert.Single(_output.Errors), "InvalidTuple", ErrorKind.InvalidData, path, 3);
    }

    [Fact]
    public void ReadsAWholeFileArrayOfTuplesWithLineNumbers()
    {
        var path = _dir.Write(
            "t.json",
            """
            [
              ["first", {"cats": {"A": 1.0}}],
              ["multi\nline", {}],
              {"not": "a pair"},
              [
                "third",
                {"cats": {"A": 0.0}}
              ]
            ]
            """);

        var examples = Read(path);

        Assert.Equal(["first", "multi\nline", "third"], examples.Select(e => e.Text));
        Assert.Equal([path + ":2", path + ":3", path + ":5"], examples.Select(e => e.Source));
        AssertError(Assert.Single(_output.Errors), "InvalidTuple", ErrorKind.InvalidData, path, 4);
    }

    [Fact]
    public void StreamsALargeArrayAcrossBufferBoundaries()
    {
        var builder = new StringBuilder("\uFEFF[");
        const int Count = 3000;
        for (var i = 0; i < Count; i++)
        {
            // Every 1000th text is longer than the read buffer, so the buffer must grow.
            var text = i % 1000 == 999 ? new string('é', 70_000) : $"text {i} \"quoted\" ünïcode";
            builder.Append(i == 0 ? "" : ",").Append('\n')
                .Append("[\"").Append(text.Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\",{\"cats\":{\"A\":")
                .Append(i % 2).Append("}}]");
        }
        builder.Append("\n]\n");
        var path = _dir.Write("big.json", builder.ToString());

        var examples = Read(path, new TextcatReadOptions { Format = TextcatFormat.SpacyTuple });

        Assert.Equal(Count, examples.Count);
        Assert.Empty(_output.Errors);
        Assert.Equal("text 0 \"quoted\" ünïcode", examples[0].Text);
        Assert.Equal(70_000, examples[999].Text.Length);
        Assert.Equal(1.0, examples[2999].Cats["A"]);
        Assert.Equal(path + ":3001", examples[2999].Source);
    }

    [Fact]
    public void ABrokenArrayIsReportedAfterTheElementsBeforeIt()
    {
        var path = _dir.Write("t.json", "[\n[\"ok\", {\"cats\": {}}],\n[\"broken\", {\"cats\": }]\n]");

        var examples = Read(path);

        Assert.Equal("ok", Assert.Single(examples).Text);
        var error = Assert.Single(_output.Errors);
        Assert.Equal("InvalidJson", error.ErrorId);
        Assert.Equal(ErrorKind.ParserError, error.Kind);
        Assert.Equal(path + ":3", error.Target);
    }

    [Fact]
    public void AnUnclosedArrayIsReported()
    {
        var path = _dir.Write("t.json", "[[\"ok\", {}],\n");

        var examples = Read(path, new TextcatReadOptions { Format = TextcatFormat.SpacyTuple });

        Assert.Single(examples);
        Assert.Equal("InvalidJson", Assert.Single(_output.Errors).ErrorId);
    }

    [Fact]
    public void ReadsCsvWithOneColumnPerLabel()
    {
        var path = _dir.WriteLines(
            "d.csv",
            "text,A,B,C",
            "first,1,0,",
            "second,1.0,0.0,TRUE",
            "third,false, true ,");

        var examples = Read(path);

        Assert.Equal(new Dictionary<string, double> { ["A"] = 1, ["B"] = 0 }, examples[0].Cats);
        Assert.Equal(new Dictionary<string, double> { ["A"] = 1, ["B"] = 0, ["C"] = 1 }, examples[1].Cats);
        Assert.Equal(new Dictionary<string, double> { ["A"] = 0, ["B"] = 1 }, examples[2].Cats);
        Assert.Equal([path + ":2", path + ":3", path + ":4"], examples.Select(e => e.Source));
    }

    [Fact]
    public void CsvBadLabelValuesAreReportedAndTheRestIsRead()
    {
        var path = _dir.WriteLines(
            "d.csv",
            "text,A",
            "one,1",
            "two,yes",
            "three,2",
            "four,0");

        var examples = Read(path);

        Assert.Equal(["one", "four"], examples.Select(e => e.Text));
        Assert.Collection(
            _output.Errors,
            e => AssertError(e, "InvalidLabelValue", ErrorKind.InvalidData, path, 3),
            e => AssertError(e, "InvalidLabelValue", ErrorKind.InvalidData, path, 4));
        Assert.Contains("yes", _output.Errors[0].Message);
    }

    [Fact]
    public void ReadsCsvWithALabelColumnOfLabelNames()
    {
        var path = _dir.WriteLines(
            "d.csv",
            "id,Text,label",
            "1,first,sport",
            "2,second,",
            "3,third,politics",
            "4,fourth,sport");

        var examples = Read(path);

        Assert.Equal(new Dictionary<string, double> { ["sport"] = 1, ["politics"] = 0 }, examples[0].Cats);
        Assert.Empty(examples[1].Cats);
        Assert.Equal(new Dictionary<string, double> { ["sport"] = 0, ["politics"] = 1 }, examples[2].Cats);
        Assert.Equal("1", examples[0].Meta["id"]);
        Assert.Empty(_output.Errors);
    }

    [Fact]
    public void ExplicitLabelColumnsChooseTheMode()
    {
        var path = _dir.WriteLines(
            "d.csv",
            "body,topic,A,B,note",
            "first,x,1,0,n1",
            "second,y,0,1,n2");

        var single = Read(path, new TextcatReadOptions { TextColumn = "body", LabelColumns = ["topic"] });
        var several = Read(path, new TextcatReadOptions { TextColumn = "BODY", LabelColumns = ["A", "b"] });

        Assert.Equal(new Dictionary<string, double> { ["x"] = 1, ["y"] = 0 }, single[0].Cats);
        Assert.Equal(new Dictionary<string, double> { ["A"] = 0, ["B"] = 1 }, several[1].Cats);
        Assert.Equal("n2", several[1].Meta["note"]);
        Assert.Equal("y", several[1].Meta["topic"]);
    }

    [Fact]
    public void ReadsTsvAndCustomDelimiters()
    {
        var tsv = _dir.WriteLines("d.tsv", "text\tA", "with, comma\t1");
        var semicolon = _dir.WriteLines("d.csv", "text;A", "with, comma;0");

        var fromTsv = Assert.Single(Read(tsv));
        var fromSemicolon = Assert.Single(Read(semicolon, new TextcatReadOptions { Delimiter = ";" }));

        Assert.Equal("with, comma", fromTsv.Text);
        Assert.Equal(1.0, fromTsv.Cats["A"]);
        Assert.Equal(0.0, fromSemicolon.Cats["A"]);
    }

    [Theory]
    [InlineData("body,A\nx,1\n", null, "text")]
    [InlineData("text,A\nx,1\n", new[] { "B" }, "B")]
    public void MissingCsvColumnsAreATerminatingError(string content, string[]? labels, string missing)
    {
        var path = _dir.Write("d.csv", content);

        var exception = Assert.Throws<UptrainException>(
            () => TextcatReader.Read(path, new TextcatReadOptions { LabelColumns = labels }, _output));
        Assert.Equal("ColumnNotFound", exception.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, exception.Kind);
        Assert.Contains($"'{missing}'", exception.Message);
    }

    [Fact]
    public void CsvRecordsSpanningLinesKeepTheirStartingLine()
    {
        var path = _dir.Write(
            "d.csv",
            "text,A\n\"line one\nline two\nline three\",1\n\nnext \"\"x,0\nshort\nlast,1\n");

        var examples = Read(path);

        Assert.Equal(["line one\nline two\nline three", "short", "last"], examples.Select(e => e.Text));
        Assert.Equal([path + ":2", path + ":7", path + ":8"], examples.Select(e => e.Source));
        AssertError(Assert.Single(_output.Errors), "InvalidCsvRecord", ErrorKind.ParserError, path, 6);
    }

    [Fact]
    public void ReadsPlainTextOneExamplePerNonBlankLine()
    {
        var path = _dir.Write("p.txt", "first line\n\n  \nsecond, \"line\"\r\nthird");

        var examples = Read(path);

        Assert.Equal(["first line", "second, \"line\"", "third"], examples.Select(e => e.Text));
        Assert.Equal([path + ":1", path + ":4", path + ":5"], examples.Select(e => e.Source));
        Assert.All(examples, e => Assert.Empty(e.Cats));
    }
}
