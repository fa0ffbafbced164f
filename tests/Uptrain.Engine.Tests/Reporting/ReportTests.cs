using Uptrain.Diagnostics;
using Uptrain.Metrics;
using Uptrain.Reporting;
using Uptrain.Uptraining;

namespace Uptrain.Tests.Reporting;

public sealed class ReportTests
{
    [Fact]
    public void NamesRunsByTheirFolderAndJoinsScoresByName()
    {
        var report = new UptrainReport();
        report.AddRun(ReportFixtures.Run("student", "/runs/a/student/"));
        report.AddRun(ReportFixtures.Run("student", "/runs/b/student"));
        report.AddScore("student", ReportFixtures.Score((0, 0)));
        report.AddScore(ReportFixtures.Score((1, 1)));

        Assert.Equal(["student", "student (2)", "score 2"], report.Models.Select(m => m.Name));
        Assert.NotNull(report.Models[0].Score);
        Assert.Null(report.Models[1].Score);
    }

    [Fact]
    public void ARunJoinsTheScoreGivenBeforeItUnderItsName()
    {
        var report = new UptrainReport();
        report.AddScore("student", ReportFixtures.Score((0, 0)));
        report.AddRun(ReportFixtures.Run("student", "/runs/student"));

        var model = Assert.Single(report.Models);
        Assert.NotNull(model.Run);
        Assert.NotNull(model.Score);
    }

    [Fact]
    public void RefusesTwoScoresForOneModel()
    {
        var report = new UptrainReport();
        report.AddScore("teacher", ReportFixtures.Score((0, 0)));

        var error = Assert.Throws<UptrainException>(() => report.AddScore("teacher", ReportFixtures.Score((0, 0))));
        Assert.Equal("DuplicateScore", error.ErrorId);
    }

