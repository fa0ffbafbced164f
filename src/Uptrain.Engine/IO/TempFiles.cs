using System.Diagnostics;
using System.Globalization;

namespace Uptrain.IO;

/// <summary>
/// The hidden temporary files (or folders) a new file is written to before it is moved into place:
/// <c>.&lt;name&gt;.&lt;pid&gt;-&lt;random&gt;.tmp</c> beside the target; and, named the same way but ending in
/// <c>.old</c>, the old copy a folder is moved aside to while the new one takes its place. The writer's process id in
/// the name lets a later writer tell the leftovers of a killed writer from the files of one still at work.
/// </summary>
internal static class TempFiles
{
    private const string Extension = ".tmp";

    /// <summary>The ending of an aside name: the old copy of a target being replaced.</summary>
    private const string AsideExtension = ".old";

    /// <summary>Hex digits of the random part of a name.</summary>
    private const int RandomLength = 8;

    /// <summary>Hex digits of the random part of a folder name written by versions before the process id was in it.</summary>
    private const int LegacyFolderRandomLength = 32;

    /// <summary>A new temporary file name for <paramref name="target"/> (a full path), in its folder.</summary>
    internal static string NameFor(string target) => NameFor(target, Extension);

    /// <summary>A new name to move the old <paramref name="target"/> (a full path) aside to while its replacement moves in.</summary>
    internal static string AsideNameFor(string target) => NameFor(target, AsideExtension);

    private static string NameFor(string target, string extension) =>
        Path.Combine(
            Path.GetDirectoryName(target)!,
            string.Concat(
                Prefix(target),
                Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                "-",
                Guid.NewGuid().ToString("N")[..RandomLength],
                extension));

    /// <summary>
    /// Deletes the temporary files of <paramref name="target"/> whose writer is gone: its process has
    /// exited (a zombie, killed but not yet reaped by its parent, counts as exited), or the id now belongs to a
    /// process started after the file was last written. A file named
    /// without a process id (written by an older version) is stale when it was last written before this
    /// process started. Temporary folders are judged the same way and deleted whole. A stale aside copy is moved back
    /// to the target when the target is missing (its writer died between moving it aside and moving the new copy in),
    /// and deleted otherwise. Entries that cannot be deleted are left alone; nothing else is touched.
    /// </summary>
    internal static void RemoveStale(string target)
    {
        var prefix = Prefix(target);
        List<FileSystemInfo> candidates;
        try
        {
            candidates = new DirectoryInfo(Path.GetDirectoryName(target)!).EnumerateFileSystemInfos(prefix + "*").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var entry in candidates)
        {
            var name = entry.Name;
            var aside = name.EndsWith(AsideExtension, StringComparison.Ordinal);
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !(aside || name.EndsWith(Extension, StringComparison.Ordinal)))
            {
                continue;
            }
            var id = name[prefix.Length..^(aside ? AsideExtension : Extension).Length];
            if (!IsStale(entry, id))
            {
                continue;
            }
            if (!(aside && TryRestore(entry, target)))
            {
                TryDelete(entry);
            }
        }
    }

    private static string Prefix(string target) => string.Concat(".", Path.GetFileName(target), ".");

    private static bool IsStale(FileSystemInfo entry, string id)
    {
        var written = entry.LastWriteTimeUtc;
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            var legacyLength = entry is DirectoryInfo ? LegacyFolderRandomLength : RandomLength;
            return id.Length == legacyLength && IsHex(id) && written < ProcessStart();
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

    /// <summary>Moves an aside copy back to <paramref name="target"/> when nothing is there; false when it was not moved.</summary>
    private static bool TryRestore(FileSystemInfo aside, string target)
    {
        if (File.Exists(target) || Directory.Exists(target))
        {
            return false;
        }
        try
        {
            Move(aside.FullName, target);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another writer put something there first, or the copy is not ours to move: judge it as a leftover.
            return false;
        }
    }

    /// <summary>Renames a file or a folder.</summary>
    internal static void Move(string source, string destination)
    {
        if (Directory.Exists(source))
        {
            Directory.Move(source, destination);
        }
        else
        {
            File.Move(source, destination);
        }
    }

    /// <summary>Deletes a file or a whole folder, leaving it when it cannot be deleted.</summary>
    internal static void TryDelete(FileSystemInfo entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            if (entry is DirectoryInfo folder)
            {
                folder.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another writer removed it first, or it is not ours to remove: leave it.
        }
    }
}
