using System.Globalization;
using System.Text;
using static Uptrain.Diagnostics.UserMessage;
using static Uptrain.Reporting.Html;

namespace Uptrain.Reporting;

/// <summary>
/// Renders an <see cref="UptrainReport"/> as one self-contained HTML page: inline CSS (also for print), charts as
/// inline SVG, no script and nothing fetched from elsewhere. Every text that comes from data is HTML-encoded.
/// Sections without data are left out.
/// </summary>
public static class ReportHtml
{
    /// <summary>The page for <paramref name="report"/>; <paramref name="written"/> is the time shown on it.</summary>
    public static string Render(UptrainReport report, DateTimeOffset written)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(Encode(report.Title))
            .Append("</title>\n<style>\n").Append(ReportStyle.Css).Append("</style>\n</head>\n<body>\n<h1>")
            .Append(Encode(report.Title)).Append("</h1>\n<p class=\"meta\">")
            .Append(Encode(Format(Messages.ReportWritten, written.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))))
            .Append("</p>\n");
        ComparisonSection.Append(html, report.Models);
        WorthSection.Append(html, report);
        TrainingSection.Append(html, report.Models);
        ThresholdSection.Append(html, report.Thresholds, report.EvalPredictions);
        AppendRoutes(html, report);
        AppendConfusions(html, report.Models);
        SettingsSection.Append(html, report.Models);
        NextSection.Append(html, report);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendRoutes(StringBuilder html, UptrainReport report)
    {
        if (report.Decisions == 0)
        {
            return;
        }
        html.Append("<section id=\"routes\">\n<h2>").Append(Encode(Messages.ReportRoutesHeading)).Append("</h2>\n<table>\n<thead><tr>")
            .Append(Th(Messages.ReportRoute)).Append(Th(Messages.ReportTexts)).Append(Th(Messages.ReportShare)).Append("</tr></thead>\n<tbody>\n");
        foreach (var route in Enum.GetValues<TriageRoute>())
        {
            var count = report.Routes.GetValueOrDefault(route);
            html.Append("<tr>").Append(Td(route.ToString())).Append(Num(count)).Append(Num(Percent((double)count / report.Decisions))).Append("</tr>\n");
        }
        html.Append("<tr class=\"total\">").Append(Td(Messages.ReportTotal)).Append(Num(report.Decisions)).Append(Num(Percent(1))).Append("</tr>\n</tbody>\n</table>\n");
        if (report.AcceptedByLabel.Count > 0)
        {
            html.Append("<h3>").Append(Encode(Messages.ReportAcceptedByLabel)).Append("</h3>\n<table>\n<thead><tr>")
                .Append(Th(Messages.ReportLabel)).Append(Th(Messages.ReportTexts)).Append("</tr></thead>\n<tbody>\n");
            foreach (var (label, count) in report.AcceptedByLabel.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
            {
                html.Append("<tr>").Append(Td(label)).Append(Num(count)).Append("</tr>\n");
            }
            html.Append("</tbody>\n</table>\n");
        }
        html.Append("</section>\n");
    }

    private static void AppendConfusions(StringBuilder html, IReadOnlyList<ReportModel> models)
    {
        var scored = models.Where(m => m.Score?.Confusion is not null).ToList();
        if (scored.Count == 0)
        {
            return;
        }
        html.Append("<section id=\"confusion\">\n<h2>").Append(Encode(Messages.ReportConfusionHeading)).Append("</h2>\n<p class=\"note\">")
            .Append(Encode(Messages.ReportConfusionNote)).Append("</p>\n");
        foreach (var model in scored)
        {
            var matrix = model.Score!.Confusion!;
            html.Append("<h3>").Append(Encode(model.Name)).Append("</h3>\n<table class=\"confusion\">\n<thead><tr><th>")
                .Append(Encode(Messages.ReportGoldPredicted)).Append("</th>");
            foreach (var label in matrix.Labels)
            {
                html.Append(Th(label));
            }
            html.Append("</tr></thead>\n<tbody>\n");
            for (var gold = 0; gold < matrix.Labels.Count; gold++)
            {
                html.Append("<tr><th scope=\"row\">").Append(Encode(matrix.Labels[gold])).Append("</th>");
                for (var predicted = 0; predicted < matrix.Labels.Count; predicted++)
                {
                    var count = matrix.Counts[gold][predicted];
                    var cls = gold == predicted ? "hit" : count > 0 ? "miss" : "zero";
                    html.Append("<td class=\"").Append(cls).Append("\">").Append(count.ToString(CultureInfo.InvariantCulture)).Append("</td>");
                }
                html.Append("</tr>\n");
            }
            html.Append("</tbody>\n</table>\n");
        }
        html.Append("</section>\n");
    }
}
