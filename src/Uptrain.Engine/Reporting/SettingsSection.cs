using System.Text;
using static Uptrain.Reporting.Html;

namespace Uptrain.Reporting;

/// <summary>The settings each model was trained with and the fingerprints of its data, from the run's card.</summary>
internal static class SettingsSection
{
    public static void Append(StringBuilder html, IReadOnlyList<ReportModel> models)
    {
        var runs = models.Where(m => m.Run is not null).ToList();
        if (runs.Count == 0)
        {
            return;
        }
        html.Append("<section id=\"settings\">\n<h2>").Append(Encode(Messages.ReportSettingsHeading)).Append("</h2>\n");
        foreach (var model in runs)
        {
            var card = model.Run!.Card;
            html.Append("<h3>").Append(Encode(model.Name)).Append("</h3>\n<p class=\"note\">")
                .Append(Encode(model.Run.ModelPath)).Append("</p>\n<div class=\"charts\">\n");
            AppendEntries(html, Messages.ReportTrainingSettings, card.Training);
            AppendEntries(html, Messages.ReportTrainingData, card.Data);
            html.Append("</div>\n");
        }
        html.Append("</section>\n");
    }

    private static void AppendEntries(StringBuilder html, string caption, IReadOnlyDictionary<string, object?> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }
        html.Append("<table>\n<caption>").Append(Encode(caption)).Append("</caption>\n<tbody>\n");
        foreach (var (name, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            html.Append("<tr><th scope=\"row\">").Append(Encode(name)).Append("</th>").Append(Td(Value(value))).Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }
}
