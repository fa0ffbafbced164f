using System.Text;
using static Uptrain.Reporting.Html;

namespace Uptrain.Reporting;

/// <summary>The per-epoch curves of every training run: training loss, and the eval score, one line per model.</summary>
internal static class TrainingSection
{
    public static void Append(StringBuilder html, IReadOnlyList<ReportModel> models)
    {
        var runs = models.Where(m => m.Run is { History.Count: > 0 }).ToList();
        if (runs.Count == 0)
        {
            return;
        }
        html.Append("<section id=\"training\">\n<h2>").Append(Encode(Messages.ReportTrainingHeading)).Append("</h2>\n<div class=\"charts\">\n");
        AppendChart(html, Messages.ReportLossChart, Messages.ReportLossAxis, runs, e => e.Loss, yMax: null);
        // Every Score (F, macro F, macro AUC) is at most 1: the axis stops there.
        AppendChart(html, Messages.ReportEvalChart, Messages.ReportEvalAxis, runs, e => e.EvalScore, yMax: 1);
        html.Append("</div>\n<p class=\"note\">").Append(Encode(Messages.ReportTrainingNote)).Append("</p>\n</section>\n");
    }

    private static void AppendChart(StringBuilder html, string title, string axis, List<ReportModel> runs, Func<EpochResult, double> value, double? yMax)
    {
        var series = runs
            .Select(m => new ChartSeries(m.Name, m.Run!.History.Select(e => (double)e.Epoch).ToArray(), m.Run.History.Select(value).ToArray()))
            .ToList();
        var marks = runs.Where(m => m.Run!.BestEpoch > 0).Select(m => new ChartMark(m.Name, m.Run!.BestEpoch)).ToList();
        html.Append("<figure>\n").Append(ReportCharts.Lines(title, Messages.ReportEpochAxis, axis, series, marks, yMax)).Append("\n</figure>\n");
    }
}
