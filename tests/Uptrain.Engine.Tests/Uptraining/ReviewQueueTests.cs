using System.Text.Json;
using Uptrain.Tests.Data;
using Uptrain.Uptraining;

namespace Uptrain.Tests.Uptraining;

public sealed class ReviewQueueTests
{
    private static readonly ModelCard Exclusive = Predictions.Card(true, "billing", "bug", "other");
    private static readonly ModelCard Multilabel = Predictions.Card(false, "billing", "bug");

    [Fact]
    public void ExclusiveTextsWithTheSmallestMarginComeFirst()
    {
        var set = new ThresholdSet(true, [new LabelThreshold(ThresholdSet.SharedLabel, 0.9, 0)]);
        var queue = new ReviewQueue(set);
        foreach (var (text, scores) in new[]
        {
            ("clear-ish", new[] { 0.8, 0.1, 0.1 }),   // margin 0.7
            ("torn", new[] { 0.45, 0.44, 0.11 }),     // margin 0.01
            ("low top", new[] { 0.4, 0.3, 0.3 }),     // margin 0.1
            ("tie", new[] { 0.45, 0.1, 0.45 }),       // margin 0
        })
        {
            queue.Add(TriageRouter.Decide(Predictions.Of(Exclusive, text, scores), set, new TriageOptions()));
        }

        Assert.Equal(["tie", "torn", "low top", "clear-ish"], queue.Ordered().Select(d => d.Text));
        Assert.Equal(["tie", "torn"], queue.Ordered(2).Select(d => d.Text));
    }

    [Fact]
    public void MultilabelTextsAreAsUncertainAsTheirMostUncertainLabelWithinItsBand()
    {
        // billing's band is 0.2..0.8 (middle 0.5), bug's 0.6..1.0 (middle 0.8).
        var set = new ThresholdSet(false, [new LabelThreshold("billing", 0.8, 0.2), new LabelThreshold("bug", 1.0, 0.6)]);
        var queue = new ReviewQueue(set);
        foreach (var (text, scores) in new[]
        {
            ("billing edge", new[] { 0.75, 0.1 }),   // billing 0.25/0.3 = 0.83; bug 0.1 <= 0.6 decisive
            ("bug middle", new[] { 0.1, 0.8 }),      // bug 0
            ("both", new[] { 0.6, 0.7 }),            // billing 0.33, bug 0.5 → 0.33
        })
        {
            queue.Add(TriageRouter.Decide(Predictions.Of(Multilabel, text, scores), set, new TriageOptions()));
        }

        Assert.Equal(["bug middle", "both", "billing edge"], queue.Ordered().Select(d => d.Text));
        Assert.Equal(0, ReviewQueue.Certainty(queue.Ordered()[0], set), 9);
        Assert.Equal(1.0 / 3, ReviewQueue.Certainty(queue.Ordered()[1], set), 9);
    }

    [Fact]
    public void TheFileHoldsReviewTasksMostUncertainFirst()
    {
        using var dir = new TempDir();
        var path = dir.File("review.jsonl");
        var set = new ThresholdSet(false, [new LabelThreshold(ThresholdSet.SharedLabel, 0.9, 0.1)]);
        var queue = new ReviewQueue(set);
        queue.Add(TriageRouter.Decide(Predictions.Of(Multilabel, "sure-ish", 0.85, 0.05), set, new TriageOptions()));
        queue.Add(TriageRouter.Decide(Predictions.Of(Multilabel, "torn", 0.52, 0.61), set, new TriageOptions()));

        Assert.Equal(2, queue.Write(path));

        var tasks = File.ReadAllLines(path).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(["torn", "sure-ish"], tasks.Select(t => t.GetProperty("text").GetString()));
        var torn = tasks[0];
        Assert.Equal(["billing", "bug"], torn.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        Assert.Equal(["billing", "bug"], torn.GetProperty("accept").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("choice", torn.GetProperty("_view_id").GetString());
        Assert.Equal("multiple", torn.GetProperty("config").GetProperty("choice_style").GetString());
        Assert.False(torn.TryGetProperty("answer", out _));
        var meta = torn.GetProperty("meta");
        Assert.Equal("uptrain", meta.GetProperty("source").GetString());
        Assert.Equal(0.61, meta.GetProperty("scores").GetProperty("bug").GetDouble());
        Assert.Equal(["billing", "bug"], meta.GetProperty("uncertain").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(UptrainHashes.InputHash("torn"), torn.GetProperty("_input_hash").GetInt64());
        Assert.Equal(UptrainHashes.TaskHash(UptrainHashes.InputHash("torn"), ["billing", "bug"]), torn.GetProperty("_task_hash").GetInt64());
        Assert.Equal(["billing"], tasks[1].GetProperty("accept").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public void ATextThatComesAgainIsQueuedOnceAndTwoTextsWithOneHashTwice()
    {
        // A pool with each text ten times gave ten review tasks per text: a person would answer each ten times
        // (issue 19, 5). The silver dataset keeps one record per task; the review file one task per text.
        using var dir = new TempDir();
        var path = dir.File("review.jsonl");
        var set = Shared();
        var queue = new ReviewQueue(set);
        var (first, second) = UptrainRecordsTests.Colliding;
        foreach (var text in Enumerable.Repeat(new[] { "torn", "low top", first, second }, 10).SelectMany(t => t))
        {
            queue.Add(TriageRouter.Decide(Predictions.Of(Exclusive, text, 0.45, 0.44, 0.11), set, new TriageOptions()));
        }

        Assert.Equal(4, queue.Count);
        Assert.Equal(36, queue.Repeated);
        Assert.Equal(4, queue.Write(path));
        Assert.Equal(["torn", "low top", first, second], File.ReadAllLines(path).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()));
    }

    [Fact]
    public void AnExclusiveTaskPreselectsTheTopLabelOnlyFromOneHalf()
    {
        Assert.Equal(["bug"], UptrainRecords.Preselected(TriageRouter.Decide(Predictions.Of(Exclusive, "a", 0.3, 0.5, 0.2), Shared(), new()), exclusive: true));
        Assert.Empty(UptrainRecords.Preselected(TriageRouter.Decide(Predictions.Of(Exclusive, "b", 0.3, 0.4, 0.3), Shared(), new()), exclusive: true));
    }

    [Fact]
    public void AnEmptyQueueLeavesAnOldFileAlone()
    {
        using var dir = new TempDir();
        var path = dir.WriteLines("review.jsonl", "{\"text\": \"old\"}");

        Assert.Equal(0, new ReviewQueue(Shared()).Write(path));

        Assert.Equal(["{\"text\": \"old\"}"], File.ReadAllLines(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    private static ThresholdSet Shared() => new(true, [new LabelThreshold(ThresholdSet.SharedLabel, 0.9, 0)]);
}
