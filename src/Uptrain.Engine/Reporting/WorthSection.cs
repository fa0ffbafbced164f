using System.Globalization;
using System.Text;
using static Uptrain.Reporting.Html;

namespace Uptrain.Reporting;

/// <summary>
/// "Is it worth it?": the paired comparisons of models (each difference with its 95% interval, as a table and as a chart
/// of intervals around 0), and the training curves (the mean score per share of the gold with its interval).
/// </summary>
internal static class WorthSection
{
    public static void Append(StringBuilder html, UptrainReport report)
    {
        if (report.Comparisons.Count == 0 && report.CurvePoints.Count == 0)
        {
            return;
        }
        html.Append("<section id=\"worth\">\n<h2>").Append(Encode(Messages.ReportWorthHeading)).Append("</h2>\n");
        AppendComparisons(html, report.Comparisons);
        TrainingCurveSection.Append(html, report.CurvePoints);
        html.Append("</section>\n");
    }

    private static void AppendComparisons(StringBuilder html, IReadOnlyList<ScoreComparison> comparisons)
    {
        if (comparisons.Count == 0)
        {
            return;
        }
        html.Append("<h3>").Append(Encode(Messages.ReportComparisonsHeading)).Append("</h3>\n<table>\n<thead><tr>")
            .Append(Th(Messages.ReportModel)).Append(Th(Messages.ReportAgainst)).Append(Th(Messages.ReportScoreWhat))
            .Append(Th(Messages.ReportDeltaPoints)).Append(Th(Messages.ReportInterval)).Append(Th(Messages.ReportPValue))
            .Append(Th(Messages.ReportExamples)).Append(Th(Messages.ReportVerdict)).Append("</tr></thead>\n<tbody>\n");
        foreach (var c in comparisons)
        {
            html.Append("<tr>").Append(Td(c.Difference)).Append(Td(c.Reference)).Append(Td(c.Metric))
                .Append(Num(Points(c.Delta, signed: true))).Append(Num(Points(c.CiLow, signed: true) + " … " + Points(c.CiHigh, signed: true)))
                .Append(Num(c.PValue.ToString("0.000", CultureInfo.InvariantCulture))).Append(Num(c.Examples)).Append(Td(c.Verdict)).Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n<figure>\n").Append(ReportCharts.Intervals(Messages.ReportComparisonChart, Messages.ReportDeltaAxis,
            comparisons.Select(c => new ChartInterval(Format(Messages.ReportComparisonPair, c.Difference, c.Reference), c.Delta * 100, c.CiLow * 100, c.CiHigh * 100)).ToList()))
            .Append("\n</figure>\n<p class=\"note\">").Append(Encode(Messages.ReportComparisonNote)).Append("</p>\n");
    }

    internal static string Points(double value, bool signed) =>
        (value * 100).ToString(signed ? "+0.0;−0.0;0.0" : "0.0", CultureInfo.InvariantCulture);

    private static string Format(string format, params object?[] args) => Diagnostics.UserMessage.Format(format, args);
}
