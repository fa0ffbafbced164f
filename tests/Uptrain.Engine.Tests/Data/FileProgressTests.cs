using Uptrain.Data;
using Uptrain.Diagnostics;

namespace Uptrain.Tests.Data;

public sealed class FileProgressTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string LargeExport(int lines) =>
        _dir.WriteLines("big.jsonl", Enumerable.Range(0, lines)
            .Select(i => $$"""{"text":"text {{i}}","label":"A","answer":"accept","_input_hash":{{i}}}""").ToArray());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadingStopsWhenCancelled(bool noMerge)
    {
        var path = LargeExport(10_000);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var reader = new ProdigyJsonlReader(new ProdigyReadOptions { NoMerge = noMerge }, new CollectingOutputWriter());

        Assert.ThrowsAny<OperationCanceledException>(() => reader.ReadFile(path, cancelled.Token).ToList());
    }

    [Fact]
    public void ImportStopsWhenCancelled()
    {
        var path = _dir.WriteLines("big.txt", Enumerable.Range(0, 10_000).Select(i => $"line {i}").ToArray());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(
            () => TextcatReader.Read(path, new TextcatReadOptions(), new CollectingOutputWriter(), cancelled.Token).ToList());
    }

    [Fact]
    public void ProgressIsReportedAndCompletedOnASlowRead()
    {
        var path = LargeExport(8192 * 3);
        var output = new CollectingOutputWriter();
        using (var stream = File.OpenRead(path))
        using (var progress = new FileProgress(output, stream, path, CancellationToken.None))
        {
            // Simulate a reader that is slow enough to report: move through the file and wait out the interval.
            stream.Position = stream.Length / 2;
            Thread.Sleep(600);
            progress.Tick(4096);
        }

        Assert.Equal(2, output.Progress.Count);
        Assert.InRange(output.Progress[0].PercentComplete, 49, 51);
        Assert.False(output.Progress[0].Completed);
        Assert.True(output.Progress[1].Completed);
    }

    [Fact]
    public void NothingIsReportedForAFastRead()
    {
        var path = LargeExport(100);
        var output = new CollectingOutputWriter();
        var reader = new ProdigyJsonlReader(new ProdigyReadOptions { NoMerge = true }, output);

        Assert.Equal(100, reader.ReadFile(path).Count());
        Assert.Empty(output.Progress);
    }
}
