using System.Globalization;
using System.Text;
using Uptrain.Metrics;
using static Uptrain.Diagnostics.UserMessage;
using static Uptrain.Reporting.Html;

namespace Uptrain.Reporting;

/// <summary>
/// The triage thresholds: a table of each label's High and Low with the precision and coverage they bought, and,
/// where held-out predictions were given, each label's precision and coverage against the threshold with the chosen
/// High marked.
/// </summary>
internal static class ThresholdSection
{
    /// <summary>Curves are thinned to about this many points (a plotted staircase needs no more).</summary>
    public const int MaxPoints = 400;

    public static void Append(StringBuilder html, ThresholdSet? thresholds, IReadOnlyList<TextcatPrediction> predictions)
    {
        var curves = Curves(thresholds, predictions);
        if (thresholds is null && curves.Count == 0)
        {
            return;
        }
        html.Append("<section id=\"thresholds\">\n<h2>").Append(Encode(Messages.ReportThresholdsHeading)).Append("</h2>\n");
        if (thresholds is not null)
        {
            AppendTable(html, thresholds);
        }
        if (curves.Count > 0)
        {
            html.Append("<div class=\"charts\">\n");
            foreach (var (label, points) in curves)
            {
                var threshold = thresholds?.For(label);
                var title = Format(Messages.ReportCurveChart, label);
                html.Append("<figure>\n")
                    .Append(ReportCharts.PrecisionCoverage(title, points, threshold?.High, thresholds?.TargetPrecision))
                    .Append("\n</figure>\n");
            }
            html.Append("</div>\n<p class=\"note\">")
                .Append(Encode(Format(Messages.ReportCurveNote, predictions.Count(p => p.Cats.Count > 0)))).Append("</p>\n");
        }
        else
        {
            html.Append("<p class=\"note\">").Append(Encode(Messages.ReportNoCurves)).Append("</p>\n");
        }
        html.Append("</section>\n");
    }

    /// <summary>
    /// The curves the section draws: <see cref="PrecisionCoverage.Curves"/>, the scan Find-UptrainThreshold chooses
    /// each High on, of the labels with held-out texts, thinned to <see cref="MaxPoints"/>.
    /// </summary>
    internal static List<(string Label, IReadOnlyList<CurvePoint> Points)> Curves(ThresholdSet? thresholds, IReadOnlyList<TextcatPrediction> predictions) =>
        PrecisionCoverage.Curves(CurvePredictions(thresholds, predictions))
            .Where(c => c.Points.Count > 0)
            .Select(c => (c.Label, Thin(c.Points)))
            .ToList();

    // Keeps the first and the last point and evenly spaced ones between.
    private static IReadOnlyList<CurvePoint> Thin(IReadOnlyList<CurvePoint> points)
    {
        if (points.Count <= MaxPoints)
        {
            return points;
        }
        var step = (double)(points.Count - 1) / (MaxPoints - 1);
        return Enumerable.Range(0, MaxPoints).Select(k => points[(int)Math.Round(k * step)]).ToList();
    }

    // The predictions with gold, of the model the thresholds were found for where it is among them, else of the first model.
    private static List<TextcatPrediction> CurvePredictions(ThresholdSet? thresholds, IReadOnlyList<TextcatPrediction> predictions)
    {
        var withGold = predictions.Where(p => p.Cats.Count > 0).ToList();
        if (withGold.Count == 0)
        {
            return withGold;
        }
        static string Key(TextcatPrediction p) => p.Model.Path ?? p.Model.Name;
        var model = thresholds?.Model is { } m && withGold.Any(p => Key(p) == m) ? m : Key(withGold[0]);
        return withGold.Where(p => Key(p) == model).ToList();
    }

    private static void AppendTable(StringBuilder html, ThresholdSet thresholds)
    {
        html.Append("<p class=\"note\">").Append(Encode(Format(
            Messages.ReportThresholdsSummary,
            thresholds.TargetPrecision.ToString("0.###", CultureInfo.InvariantCulture),
            thresholds.Examples,
            Percent(thresholds.AcceptShare),
            Percent(thresholds.ReviewShare),
            Percent(thresholds.SkipShare),
            thresholds.Model ?? Missing))).Append("</p>\n<table>\n<thead><tr>")
            .Append(Th(Messages.ReportLabel)).Append(Th(Messages.ReportHigh)).Append(Th(Messages.ReportLow)).Append(Th(Messages.ReportPrecision))
            .Append(Th(Messages.ReportLowerBound)).Append(Th(Messages.ReportSupport)).Append(Th(Messages.ReportAcceptShare))
            .Append(Th(Messages.ReportReviewShare)).Append(Th(Messages.ReportTargetReached)).Append("</tr></thead>\n<tbody>\n");
        foreach (var label in thresholds.Labels)
        {
            html.Append("<tr>").Append(Td(label.Label)).Append(Num(Fixed(label.High))).Append(Num(Fixed(label.Low)))
                .Append(Num(Fixed(label.Precision))).Append(Num(Fixed(label.PrecisionLowerBound))).Append(Num(label.Support))
                .Append(Num(Percent(label.AcceptShare))).Append(Num(Percent(label.ReviewShare)))
                .Append(Td(label.TargetReached ? Messages.ReportYes : Messages.ReportNo)).Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }
}
