using System.Text;
using Uptrain.Diagnostics;
using Uptrain.IO;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Reporting;

/// <summary>Writes a report's HTML page to a file, safely: through a temporary file moved into place, never over an existing file unless allowed.</summary>
public static class ReportWriter
{
    /// <summary>Throws <c>FileExists</c> when <paramref name="path"/> exists.</summary>
    /// <exception cref="UptrainException"><c>FileExists</c>.</exception>
    public static void ThrowIfExists(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            throw new UptrainException("FileExists", ErrorKind.ResourceExists, Format(Messages.ReportFileExists, path), path);
        }
    }

    /// <summary>Renders <paramref name="report"/> and writes it to <paramref name="path"/> (UTF-8, no byte order mark).</summary>
    /// <exception cref="UptrainException"><c>NothingToReport</c> for a report without content; <c>FileExists</c>.</exception>
    public static void Write(UptrainReport report, string path, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(path);
        if (!report.HasContent)
        {
            throw new UptrainException("NothingToReport", ErrorKind.InvalidData, Messages.ReportNothing);
        }
        var full = Path.GetFullPath(path);
        if (!overwrite)
        {
            ThrowIfExists(full);
        }
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(ReportHtml.Render(report, DateTimeOffset.UtcNow));
        AtomicFile.WriteAllBytes(full, bytes, overwrite);
    }
}
