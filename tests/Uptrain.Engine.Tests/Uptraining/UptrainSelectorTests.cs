using Uptrain.Diagnostics;
using Uptrain.Tests.Data;
using Uptrain.Uptraining;

namespace Uptrain.Tests.Uptraining;

public sealed class UptrainSelectorTests
{
    private static readonly ModelCard Exclusive = Predictions.Card(true, "billing", "bug", "other");
    private static readonly ModelCard Multilabel = Predictions.Card(false, "billing", "bug");

    private static List<UptrainDecision> Run(UptrainSelector selector, IEnumerable<TextcatPrediction> predictions)
    {
        var decisions = predictions.Select(selector.Route).OfType<UptrainDecision>().ToList();
        selector.Finish();
        return decisions;
    }

    [Fact]
    public void ExclusiveDataSkipsNothingUnlessLowIsGiven()
    {
        var pool = new[] { Predictions.Of(Exclusive, "flat", 0.34, 0.33, 0.33) };

        using var byDefault = new UptrainSelector(new UptrainSelectOptions(), NullOutputWriter.Instance);
        using var withLow = new UptrainSelector(new UptrainSelectOptions { Low = 0.4 }, NullOutputWriter.Instance);

        Assert.Equal(TriageRoute.Review, Run(byDefault, pool).Single().Route);
        Assert.Equal(TriageRoute.Skip, Run(withLow, pool).Single().Route);
    }

    [Fact]
    public void MultilabelDataSkipsAtTheDefaultLow()
    {
        using var selector = new UptrainSelector(new UptrainSelectOptions(), NullOutputWriter.Instance);

        Assert.Equal(TriageRoute.Skip, Run(selector, [Predictions.Of(Multilabel, "none", 0.1, 0.05)]).Single().Route);
    }

    [Fact]
    public void ExcludedTextsAreDroppedAndCounted()
    {
        var exclude = new ExcludeSet();
        exclude.Add("Cafe\u0301  crashed\n");
        var output = new CollectingOutputWriter();
        using var selector = new UptrainSelector(new UptrainSelectOptions { Exclude = exclude }, output);

        var decisions = Run(selector, [Predictions.Of(Exclusive, "Caf\u00e9 crashed", 0.1, 0.8, 0.1), Predictions.Of(Exclusive, "caf\u00e9 crashed", 0.1, 0.8, 0.1)]);

        Assert.Equal(["caf\u00e9 crashed"], decisions.Select(d => d.Text));
        Assert.Equal(1, selector.Summary.Excluded);
        Assert.Contains(output.Verbose, line => line.Contains("Dropped 1 ", StringComparison.Ordinal));
    }

    [Fact]
    public void ADatasetWhoseLastLineWasCutShortIsNamedOnceAndTheNextRecordStartsANewLine()
    {
        // A torn last line (a writer killed half way) was kept without a word (issue 19, 8).
        using var dir = new TempDir();
        var path = dir.File("silver.jsonl");
        File.WriteAllText(path, "{\"text\": \"whole\", \"answer\": \"accept\", \"_task_hash\": 1}\n{\"text\": \"cut sh");
        var output = new CollectingOutputWriter();
        var set = new ThresholdSet(true, [new LabelThreshold(ThresholdSet.SharedLabel, 0.9, 0)]);
        using (var selector = new UptrainSelector(new UptrainSelectOptions { DatasetPath = path, Thresholds = set }, output))
        {
            Run(selector, [Predictions.Of(Exclusive, "refund", 0.95, 0.03, 0.02), Predictions.Of(Exclusive, "crash", 0.02, 0.95, 0.03)]);
        }

        var warning = Assert.Single(output.Warnings);
        Assert.Contains(path + ":2", warning, StringComparison.Ordinal);
        var lines = File.ReadAllLines(path);
        Assert.Equal(4, lines.Length);
        Assert.Equal("{\"text\": \"cut sh", lines[1]);
    }

