using System.Diagnostics;
using System.Globalization;

namespace Uptrain.IO;

/// <summary>
/// The hidden temporary files a new file is written to before it is moved into place:
/// <c>.&lt;name&gt;.&lt;pid&gt;-&lt;random&gt;.tmp</c> beside the target. The writer's process id in the name lets
/// a later writer tell the leftovers of a killed writer from the file of one still at work.
/// </summary>
internal static class TempFiles
{
    private const string Extension = ".tmp";

    /// <summary>Hex digits of the random part of a name.</summary>
    private const int RandomLength = 8;

    /// <summary>A new temporary file name for <paramref name="target"/> (a full path), in its folder.</summary>
    internal static string NameFor(string target) =>
        Path.Combine(
            Path.GetDirectoryName(target)!,
            string.Concat(
                Prefix(target),
                Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                "-",
                Guid.NewGuid().ToString("N")[..RandomLength],
                Extension));

    /// <summary>
    /// Deletes the temporary files of <paramref name="target"/> whose writer is gone: its process has
    /// exited (a zombie, killed but not yet reaped by its parent, counts as exited), or the id now belongs to a
    /// process started after the file was last written. A file named
    /// without a process id (written by an older version) is stale when it was last written before this
    /// process started. Files that cannot be deleted are left alone; nothing else is touched.
    /// </summary>
    internal static void RemoveStale(string target)
    {
        var folder = Path.GetDirectoryName(target)!;
        var prefix = Prefix(target);
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(folder, prefix + "*" + Extension).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var file in candidates)
        {
            var name = Path.GetFileName(file);
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(Extension, StringComparison.Ordinal))
            {
                continue;
            }
            var id = name[prefix.Length..^Extension.Length];
            if (IsStale(file, id))
            {
                TryDelete(file);
            }
        }
    }

    private static string Prefix(string target) => string.Concat(".", Path.GetFileName(target), ".");

    private static bool IsStale(string file, string id)
    {
        var written = File.GetLastWriteTimeUtc(file);
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return id.Length == RandomLength && IsHex(id) && written < ProcessStart();
        }
        if (id.Length - dash - 1 != RandomLength || !IsHex(id[(dash + 1)..])
            || !int.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }
        return pid != Environment.ProcessId && WriterIsGone(pid, written);
    }

    private static bool WriterIsGone(int pid, DateTime written)
    {
        if (IsDeadOnLinux(pid))
        {
            return true;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            // The id was reused: this process started after the file was last written, so it is not the writer.
            return process.StartTime.ToUniversalTime() > written;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Cannot tell (exited meanwhile, or no access): keep it.
            return false;
        }
    }

    /// <summary>
    /// True when Linux shows <paramref name="pid"/> as a zombie (<c>Z</c>: killed or exited, not yet reaped by its parent)
    /// or dead (<c>X</c>). <see cref="Process.GetProcessById(int)"/> still finds such a process, but it writes nothing
    /// more. The state is the first field after the command name, which is in parentheses and may itself hold spaces
    /// and parentheses, so it is read after the last <c>)</c> of <c>/proc/&lt;pid&gt;/stat</c>.
    /// </summary>
    internal static bool IsDeadOnLinux(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        string stat;
        try
        {
            stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No such process (the usual check below says so) or no access: this check cannot tell.
            return false;
        }
        var end = stat.LastIndexOf(')');
        if (end < 0 || end + 2 >= stat.Length)
        {
            return false;
        }
        return stat[end + 2] is 'Z' or 'X';
    }

    private static DateTime ProcessStart()
    {
        using var self = Process.GetCurrentProcess();
        return self.StartTime.ToUniversalTime();
    }

    private static bool IsHex(string text) => text.All(char.IsAsciiHexDigit);

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another writer removed it first, or it is not ours to remove: leave it.
        }
    }
}
