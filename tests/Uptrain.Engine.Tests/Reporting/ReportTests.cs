using Uptrain.Diagnostics;
using Uptrain.Reporting;

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
}