    [Fact]
    public void AnEmptyReportIsRefusedAndWritesNothing()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "report.html");

        var error = Assert.Throws<UptrainException>(() => ReportWriter.Write(new UptrainReport(), path, overwrite: false));

        Assert.Equal("NothingToReport", error.ErrorId);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void RefusesToOverwriteUnlessAllowedAndLeavesNoTemporaryFile()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "report.html");
        File.WriteAllText(path, "old");
        var report = new UptrainReport();
        report.AddScore("teacher", ReportFixtures.Score((0, 0), (1, 1)));

        var error = Assert.Throws<UptrainException>(() => ReportWriter.Write(report, path, overwrite: false));
        Assert.Equal("FileExists", error.ErrorId);
        Assert.Equal("old", File.ReadAllText(path));

        ReportWriter.Write(report, path, overwrite: true);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void CurvesFollowTheThresholdSearchJudgement()
    {
        var card = ReportFixtures.Card("teacher", "/runs/teacher");
        // billing predicted at 0.9 (right), 0.8 (wrong), 0.6 (right); a text without exclusive gold is left out.
        var predictions = new List<TextcatPrediction>
        {
            ReportFixtures.Prediction(card, 0, 0.9, 0),
            ReportFixtures.Prediction(card, 0, 0.8, 1),
            ReportFixtures.Prediction(card, 0, 0.6, 0),
            new(new TextcatExample("no gold"), ReportFixtures.Prediction(card, 0, 0.95, 0).Scores, card),
        };

        var billing = PrecisionCoverage.Curves(predictions).Single(c => c.Label == "billing").Points;

        Assert.Equal([0.9, 0.8, 0.6], billing.Select(p => p.Threshold));
        Assert.Equal([1.0, 0.5, 2.0 / 3], billing.Select(p => p.Precision));
        Assert.Equal([1.0 / 3, 2.0 / 3, 1.0], billing.Select(p => p.Coverage));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheReportDrawsTheCurveTheThresholdSearchChoosesOn(bool exclusive)
    {
        // Held-out predictions with ties (scores in steps of 0.05), gold that is missing, unknown for a label, or has
        // two positive labels (left out when exclusive), so that the judgement matters.
        var card = new ModelCard { Kind = "teacher", Labels = ["a", "b", "c"], Exclusive = exclusive, Path = "/runs/teacher" };
        var random = new Random(11);
        var predictions = new List<TextcatPrediction>();
        for (var i = 0; i < 300; i++)
        {
            var raw = card.Labels.Select(_ => Math.Round(random.NextDouble() * 20) / 20 + 0.01).ToArray();
            var scores = new LabelValues();
            for (var k = 0; k < raw.Length; k++)
            {
                scores[card.Labels[k]] = exclusive ? raw[k] / raw.Sum() : Math.Min(raw[k], 1);
            }
            var example = new TextcatExample($"text {i}");
            var top = scores.MaxBy(s => s.Value).Key;
            // Exclusive: one-hot gold, the top label about as often as its score says, else another; one text in ten
            // has two positive labels. Multilabel: each label's gold positive as often as its score says.
            var gold = random.NextDouble() < 0.5 + scores[top] ? top : card.Labels[random.Next(card.Labels.Count)];
            var second = random.NextDouble() < 0.1 ? card.Labels[random.Next(card.Labels.Count)] : gold;
            foreach (var label in card.Labels.Where(_ => random.NextDouble() < 0.85))
            {
                example.Cats[label] = exclusive
                    ? (label == gold || label == second ? 1 : 0)
                    : (random.NextDouble() < scores[label] ? 1 : 0);
            }
            predictions.Add(new TextcatPrediction(example, scores, card));
        }
        var options = new ThresholdSearchOptions { TargetPrecision = 0.6, MinSupport = 5, PerLabel = true };
        var thresholds = ThresholdSearch.Find(predictions, options, new CollectingOutputWriter());

        var drawn = ThresholdSection.Curves(thresholds, predictions);
        var searched = ThresholdSearch.HighCurves(predictions, card.Labels, exclusive, perLabel: true, new CollectingOutputWriter());

        Assert.Equal(card.Labels, drawn.Select(c => c.Label));
        Assert.Equal(searched.Select(c => (c.Label, c.Curve)), drawn.Select(c => (c.Label, c.Points)), (x, y) => x.Item1 == y.Item1 && x.Item2.SequenceEqual(y.Item2));
        var reached = 0;
        foreach (var (label, points) in drawn)
        {
            var threshold = thresholds.For(label)!;
            if (threshold.TargetReached)
            {
                // The point at the chosen High is what the search reported for it.
                var atHigh = Assert.Single(points, p => p.Threshold == threshold.High);
                Assert.Equal(threshold.Precision, atHigh.Precision);
                Assert.Equal(threshold.Support, atHigh.Decided);
                Assert.Equal(threshold.AcceptShare, atHigh.Coverage, 12);
                reached++;
            }
        }
        Assert.True(reached >= 2, $"only {reached} labels reached the target");
    }

    [Fact]
    public void MultilabelCurvesCountTheTextsWhoseGoldIsKnownForTheLabel()
    {
        var card = new ModelCard { Kind = "teacher", Labels = ["x", "y"], Exclusive = false, Path = "/runs/tagger" };
        TextcatPrediction Multi(double x, double? goldX)
        {
            var example = new TextcatExample($"text {x} {goldX}");
            if (goldX is { } g)
            {
                example.Cats["x"] = g;
            }
            return new TextcatPrediction(example, new LabelValues { ["x"] = x, ["y"] = 0.5 }, card);
        }

        var curves = PrecisionCoverage.Curves([Multi(0.9, 1), Multi(0.7, 0), Multi(0.3, 1), Multi(0.8, null)]);

        var x = curves.Single(c => c.Label == "x").Points;
        Assert.Equal([0.9, 0.7, 0.3], x.Select(p => p.Threshold));
        Assert.Equal([1.0, 0.5, 2.0 / 3], x.Select(p => p.Precision));
        Assert.Empty(curves.Single(c => c.Label == "y").Points);
    }

    [Fact]
    public void ARunWithoutEpochsAndAScoreWithoutConfusionLeaveTheirSectionsOut()
    {
        var report = new UptrainReport();
        var run = ReportFixtures.Run("student", "/runs/stopped");
        report.AddRun(new TrainingResult { ModelPath = run.ModelPath, Card = run.Card, History = [] });
        var multilabel = Uptrain.Metrics.TextcatScorer.Score(
            [new Uptrain.Metrics.ScoredItem(new LabelValues { ["x"] = 1 }, new LabelValues { ["x"] = 0.9 })],
            new Uptrain.Metrics.TextcatScorerOptions { Exclusive = false });
        report.AddScore("tagger", multilabel);

        var html = ReportHtml.Render(report, DateTimeOffset.UnixEpoch);

        Assert.DoesNotContain("<section id=\"training\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<section id=\"confusion\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>tagger</td><td>–</td>", html, StringComparison.Ordinal);
        Assert.Contains("<section id=\"settings\">", html, StringComparison.Ordinal);
    }
}
