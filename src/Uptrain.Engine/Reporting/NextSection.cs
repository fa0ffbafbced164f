using System.Globalization;
using System.Text;
using static Uptrain.Diagnostics.UserMessage;
using static Uptrain.Reporting.Html;

namespace Uptrain.Reporting;

/// <summary>
/// The report's last section, "What next": how many texts wait for review and the command that reviews them, and the
/// student to deploy (the student with the highest held-out Score) against the best teacher. Left out when there is
/// nothing to say.
/// </summary>
internal static class NextSection
{
    public static void Append(StringBuilder html, UptrainReport report)
    {
        var lines = new List<string>();
        if (report.Routes.TryGetValue(TriageRoute.Review, out var review) && review > 0)
        {
            lines.Add(Format(Messages.ReportNextReview, review));
        }

        var scored = report.Models.Where(m => m.Score is not null).ToList();
        var student = scored.Where(m => m.Kind == "student").MaxBy(m => m.Score!.Score);
        if (student is not null)
        {
            var teacher = scored.Where(m => m.Kind == "teacher").MaxBy(m => m.Score!.Score);
            var where = student.Run?.ModelPath ?? student.Name;
            var speed = student.TextsPerSecond is { } tps ? Format(Messages.ReportNextSpeed, tps.ToString("N0", CultureInfo.InvariantCulture)) : string.Empty;
            lines.Add(teacher is null
                ? Format(Messages.ReportNextDeploy, student.Name, where, student.Score!.Score, student.Score.ScoreDescription, speed)
                : Format(Messages.ReportNextDeployAgainstTeacher, student.Name, where, student.Score!.Score, student.Score.ScoreDescription, teacher.Name, teacher.Score!.Score, speed));
        }

        if (lines.Count == 0)
        {
            return;
        }

        html.Append("<section id=\"next\">\n<h2>").Append(Encode(Messages.ReportNextHeading)).Append("</h2>\n<ul>\n");
        foreach (var line in lines)
        {
            html.Append("<li>").Append(Encode(line)).Append("</li>\n");
        }

        html.Append("</ul>\n</section>\n");
    }
}
