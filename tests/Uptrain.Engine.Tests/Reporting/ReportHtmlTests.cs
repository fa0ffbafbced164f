using System.Text.RegularExpressions;
using Uptrain.Reporting;

namespace Uptrain.Tests.Reporting;

public sealed class ReportHtmlTests
{
    private static readonly DateTimeOffset Written = new(2026, 1, 2, 3, 4, 0, TimeSpan.Zero);

    private static UptrainReport FullReport()
    {
        var report = new UptrainReport();
        var teacher = ReportFixtures.Card("teacher", "/runs/teacher");
        report.AddRun(ReportFixtures.Run("teacher", "/runs/teacher"));
        report.AddRun(ReportFixtures.Run("student", "/runs/student-gold"));
        report.AddScore("teacher", ReportFixtures.Score((0, 0), (1, 1), (1, 2), (2, 2), (2, 2)));
        report.AddScore("student-gold", ReportFixtures.Score((0, 0), (1, 0), (1, 2), (2, 2), (2, 1)));
        report.SetThroughput("student-gold", 12345);
        for (var i = 0; i < 30; i++)
        {
            report.AddEvalPrediction(ReportFixtures.Prediction(teacher, i % 3, 0.4 + (i * 0.02), i % 4 == 0 ? (i + 1) % 3 : i % 3));
        }
        report.Thresholds = new ThresholdSet(true, [new LabelThreshold(ThresholdSet.SharedLabel, 0.7, 0) { Precision = 0.95, Support = 12, TargetReached = true }])
        {
            TargetPrecision = 0.95,
            Examples = 30,
            Model = "/runs/teacher",
        };
        return report;
    }

    private static void Decide(UptrainReport report, ModelCard card, TriageRoute route, int count, int top = 0)
    {
        for (var i = 0; i < count; i++)
        {
            var prediction = ReportFixtures.Prediction(card, top, 0.9, top);
            report.AddDecision(new UptrainDecision(prediction, route, new LabelValues(), []));
        }
    }

    [Fact]
    public void HasOneSvgPerChart()
    {
        var html = ReportHtml.Render(FullReport(), Written);

        // Two training charts (loss, eval score) and one precision/coverage chart per label.
        Assert.Equal(2 + ReportFixtures.Labels.Length, Regex.Matches(html, "<svg[ >]").Count);
        Assert.Equal(Regex.Matches(html, "<svg[ >]").Count, Regex.Matches(html, "</svg>").Count);
        Assert.Equal(2 + ReportFixtures.Labels.Length, Regex.Matches(html, "<figure>").Count);
        Assert.DoesNotContain("<?xml", html, StringComparison.Ordinal);
        // A view box lets the page scale a chart to its width instead of cropping it.
        Assert.Equal(2 + ReportFixtures.Labels.Length, Regex.Matches(html, "<svg viewBox=\"0 0 640 360\" role=\"img\"").Count);
    }

