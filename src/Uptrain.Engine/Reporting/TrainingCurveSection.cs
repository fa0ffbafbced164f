using System.Globalization;
using System.Text;
using static Uptrain.Reporting.Html;

namespace Uptrain.Reporting;

/// <summary>The training curves (Measure-TrainingCurve): a table and a chart of the mean score per amount of gold, with intervals.</summary>
internal static class TrainingCurveSection
{
    public static void Append(StringBuilder html, IReadOnlyList<TrainingCurvePoint> points)
    {
        if (points.Count == 0)
        {
            return;
        }
        html.Append("<h3>").Append(Encode(Messages.ReportCurveHeading)).Append("</h3>\n<table>\n<thead><tr>")
            .Append(Th(Messages.ReportKind)).Append(Th(Messages.ReportCurveFraction)).Append(Th(Messages.ReportCurveExamples))
            .Append(Th(Messages.ReportScoreWhat)).Append(Th(Messages.ReportScore)).Append(Th(Messages.ReportInterval95))
            .Append(Th(Messages.ReportCurveGain)).Append(Th(Messages.ReportInterval)).Append(Th(Messages.ReportCurveSeeds)).Append("</tr></thead>\n<tbody>\n");
        foreach (var p in points)
        {
            html.Append("<tr>").Append(Td(p.Kind)).Append(Num(Percent(p.Fraction))).Append(Num(p.Examples)).Append(Td(p.Metric))
                .Append(Num(Fixed(p.Score))).Append(Num(Fixed(p.CiLow) + " … " + Fixed(p.CiHigh)))
                .Append(Num(p.Gain is { } gain ? WorthSection.Points(gain, signed: true) : Missing))
                .Append(Num(p.Gain is null ? Missing : WorthSection.Points(p.GainCiLow!.Value, signed: true) + " … " + WorthSection.Points(p.GainCiHigh!.Value, signed: true)))
                .Append(Num(string.Join(" ", p.Scores.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture))))).Append("</tr>\n");
        }
        var series = points.GroupBy(p => p.Kind, StringComparer.Ordinal)
            .Select(g => new ChartBand(g.Key, g.Select(p => (double)p.Examples).ToArray(), g.Select(p => p.Score).ToArray(),
                g.Select(p => p.CiLow).ToArray(), g.Select(p => p.CiHigh).ToArray()))
            .ToList();
        html.Append("</tbody>\n</table>\n<figure>\n")
            .Append(ReportCharts.Bands(Messages.ReportTrainingCurveChart, Messages.ReportCurveAxis, Messages.ReportEvalAxis, series))
            .Append("\n</figure>\n<p class=\"note\">").Append(Encode(Messages.ReportTrainingCurveNote)).Append("</p>\n");
    }
}
