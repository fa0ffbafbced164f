using System.Globalization;
using System.Text;
using Uptrain.Diagnostics;

namespace Uptrain.Data;

/// <summary>File helpers shared by the readers and writers: opening, locations, message formatting.</summary>
internal static class DataFiles
{
    /// <summary>Characters of a text shown in a message before it is cut.</summary>
    private const int PreviewLength = 60;

    /// <summary>Links followed while resolving one path; Linux's own limit (40): a longer chain is a loop.</summary>
    private const int MaxLinkDepth = 40;

    /// <summary>Read buffer for sequential file reads (bytes).</summary>
    internal const int BufferSize = 1 << 16;

    /// <summary>UTF-8 without a byte order mark: what every writer emits.</summary>
    internal static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The <c>file:line</c> of a record.</summary>
    internal static string Location(string file, long line) =>
        string.Concat(file, ":", line.ToString(CultureInfo.InvariantCulture));

    /// <summary>Formats a user-facing message from <see cref="Messages"/> for the current UI culture.</summary>
    internal static string Format(string format, params object?[] args) => UserMessage.Format(format, args);

    /// <summary>A one-line, shortened form of a text for messages.</summary>
    internal static string Preview(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= PreviewLength ? oneLine : string.Concat(oneLine.AsSpan(0, PreviewLength), "…");
    }

    /// <summary>Throws <c>FileNotFound</c> unless <paramref name="path"/> is an existing file.</summary>
    internal static void RequireFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new UptrainException("FileNotFound", ErrorKind.ObjectNotFound, Format(Messages.FileNotFound, path), path);
        }
    }

    /// <summary>Opens a file for one sequential pass; others may keep appending to it meanwhile.</summary>
    internal static FileStream OpenRead(string path)
    {
        RequireFile(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, BufferSize, FileOptions.SequentialScan);
    }

    /// <summary>How file names compare on this platform: case-insensitively on Windows and macOS.</summary>
    internal static StringComparison PathComparison =>
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>
    /// The full path of <paramref name="path"/> with every symbolic link along it resolved, so that two
    /// names of one file compare equal (hard links and bind mounts still look like different files).
    /// </summary>
    /// <exception cref="ArgumentException">Not a valid path.</exception>
    internal static string CanonicalPath(string path)
    {
        try
        {
            return CanonicalPath(path, depth: 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A folder that cannot be read: its links cannot be resolved either; compare the plain full path.
            return Path.GetFullPath(path);
        }
    }

    /// <summary>
    /// Linux: an existing file's identity (mount and inode, read from <c>/proc/self/fdinfo</c>), equal for
    /// two hard links of one file. Null elsewhere, for a missing file, or when the kernel does not say.
    /// </summary>
    internal static string? FileIdentity(string path)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(path))
        {
            return null;
        }
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var fd = handle.DangerousGetHandle().ToInt64().ToString(CultureInfo.InvariantCulture);
            string? mount = null, inode = null;
            foreach (var line in File.ReadLines("/proc/self/fdinfo/" + fd))
            {
                if (line.StartsWith("mnt_id:", StringComparison.Ordinal))
                {
                    mount = line["mnt_id:".Length..].Trim();
                }
                else if (line.StartsWith("ino:", StringComparison.Ordinal))
                {
                    inode = line["ino:".Length..].Trim();
                }
            }
            return mount is null || inode is null ? null : string.Concat(mount, ":", inode);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The file of a <c>file:line</c> location; null when <paramref name="location"/> is not one.</summary>
    internal static string? LocationFile(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var colon = location.LastIndexOf(':');
        if (colon <= 0 || colon == location.Length - 1)
        {
            return null;
        }
        foreach (var c in location.AsSpan(colon + 1))
        {
            if (!char.IsAsciiDigit(c))
            {
                return null;
            }
        }
        return location[..colon];
    }

    private static string CanonicalPath(string path, int depth)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? string.Empty;
        var current = root;
        var parts = full[root.Length..].Split(
            [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            current = Path.Combine(current, parts[i]);
            if (depth >= MaxLinkDepth || new FileInfo(current).LinkTarget is null)
            {
                continue;
            }
            var target = new FileInfo(current).ResolveLinkTarget(returnFinalTarget: true);
            if (target is not null)
            {
                // The target and the rest of the path may hold more links: walk the new path again.
                return CanonicalPath(Path.Combine(parts.Skip(i + 1).Prepend(target.FullName).ToArray()), depth + 1);
            }
        }
        return current;
    }

    /// <summary>Opens a text file as UTF-8 (a byte order mark, if any, picks the encoding).</summary>
    internal static StreamReader OpenText(string path) =>
        new(OpenRead(path), Utf8NoBom, detectEncodingFromByteOrderMarks: true, BufferSize);
}
