using System.Text;
using Uptrain.Data;
using Uptrain.Diagnostics;

namespace Uptrain.Tests.Data;

public sealed class TextcatWriterTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CollectingOutputWriter _output = new();

    public void Dispose() => _dir.Dispose();

    private static TextcatExample Example(string text, params (string Label, double Value)[] cats)
    {
        var example = new TextcatExample(text);
        foreach (var (label, value) in cats)
        {
            example.Cats[label] = value;
        }
        return example;
    }

    private string[] TempFiles() => Directory.GetFiles(_dir.Path, "*.tmp");

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Fact]
    public void ANewFileAppearsOnlyOnCommit()
    {
        var path = _dir.File("out.jsonl");
        using (var writer = new TextcatWriter(path, TextcatWriteFormat.SpacyJsonl, _output))
        {
            writer.Write(Example("a", ("A", 1)));

            Assert.False(File.Exists(path));
            Assert.Single(TempFiles());
            writer.Commit();
            Assert.Equal(1, writer.Count);
        }

        Assert.Equal("{\"text\":\"a\",\"cats\":{\"A\":1.0}}\n", File.ReadAllText(path));
        Assert.Empty(TempFiles());
    }

    [Theory]
    [InlineData(TextcatWriteFormat.SpacyJsonl)]
    [InlineData(TextcatWriteFormat.Csv)]
    public void DisposeWithoutCommitLeavesTheTargetUntouched(TextcatWriteFormat format)
    {
        var path = _dir.Write("out.data", "old content\n");
        using (var writer = new TextcatWriter(path, format, _output))
        {
            writer.Write(Example("new", ("A", 1)));
        }

        Assert.Equal("old content\n", File.ReadAllText(path));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public void CommitReplacesAnExistingFile()
    {
        var path = _dir.Write("out.jsonl", "old content\n");

        TextcatWriter.WriteAll(path, [Example("new")], TextcatWriteFormat.SpacyTuple, _output);

        Assert.Equal("[\"new\",{\"cats\":{}}]\n", File.ReadAllText(path));
    }

    [Fact]
    public void ThrowIfExistsRefusesAnExistingFile()
    {
        var path = _dir.Write("out.jsonl", "x");

        var exception = Assert.Throws<UptrainException>(() => TextcatWriter.ThrowIfExists(path));
        Assert.Equal("FileExists", exception.ErrorId);
        Assert.Equal(ErrorKind.ResourceExists, exception.Kind);
        Assert.Equal(path, exception.Target);
        TextcatWriter.ThrowIfExists(_dir.File("other.jsonl"));
    }

    [Fact]
    public void AMissingFolderIsATerminatingError()
    {
        var exception = Assert.Throws<UptrainException>(
            () => new TextcatWriter(Path.Combine(_dir.Path, "no", "out.jsonl"), TextcatWriteFormat.SpacyJsonl, _output));
        Assert.Equal("DirectoryNotFound", exception.ErrorId);
    }

    [Fact]
    public void AppendFlushesEveryRecordAtOnce()
    {
        var path = _dir.Write("out.jsonl", "{\"text\":\"old\",\"cats\":{}}"); // no final newline
        using (var writer = new TextcatWriter(path, TextcatWriteFormat.SpacyJsonl, _output, append: true))
        {
            Assert.True(writer.Append);
            writer.Write(Example("first", ("A", 0)));

            Assert.Equal(
                "{\"text\":\"old\",\"cats\":{}}\n{\"text\":\"first\",\"cats\":{\"A\":0.0}}\n",
                ReadShared(path));
            writer.Write(Example("second"));
            // no Commit: what was appended stays
        }

        var texts = TextcatReader.Read(path, new TextcatReadOptions(), _output).Select(e => e.Text);
        Assert.Equal(["old", "first", "second"], texts);
        Assert.Empty(TempFiles());
    }

    [Fact]
    public void AppendCreatesAMissingJsonlFile()
    {
        var path = _dir.File("new.jsonl");

        TextcatWriter.WriteAll(path, [Example("a", ("A", 1))], TextcatWriteFormat.ProdigyJsonl, _output, append: true);

        Assert.Equal("a", Assert.Single(TextcatReader.Read(path, new TextcatReadOptions(), _output)).Text);
    }

    [Fact]
    public void CsvAppendReusesTheHeaderAndReportsNewLabels()
    {
        var path = _dir.Write("out.csv", "text,B,A\nold,1,0\n");
        var withNewLabel = Example("bad", ("C", 1));
        withNewLabel.Source = "in.jsonl:7";

        var written = TextcatWriter.WriteAll(
            path,
            [Example("x, \"y\"", ("A", 1)), withNewLabel, Example("z", ("B", 0), ("A", 1))],
            TextcatWriteFormat.Csv,
            _output,
            append: true);

        Assert.Equal(2, written);
        Assert.Equal("text,B,A\nold,1,0\n\"x, \"\"y\"\"\",,1\nz,0,1\n", File.ReadAllText(path));
        var error = Assert.Single(_output.Errors);
        Assert.Equal("LabelNotInHeader", error.ErrorId);
        Assert.Same(withNewLabel, error.Target);
        Assert.Contains("in.jsonl:7", error.Message);
        Assert.Contains("'C'", error.Message);
    }

    [Fact]
    public void CsvAppendToAMissingFileWritesAHeader()
    {
        var path = _dir.File("out.csv");

        TextcatWriter.WriteAll(path, [Example("a", ("A", 1)), Example("b", ("B", 1))], TextcatWriteFormat.Csv, _output, append: true);

        Assert.Equal("text,A,B\na,1,\nb,,1\n", File.ReadAllText(path));
    }

    [Fact]
    public void CsvHeaderIsTheUnionOfLabelsInFirstSeenOrder()
    {
        var path = _dir.File("out.csv");

        TextcatWriter.WriteAll(
            path,
            [Example("one", ("A", 1)), Example("two", ("B", 1), ("A", 0)), Example("three")],
            TextcatWriteFormat.Csv,
            _output);

        Assert.Equal("text,A,B\none,1,\ntwo,0,1\nthree,,\n", File.ReadAllText(path));
    }

    [Fact]
    public void TsvFilesAreTabSeparated()
    {
        var path = _dir.File("out.tsv");

        TextcatWriter.WriteAll(path, [Example("a, b", ("A", 1))], TextcatWriteFormat.Csv, _output);

        Assert.Equal("text\tA\na, b\t1\n", File.ReadAllText(path));
    }

    [Fact]
    public void SpacyJsonlWritesMetaOnlyWhenPresent()
    {
        var path = _dir.File("out.jsonl");
        var withMeta = Example("b", ("A", 0));
        withMeta.Meta["source"] = "web";
        withMeta.Meta["score"] = 2.0;

        TextcatWriter.WriteAll(path, [Example("a"), withMeta], TextcatWriteFormat.SpacyJsonl, _output);

        Assert.Equal(
            "{\"text\":\"a\",\"cats\":{}}\n{\"text\":\"b\",\"cats\":{\"A\":0.0},\"meta\":{\"source\":\"web\",\"score\":2.0}}\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void ProdigyRowsAreAcceptedChoiceRows()
    {
        var path = _dir.File("out.jsonl");
        var example = Example("t", ("A", 1), ("B", 0));
        example.InputHash = -42;

        TextcatWriter.WriteAll(path, [example], TextcatWriteFormat.ProdigyJsonl, _output);

        Assert.Equal(
            "{\"text\":\"t\",\"options\":[{\"id\":\"A\",\"text\":\"A\"},{\"id\":\"B\",\"text\":\"B\"}],\"accept\":[\"A\"],"
            + "\"answer\":\"accept\",\"_view_id\":\"choice\",\"_input_hash\":-42}\n",
            File.ReadAllText(path));
    }

    public static TheoryData<TextcatWriteFormat, string> RoundTripFormats => new()
    {
        { TextcatWriteFormat.SpacyJsonl, "out.jsonl" },
        { TextcatWriteFormat.SpacyTuple, "out.jsonl" },
        { TextcatWriteFormat.ProdigyJsonl, "out.jsonl" },
        { TextcatWriteFormat.Csv, "out.csv" },
        { TextcatWriteFormat.Csv, "out.tsv" },
    };

    private static List<TextcatExample> TrickyExamples()
    {
        var examples = new List<TextcatExample>
        {
            Example("plain text", ("POS", 1), ("NEG", 0)),
            Example("with \"double\" and 'single' quotes", ("POS", 0), ("NEG", 1)),
            Example("multi\nline\r\ntext\n", ("POS", 1)),
            Example("comma, separated; text\twith tab", ("NEG", 0)),
            Example("unicode: café 日本語 😀 Ωmega \u00a0nbsp", ("label with space", 1), ("ünï,cödé", 0)),
            Example("  leading and trailing spaces  "),
            Example("back\\slash and </script> and \u0001 control", ("POS", 1), ("NEG", 1)),
            Example("=1+1 looks like a formula", ("NEG", 1)),
        };
        examples[0].InputHash = 1234567890123;
        examples[1].InputHash = -7;
        examples[0].Meta["id"] = "a-1";
        examples[0].Meta["n"] = 3L;
        examples[0].Meta["x"] = 1.0;
        examples[0].Meta["flag"] = true;
        examples[0].Meta["none"] = null;
        examples[0].Meta["nested"] = new Dictionary<string, object?> { ["list"] = new List<object?> { 1L, "two", 2.5, false } };
        examples[4].Meta["quote"] = "\"q\"\n";
        return examples;
    }

    [Theory]
    [MemberData(nameof(RoundTripFormats))]
    public void EveryFormatRoundTrips(TextcatWriteFormat format, string name)
    {
        var path = _dir.File(name);
        var examples = TrickyExamples();

        TextcatWriter.WriteAll(path, examples, format, _output);
        var read = TextcatReader.Read(path, new TextcatReadOptions(), _output).ToList();

        Assert.Empty(_output.Errors);
        Assert.Equal(examples.Count, read.Count);
        for (var i = 0; i < examples.Count; i++)
        {
            Assert.True(examples[i].HasSameAnnotation(read[i]), $"example {i}: {examples[i].Text}");
            if (format is TextcatWriteFormat.SpacyJsonl or TextcatWriteFormat.ProdigyJsonl)
            {
                AssertPlainEqual(examples[i].Meta, read[i].Meta);
            }
            if (format is TextcatWriteFormat.ProdigyJsonl)
            {
                Assert.Equal(examples[i].InputHash, read[i].InputHash);
            }
        }
    }

    [Theory]
    [MemberData(nameof(RoundTripFormats))]
    public void AppendedRecordsRoundTrip(TextcatWriteFormat format, string name)
    {
        var path = _dir.File(name);
        var examples = TrickyExamples();

        TextcatWriter.WriteAll(path, examples.Take(3), format, _output);
        TextcatWriter.WriteAll(path, examples.Skip(3).Take(1), format, _output, append: true);
        var read = TextcatReader.Read(path, new TextcatReadOptions(), _output).ToList();

        Assert.Empty(_output.Errors);
        Assert.Equal(4, read.Count);
        Assert.All(Enumerable.Range(0, 4), i => Assert.True(examples[i].HasSameAnnotation(read[i])));
    }

    /// <summary>Deep equality of plain values, with their types (a long is not a double).</summary>
    private static void AssertPlainEqual(object? expected, object? actual)
    {
        switch (expected)
        {
            case IDictionary<string, object?> map:
                var other = Assert.IsAssignableFrom<IDictionary<string, object?>>(actual);
                Assert.Equal(map.Keys.Order(), other.Keys.Order());
                foreach (var (key, value) in map)
                {
                    AssertPlainEqual(value, other[key]);
                }
                break;
            case List<object?> list:
                var otherList = Assert.IsType<List<object?>>(actual);
                Assert.Equal(list.Count, otherList.Count);
                for (var i = 0; i < list.Count; i++)
                {
                    AssertPlainEqual(list[i], otherList[i]);
                }
                break;
            case null:
                Assert.Null(actual);
                break;
            default:
                Assert.IsType(expected.GetType(), actual);
                Assert.Equal(expected, actual);
                break;
        }
    }
}
