using System.Diagnostics;
using System.Text.Json;
using Uptrain.Data;
using Uptrain.Diagnostics;

namespace Uptrain.Tests.Data;

/// <summary>What the writer does so that no data is lost: concurrent appends, self-reference, empty input, stale temporary files.</summary>
public sealed class TextcatWriterSafetyTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CollectingOutputWriter _output = new();

    public void Dispose() => _dir.Dispose();

    private static TextcatExample Example(string text, string? source = null, params (string Label, double Value)[] cats)
    {
        var example = new TextcatExample(text) { Source = source };
        foreach (var (label, value) in cats)
        {
            example.Cats[label] = value;
        }
        return example;
    }

    [Theory]
    [InlineData(TextcatWriteFormat.SpacyJsonl, "shared.jsonl")]
    [InlineData(TextcatWriteFormat.Csv, "shared.csv")]
    public void TwoWritersAppendingAtOnceKeepEveryRecordWhole(TextcatWriteFormat format, string name)
    {
        const int PerWriter = 2000;
        var path = _dir.File(name);
        if (format == TextcatWriteFormat.Csv)
        {
            _dir.Write(name, "text,A\n");
        }
        using var start = new Barrier(2);
        void Append(string prefix)
        {
            using var writer = new TextcatWriter(path, format, new CollectingOutputWriter(), append: true);
            start.SignalAndWait();
            for (var i = 0; i < PerWriter; i++)
            {
                writer.Write(Example($"{prefix} {i} {new string('x', 200)}", null, ("A", i % 2)));
            }
            writer.Commit();
        }
        Parallel.Invoke(() => Append("first"), () => Append("second"));

        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        var records = format == TextcatWriteFormat.Csv ? lines.Skip(1).ToArray() : lines;
        Assert.Equal(2 * PerWriter, records.Length);
        foreach (var prefix in new[] { "first", "second" })
        {
            Assert.Equal(PerWriter, records.Count(l => l.Contains(prefix + " ", StringComparison.Ordinal)));
        }
        if (format != TextcatWriteFormat.Csv)
        {
            foreach (var line in records)
            {
                using var _ = JsonDocument.Parse(line);
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WritingAnExampleReadFromTheTargetIsRefusedBeforeAnythingIsWritten(bool append)
    {
        var path = _dir.WriteLines("self.jsonl", "{\"text\":\"a\",\"cats\":{}}");
        var before = File.ReadAllText(path);
        using (var writer = new TextcatWriter(path, TextcatWriteFormat.SpacyJsonl, _output, append))
        {
            var error = Assert.Throws<UptrainException>(() => writer.Write(Example("a", path + ":1")));
            Assert.Equal("TargetIsInput", error.ErrorId);
            Assert.Equal(ErrorKind.InvalidOperation, error.Kind);
            Assert.Equal(0, writer.Count);
        }
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public void ATargetReachedThroughALinkIsStillTheInput()
    {
        var input = _dir.WriteLines("input.jsonl", "{\"text\":\"a\",\"cats\":{}}");
        var link = _dir.File("link.jsonl");
        File.CreateSymbolicLink(link, input);
        using var writer = new TextcatWriter(link, TextcatWriteFormat.SpacyJsonl, _output, append: true);

        var error = Assert.Throws<UptrainException>(() => writer.Write(Example("a", input + ":1")));
        Assert.Equal("TargetIsInput", error.ErrorId);
    }

    [Fact]
    public void ExamplesFromOtherFilesAndWithoutSourceAreWritten()
    {
        var path = _dir.File("out.jsonl");
        using var writer = new TextcatWriter(path, TextcatWriteFormat.SpacyJsonl, _output);
        writer.Write(Example("a", path + ".old:1"));
        writer.Write(Example("b", _dir.File("other.jsonl") + ":2"));
        writer.Write(Example("c"));
        writer.Write(Example("d", "not\0a file:4"));
        writer.Write(Example("e", path));
        writer.Commit();
        Assert.Equal(5, File.ReadAllLines(path).Length);
    }

    [Theory]
    [InlineData(TextcatWriteFormat.SpacyJsonl, false)]
    [InlineData(TextcatWriteFormat.SpacyJsonl, true)]
    [InlineData(TextcatWriteFormat.Csv, false)]
    public void CommittingNothingLeavesAnExistingTargetUntouched(TextcatWriteFormat format, bool append)
    {
        var path = _dir.Write("keep.data", "text,A\nold,1\n");
        using (var writer = new TextcatWriter(path, format, _output, append))
        {
            writer.Commit();
            Assert.Equal(0, writer.Count);
        }
        Assert.Equal("text,A\nold,1\n", File.ReadAllText(path));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    [Theory]
    [InlineData(TextcatWriteFormat.SpacyJsonl, false)]
    [InlineData(TextcatWriteFormat.SpacyJsonl, true)]
    [InlineData(TextcatWriteFormat.Csv, true)]
    public void CommittingNothingCreatesNoFile(TextcatWriteFormat format, bool append)
    {
        var path = _dir.File("new.data");
        using (var writer = new TextcatWriter(path, format, _output, append))
        {
            writer.Commit();
            Assert.Equal(0, writer.Count);
        }
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void StaleTemporaryFilesOfTheTargetAreRemovedAndLiveOnesKept()
    {
        var path = _dir.File("data.jsonl");
        var gone = DeadProcessId();
        var stale = _dir.Write($".data.jsonl.{gone}-0badcafe.tmp", "half");
        var legacy = _dir.Write(".data.jsonl.1a2b3c4d.tmp", "half");
        File.SetLastWriteTimeUtc(legacy, DateTime.UtcNow.AddDays(-2));
        var live = _dir.Write(".data.jsonl.1-0a0a0a0a.tmp", "busy");
        var otherTarget = _dir.Write($".other.jsonl.{gone}-0badcafe.tmp", "not ours to judge");

        TextcatWriter.WriteAll(path, [Example("a")], TextcatWriteFormat.SpacyJsonl, _output);

        Assert.False(File.Exists(stale));
        Assert.False(File.Exists(legacy));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(otherTarget));
    }

    [Fact]
    public void TheTemporaryFileNamesItsWriter()
    {
        var path = _dir.File("named.jsonl");
        using var writer = new TextcatWriter(path, TextcatWriteFormat.SpacyJsonl, _output);
        var temp = Assert.Single(Directory.GetFiles(_dir.Path, "*.tmp"));
        Assert.StartsWith($".named.jsonl.{Environment.ProcessId}-", System.IO.Path.GetFileName(temp), StringComparison.Ordinal);
    }

    // The id of a process that has exited, so no live writer can own it.
    private static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
