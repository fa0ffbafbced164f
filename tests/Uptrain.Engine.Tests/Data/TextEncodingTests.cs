using System.Text;
using Uptrain.Data;
using Uptrain.Diagnostics;

namespace Uptrain.Tests.Data;

// Files that are not UTF-8, not text, or not one record per line: each is read correctly or gets one clear
// error, never records with U+FFFD in them or one error per physical line.
public sealed class TextEncodingTests : IDisposable
{
    private static readonly string[] SpacyLines =
    [
        """{"text": "plain", "cats": {"A": 1.0}}""",
        """{"text": "café naïve", "cats": {"A": 0.0}}""",
        """{"text": "also plain", "cats": {"A": 1.0}}""",
    ];

    private readonly TempDir _dir = new();
    private readonly CollectingOutputWriter _output = new();

    public void Dispose() => _dir.Dispose();

    private string WriteBytes(string name, byte[] bytes)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string WriteEncoded(string name, Encoding encoding, params string[] lines) =>
        WriteBytes(name, encoding.GetBytes(string.Join("\n", lines) + "\n"));

    private List<TextcatExample> Read(string path, TextcatReadOptions? options = null) =>
        TextcatReader.Read(path, options ?? new TextcatReadOptions(), _output).ToList();

    [Fact]
    public void Latin1LinesAreReportedAsInvalidUtf8WithFileAndLine()
    {
        var path = WriteEncoded("latin1.jsonl", Encoding.Latin1, SpacyLines);

        var examples = Read(path);

        Assert.Equal(["plain", "also plain"], examples.Select(e => e.Text));
        var error = Assert.Single(_output.Errors);
        Assert.Equal("InvalidUtf8", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
        Assert.Equal($"{path}:2", error.Target);
    }

    [Fact]
    public void AReplacementCharacterWrittenAsValidUtf8IsText()
    {
        var path = _dir.WriteLines("fffd.txt", "broken \uFFFD on purpose", "next");

        var examples = Read(path);

        Assert.Empty(_output.Errors);
        Assert.Equal("broken \uFFFD on purpose", examples[0].Text);
    }

    [Fact]
    public void OnlyTheLinesWithInvalidBytesAreReported()
    {
        var lines = Enumerable.Range(1, 2000).Select(i => i % 500 == 0 ? $"bad {i} \u00e9" : $"good {i}").ToArray();
        var path = WriteEncoded("mixed.txt", Encoding.Latin1, lines);

        var examples = Read(path);

        Assert.Equal(1996, examples.Count);
        Assert.Equal(
            [$"{path}:500", $"{path}:1000", $"{path}:1500", $"{path}:2000"],
            _output.Errors.Select(e => (string)e.Target!));
    }

    [Fact]
    public void AnEncodingReadsLatin1()
    {
        var path = WriteEncoded("latin1.jsonl", Encoding.Latin1, SpacyLines);

        var examples = Read(path, new TextcatReadOptions { Encoding = Encoding.Latin1 });

        Assert.Empty(_output.Errors);
        Assert.Equal("café naïve", examples[1].Text);
    }

    [Fact]
    public void Latin1CsvRowsAreReportedAndReadWithAnEncoding()
    {
        var path = WriteEncoded("latin1.csv", Encoding.Latin1, "text,label", "café,A", "tea,B");

        Assert.Equal(["tea"], Read(path).Select(e => e.Text));
        Assert.Equal($"{path}:2", Assert.Single(_output.Errors).Target);
        Assert.Equal("café", Read(path, new TextcatReadOptions { Encoding = Encoding.Latin1 })[0].Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Utf16WithoutAByteOrderMarkIsRead(bool bigEndian)
    {
        var path = WriteEncoded("utf16.jsonl", bigEndian ? Encoding.BigEndianUnicode : Encoding.Unicode, SpacyLines);

        Assert.Equal(TextcatFormat.SpacyJsonl, TextcatReader.Detect(path));
        var examples = Read(path);

        Assert.Empty(_output.Errors);
        Assert.Equal("café naïve", examples[1].Text);
        Assert.Contains(_output.Verbose, v => v.Contains("UTF-16", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("bin.jsonl")]
    [InlineData("bin.txt")]
    [InlineData("bin.csv")]
    public void ABinaryFileIsOneNotATextFileError(string name)
    {
        var bytes = new byte[256 * 1024];
        new Random(7).NextBytes(bytes);
        var path = WriteBytes(name, bytes);

        var error = Assert.Throws<UptrainException>(() => TextcatReader.Read(path, new TextcatReadOptions(), _output));

        Assert.Equal("NotATextFile", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
        Assert.Equal(path, error.Target);
        Assert.Empty(_output.Errors);
    }

    [Fact]
    public void ProdigyReaderReportsInvalidUtf8AndBinaryFiles()
    {
        var path = WriteEncoded(
            "prodigy.jsonl",
            Encoding.Latin1,
            """{"text": "good", "label": "A", "answer": "accept", "_input_hash": 1}""",
            """{"text": "crème", "label": "A", "answer": "reject", "_input_hash": 2}""");
        var reader = new ProdigyJsonlReader(new ProdigyReadOptions(), _output);

        reader.ReadFile(path).ToList();
        var examples = reader.Complete().ToList();

        Assert.Equal(["good"], examples.Select(e => e.Text));
        Assert.Equal(("InvalidUtf8", (object?)$"{path}:2"), (Assert.Single(_output.Errors).ErrorId, _output.Errors[0].Target));

        var latin1 = new ProdigyJsonlReader(new ProdigyReadOptions { Encoding = Encoding.Latin1, NoMerge = true }, _output);
        Assert.Equal("crème", latin1.ReadFile(path).Last().Text);

        var binary = WriteBytes("prodigy.bin", [0, 1, 2, 3, 0, 0, 7, 8, 0, 0xFF]);
        var error = Assert.Throws<UptrainException>(() => new ProdigyJsonlReader(new ProdigyReadOptions { NoMerge = true }, _output).ReadFile(binary));
        Assert.Equal("NotATextFile", error.ErrorId);
    }

    [Fact]
    public void APrettyPrintedArrayOfSpacyRecordsIsReadWithTheLineEachStartsOn()
    {
        var path = _dir.WriteLines(
            "pretty.json",
            "[",
            "  {",
            "    \"text\": \"first\",",
            "    \"cats\": {\"A\": 1.0}",
            "  },",
            "  {\"text\": \"second\", \"cats\": {\"A\": 0.0}}",
            "]");

        Assert.Equal(TextcatFormat.SpacyJsonl, TextcatReader.Detect(path));
        var examples = Read(path);

        Assert.Empty(_output.Errors);
        Assert.Equal(["first", "second"], examples.Select(e => e.Text));
        Assert.Equal([$"{path}:2", $"{path}:6"], examples.Select(e => e.Source));
    }

    [Fact]
    public void AOneLineArrayOfObjectsIsNotReadAsTuples()
    {
        var path = _dir.Write("oneline.json", """[{"text":"a","cats":{"A":1}},{"text":"b","cats":{"A":0}}]""");

        Assert.Equal(TextcatFormat.SpacyJsonl, TextcatReader.Detect(path));
        Assert.Equal(["a", "b"], Read(path).Select(e => e.Text));
        Assert.Empty(_output.Errors);
    }

    [Fact]
    public void AnArrayOfProdigyRowsIsReadByBothReaders()
    {
        var path = _dir.WriteLines(
            "prodigy.json",
            "[",
            """  {"text": "one", "label": "A", "answer": "accept", "_input_hash": 1},""",
            """  {"text": "two", "label": "A", "answer": "reject", "_input_hash": 2}""",
            "]");

        Assert.Equal(TextcatFormat.ProdigyJsonl, TextcatReader.Detect(path));
        var reader = new ProdigyJsonlReader(new ProdigyReadOptions { NoMerge = true }, _output);
        var examples = reader.ReadFile(path).ToList();

        Assert.Empty(_output.Errors);
        Assert.Equal(["one", "two"], examples.Select(e => e.Text));
        Assert.Equal(0.0, examples[1].Cats["A"]);
        Assert.Equal($"{path}:3", examples[1].Source);
        Assert.Equal(["one", "two"], Read(path).Select(e => e.Text));
    }

    [Fact]
    public void InvalidUtf8InAnArrayElementIsReportedAtItsLine()
    {
        var path = WriteEncoded(
            "array-latin1.json",
            Encoding.Latin1,
            "[",
            """  {"text": "good", "cats": {"A": 1}},""",
            """  {"text": "café", "cats": {"A": 0}}""",
            "]");

        var examples = Read(path);

        Assert.Equal(["good"], examples.Select(e => e.Text));
        var error = Assert.Single(_output.Errors);
        Assert.Equal(("InvalidUtf8", (object?)$"{path}:3"), (error.ErrorId, error.Target));
    }
}