    [Fact]
    public void EncodesLabelsAndCardValues()
    {
        var html = ReportHtml.Render(FullReport(), Written);

        Assert.Contains("&lt;b&gt;&amp;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>&", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("role=\"img\" aria-label=\"Precision and coverage by threshold: &lt;b&gt;&amp;\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void HasNoScriptAndFetchesNothing()
    {
        var html = ReportHtml.Render(FullReport(), Written);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=\s*[""']?\s*(https?:|//)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"url\(\s*[""']?\s*(https?:|//)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(new Regex(@"<(link|iframe|img|object|embed)\b", RegexOptions.IgnoreCase), html);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
    }

    [Fact]
    public void WritesEachConfusionMatrixAsATable()
    {
        var html = ReportHtml.Render(FullReport(), Written);

        Assert.Equal(2, Regex.Matches(html, "<table class=\"confusion\">").Count);
        // The teacher's matrix: the odd label's row has one hit and one text predicted as shipping.
        var teacher = html[html.IndexOf("<h3>teacher</h3>\n<table class=\"confusion\">", StringComparison.Ordinal)..];
        var row = Regex.Match(teacher, "<tr><th scope=\"row\">&lt;b&gt;&amp;</th>(.*?)</tr>").Groups[1].Value;
        Assert.Equal("<td class=\"zero\">0</td><td class=\"hit\">1</td><td class=\"miss\">1</td>", row);
    }

    [Fact]
    public void TheEvalScoreAxisStopsAtOne()
    {
        // Scores up to 1.0: an axis scaled to the data with a margin runs past 1, a capped one stops there.
        ChartSeries[] series = [new("student", [1, 2, 3], [0.98, 0.99, 1.0])];
        Assert.True(ReportCharts.LinePlot("eval", "epoch", "score", series, []).Axes.GetLimits().Top > 1.0);
        var capped = ReportCharts.LinePlot("eval", "epoch", "score", series, [], yMax: 1).Axes.GetLimits();
        Assert.Equal(1.0, capped.Top);
        Assert.True(capped.Bottom < 0.98);
    }

    [Fact]
    public void EndsWithWhatToDoNext()
    {
        var report = FullReport();
        Decide(report, ReportFixtures.Card("teacher", "/runs/teacher"), TriageRoute.Review, 7);
        var html = ReportHtml.Render(report, Written);
        var next = Regex.Match(html, "<section id=\"next\">.*?</section>", RegexOptions.Singleline).Value;

        Assert.EndsWith("</section>\n</body>\n</html>\n", html, StringComparison.Ordinal);
        Assert.Contains("7 texts went to review", next, StringComparison.Ordinal);
        Assert.Contains("Invoke-TextcatReview", next, StringComparison.Ordinal);
        Assert.True(next.Contains("The student to deploy: student-gold (/runs/student-gold), Score ", StringComparison.Ordinal), next);
        Assert.True(next.Contains("for the teacher teacher, 12,345 texts/s", StringComparison.Ordinal), next);

        // Nothing to say: no section.
        Assert.DoesNotContain("id=\"next\"", ReportHtml.Render(new UptrainReport { Thresholds = report.Thresholds }, Written), StringComparison.Ordinal);
    }

    [Fact]
    public void ComparesTheModels()
    {
        var html = ReportHtml.Render(FullReport(), Written);
        var table = Regex.Match(html, "<section id=\"comparison\">.*?</section>", RegexOptions.Singleline).Value;

        Assert.Contains("<tr><td>teacher</td><td>teacher</td>", table, StringComparison.Ordinal);
        Assert.Contains("<tr><td>student-gold</td><td>student</td>", table, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">12,345</td>", table, StringComparison.Ordinal);
        // The teacher's score: 4 of 5 right.
        Assert.Contains("<td class=\"num\">0.8000</td>", table, StringComparison.Ordinal);
    }

    [Fact]
    public void CountsTheRoutes()
    {
        var report = new UptrainReport();
        var card = ReportFixtures.Card("teacher", "/runs/teacher");
        Decide(report, card, TriageRoute.Accept, 3, top: 1);
        Decide(report, card, TriageRoute.Accept, 1, top: 2);
        Decide(report, card, TriageRoute.Review, 5);
        Decide(report, card, TriageRoute.Skip, 2);

        Assert.Equal(11, report.Decisions);
        Assert.Equal(4, report.Routes[TriageRoute.Accept]);
        Assert.Equal(3, report.AcceptedByLabel[ReportFixtures.OddLabel]);
        var html = ReportHtml.Render(report, Written);
        Assert.Contains("<tr><td>Accept</td><td class=\"num\">4</td><td class=\"num\">36.4 %</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>Review</td><td class=\"num\">5</td><td class=\"num\">45.5 %</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>Skip</td><td class=\"num\">2</td><td class=\"num\">18.2 %</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>&lt;b&gt;&amp;</td><td class=\"num\">3</td></tr>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowsThresholdsWithoutCurvesWhenNoPredictionsAreGiven()
    {
        var report = new UptrainReport
        {
            Thresholds = new ThresholdSet(true, [new LabelThreshold("billing", 0.8, 0) { Precision = 0.97 }]) { TargetPrecision = 0.95 },
        };

        var html = ReportHtml.Render(report, Written);

        Assert.Contains("<section id=\"thresholds\">", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">0.9700</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<section id=\"comparison\">", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(45, "45 s")]
    [InlineData(492, "8 min 12 s")]
    [InlineData(3725, "1 h 2 min 5 s")]
    public void DurationsCarryTheirUnits(int seconds, string shown) =>
        Assert.Equal(shown, Html.Duration(TimeSpan.FromSeconds(seconds)));
}

public sealed class WorthSectionTests
{
    [Fact]
    public void ShowsComparisonsWithTheirIntervals_AndTheTrainingCurve_EncodingNames()
    {
        var report = new UptrainReport();
        var metric = new MetricComparison("macro F", 0.80, 0.70, -0.15, -0.05, 0.002);
        report.AddComparison(new ScoreComparison("teacher", "<student>", 300, 2000, 1, [metric], "teacher better by 10.0 points, 95% CI 5.0–15.0 (300 texts)"));
        report.AddCurvePoint(new TrainingCurvePoint("student", 0.5, 50, "macro F", [0.6, 0.62], 0.61, 0.55, 0.66, null, null, null, 300));
        report.AddCurvePoint(new TrainingCurvePoint("student", 1.0, 100, "macro F", [0.7, 0.7], 0.70, 0.65, 0.75, 0.09, 0.04, 0.14, 300));

        var html = ReportHtml.Render(report, DateTimeOffset.UnixEpoch);

        var section = Regex.Match(html, "<section id=\"worth\">.*?</section>", RegexOptions.Singleline).Value;
        Assert.Contains("&lt;student&gt;", section, StringComparison.Ordinal);
        Assert.Contains("−10.0", section, StringComparison.Ordinal);
        Assert.Contains("−15.0 … −5.0", section, StringComparison.Ordinal);
        Assert.Contains("teacher better by 10.0 points", section, StringComparison.Ordinal);
        Assert.Contains("+9.0", section, StringComparison.Ordinal);
        Assert.Contains("+4.0 … +14.0", section, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Matches(section, "<svg[ >]").Count);
        Assert.True(report.HasContent);
    }
}