    [Fact]
    public void ThresholdsForOtherLabelsAreRefused()
    {
        var set = new ThresholdSet(false, [new LabelThreshold("billing", 0.9, 0.1), new LabelThreshold("spam", 0.9, 0.1)]);
        using var selector = new UptrainSelector(new UptrainSelectOptions { Thresholds = set }, NullOutputWriter.Instance);

        var error = Assert.Throws<UptrainException>(() => selector.Route(Predictions.Of(Multilabel, "t", 0.5, 0.5)));

        Assert.Equal("ThresholdLabelMismatch", error.ErrorId);
        Assert.Contains("spam", error.Message, StringComparison.Ordinal);
        Assert.Contains("bug", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExclusiveThresholdsForAMultilabelModelAreRefused()
    {
        var set = new ThresholdSet(true, [new LabelThreshold(ThresholdSet.SharedLabel, 0.9, 0)]);
        using var selector = new UptrainSelector(new UptrainSelectOptions { Thresholds = set }, NullOutputWriter.Instance);

        Assert.Equal("ThresholdModelMismatch", Assert.Throws<UptrainException>(() => selector.Route(Predictions.Of(Multilabel, "t", 0.5, 0.5))).ErrorId);
    }

    [Fact]
    public void ASharedPairFitsAnyLabels()
    {
        var set = new ThresholdSet(false, [new LabelThreshold("billing", 0.8, 0.2), new LabelThreshold(ThresholdSet.SharedLabel, 0.9, 0.1)]);
        using var selector = new UptrainSelector(new UptrainSelectOptions { Thresholds = set }, NullOutputWriter.Instance);

        Assert.Equal(TriageRoute.Accept, Run(selector, [Predictions.Of(Multilabel, "t", 0.85, 0.05)]).Single().Route);
    }

    [Fact]
    public void APredictionOfAnotherModelIsARecordError()
    {
        var output = new CollectingOutputWriter();
        using var selector = new UptrainSelector(new UptrainSelectOptions(), output);

        var decisions = Run(selector, [Predictions.Of(Exclusive, "a", 0.95, 0.03, 0.02), Predictions.Of(Multilabel, "b", 0.5, 0.5)]);

        Assert.Single(decisions);
        Assert.Equal("LabelsDiffer", Assert.Single(output.Errors).ErrorId);
    }

    [Fact]
    public void TheDatasetAndTheReviewFileMustDiffer()
    {
        using var dir = new TempDir();
        var options = new UptrainSelectOptions { DatasetPath = dir.File("a.jsonl"), ReviewPath = dir.File("./a.jsonl") };

        Assert.Equal("DatasetIsReviewPath", Assert.Throws<UptrainException>(() => new UptrainSelector(options, NullOutputWriter.Instance)).ErrorId);
    }

    [Fact]
    public void AnExistingReviewFileNeedsOverwrite()
    {
        using var dir = new TempDir();
        var review = dir.WriteLines("review.jsonl", "{}");

        Assert.Equal("FileExists", Assert.Throws<UptrainException>(() => new UptrainSelector(new UptrainSelectOptions { ReviewPath = review }, NullOutputWriter.Instance)).ErrorId);
        using var selector = new UptrainSelector(new UptrainSelectOptions { ReviewPath = review, OverwriteReview = true }, NullOutputWriter.Instance);
    }

    [Fact]
    public void ARunWritesBothFilesAndSummarises()
    {
        using var dir = new TempDir();
        var output = new CollectingOutputWriter();
        var options = new UptrainSelectOptions { DatasetPath = dir.File("silver.jsonl"), ReviewPath = dir.File("review.jsonl"), ReviewBudget = 1, Low = 0.2 };
        var pool = new[]
        {
            Predictions.Of(Exclusive, "refund", 0.95, 0.03, 0.02),
            Predictions.Of(Exclusive, "crash", 0.02, 0.96, 0.02),
            Predictions.Of(Exclusive, "torn", 0.45, 0.44, 0.11),
            Predictions.Of(Exclusive, "leaning", 0.7, 0.2, 0.1),
        };

        using (var selector = new UptrainSelector(options, output))
        {
            Run(selector, pool);
        }
        using (var again = new UptrainSelector(options with { OverwriteReview = true }, output))
        {
            Run(again, pool);
        }

        Assert.Equal(2, File.ReadAllLines(dir.File("silver.jsonl")).Length);
        Assert.Contains("\"torn\"", Assert.Single(File.ReadAllLines(dir.File("review.jsonl"))), StringComparison.Ordinal);
        Assert.Contains(output.Verbose, line => line.StartsWith("Triaged 4 texts: 2 accept", StringComparison.Ordinal));
        Assert.Contains(output.Verbose, line => line.Contains("billing: 1", StringComparison.Ordinal));
        Assert.Contains(output.Verbose, line => line.StartsWith("Added 0 silver records", StringComparison.Ordinal) && line.Contains("2 accepted texts were there already", StringComparison.Ordinal));
    }

    [Fact]
    public void AReviewFileThatIsAnInputIsRefused()
    {
        using var dir = new TempDir();
        var review = dir.WriteLines("review.jsonl", "{\"text\": \"torn\"}");
        var example = new TextcatExample("torn") { Source = review + ":1" };
        var prediction = new TextcatPrediction(example, new LabelValues { ["billing"] = 0.5, ["bug"] = 0.3, ["other"] = 0.2 }, Exclusive);
        using var selector = new UptrainSelector(new UptrainSelectOptions { ReviewPath = review, OverwriteReview = true }, NullOutputWriter.Instance);

        Assert.Equal("TargetIsInput", Assert.Throws<UptrainException>(() => selector.Route(prediction)).ErrorId);
    }

    [Fact]
    public void NoReviewBandLeavesTheOldReviewFileWithAWarning()
    {
        using var dir = new TempDir();
        var review = dir.WriteLines("review.jsonl", "{\"text\": \"old\"}");
        var output = new CollectingOutputWriter();
        using var selector = new UptrainSelector(new UptrainSelectOptions { ReviewPath = review, OverwriteReview = true }, output);

        Run(selector, [Predictions.Of(Exclusive, "refund", 0.95, 0.03, 0.02)]);

        Assert.Equal(["{\"text\": \"old\"}"], File.ReadAllLines(review));
        Assert.Single(output.Warnings);
    }
}

public sealed class UptrainSelectorProgressTests
{
    /// <summary>A clock that moves by a fixed step every time it is read.</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks += step.Ticks;
    }

    [Fact]
    public void ALongPoolShowsProgressWithRouteCountsAndCompletesIt()
    {
        var card = Predictions.Card(true, "billing", "bug");
        var output = new CollectingOutputWriter();
        using var selector = new UptrainSelector(new UptrainSelectOptions(), output, new SteppingClock(TimeSpan.FromSeconds(1)), CancellationToken.None);

        selector.Route(Predictions.Of(card, "a", 0.95, 0.05));
        selector.Route(Predictions.Of(card, "b", 0.6, 0.4));
        selector.Finish();

        Assert.Equal(3, output.Progress.Count);
        Assert.Equal("2 texts: 1 accept, 1 review, 0 skip", output.Progress[1].Status);
        Assert.True(output.Progress[^1].Completed);
        Assert.All(output.Progress, p => Assert.Equal(output.Progress[0].ActivityId, p.ActivityId));
    }

    [Fact]
    public void AShortPoolShowsNoProgress()
    {
        var card = Predictions.Card(true, "billing", "bug");
        var output = new CollectingOutputWriter();
        using var selector = new UptrainSelector(new UptrainSelectOptions(), output, new SteppingClock(TimeSpan.FromMilliseconds(100)), CancellationToken.None);

        selector.Route(Predictions.Of(card, "a", 0.95, 0.05));
        selector.Finish();

        Assert.Empty(output.Progress);
    }
}
