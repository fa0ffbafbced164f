using System.Globalization;
using System.Text;
using static Uptrain.Reporting.Html;

namespace Uptrain.Reporting;

/// <summary>
/// The comparison table: one row per model with its Score, macro F and accuracy (from the score given for it, else
/// from its card's eval metrics at the kept epoch, marked), training time, scoring speed and size on disk.
/// </summary>
internal static class ComparisonSection
{
    /// <summary>Marks a row whose metrics come from the training run's own eval data, not from a given score.</summary>
    private const string FromCardMark = " *";

    public static void Append(StringBuilder html, IReadOnlyList<ReportModel> models)
    {
        if (models.Count == 0)
        {
            return;
        }
        html.Append("<section id=\"comparison\">\n<h2>").Append(Encode(Messages.ReportComparisonHeading)).Append("</h2>\n<table>\n<thead><tr>")
            .Append(Th(Messages.ReportModel)).Append(Th(Messages.ReportKind)).Append(Th(Messages.ReportScore)).Append(Th(Messages.ReportScoreWhat))
            .Append(Th(Messages.ReportMacroF)).Append(Th(Messages.ReportAccuracy)).Append(Th(Messages.ReportExamples))
            .Append(Th(Messages.ReportBestEpoch)).Append(Th(Messages.ReportTrainingTime))
            .Append(Th(Messages.ReportTextsPerSecond)).Append(Th(Messages.ReportSize)).Append("</tr></thead>\n<tbody>\n");
        var anyFromCard = false;
        foreach (var model in models)
        {
            anyFromCard |= AppendRow(html, model);
        }
        html.Append("</tbody>\n</table>\n");
        if (anyFromCard)
        {
            html.Append("<p class=\"note\">").Append(Encode(Messages.ReportFromCardNote)).Append("</p>\n");
        }
        html.Append("</section>\n");
    }

    // One row; true when its metrics came from the run's card.
    private static bool AppendRow(StringBuilder html, ReportModel model)
    {
        double? score, macroF, accuracy;
        string what, examples;
        var fromCard = false;
        if (model.Score is { } s)
        {
            (score, macroF, accuracy, what) = (s.Score, s.MacroF, s.Accuracy, s.ScoreDescription);
            examples = s.Examples.ToString("N0", CultureInfo.InvariantCulture);
        }
        else if (model.Run is { } run)
        {
            var metrics = run.Card.Metrics;
            score = run.BestScore;
            macroF = metrics.TryGetValue("macroF", out var f) ? f : null;
            accuracy = metrics.TryGetValue("accuracy", out var a) ? a : null;
            what = run.ScoreDescription + FromCardMark;
            examples = Missing;
            fromCard = true;
        }
        else
        {
            (score, macroF, accuracy, what, examples) = (null, null, null, Missing, Missing);
        }
        html.Append("<tr>").Append(Td(model.Name)).Append(Td(model.Kind ?? Missing))
            .Append(Num(Fixed(score))).Append(Td(what)).Append(Num(Fixed(macroF))).Append(Num(Fixed(accuracy))).Append(Num(examples))
            .Append(Num(model.Run is { BestEpoch: > 0 } r ? r.BestEpoch.ToString(CultureInfo.InvariantCulture) : Missing))
            .Append(Num(model.Run is { } timed ? Duration(timed.Duration) : Missing))
            .Append(Num(model.TextsPerSecond is { } tps ? tps.ToString("N0", CultureInfo.InvariantCulture) : Missing))
            .Append(Num(Bytes(model.SizeOnDisk())))
            .Append("</tr>\n");
        return fromCard;
    }
}
