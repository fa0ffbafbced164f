using System.Globalization;
using System.Text;
using Uptrain.Diagnostics;

namespace Uptrain.Data;

/// <summary>File helpers shared by the readers and writers: opening, locations, message formatting.</summary>
internal static class DataFiles
{
    /// <summary>Characters of a text shown in a message before it is cut.</summary>
    private const int PreviewLength = 60;

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

    /// <summary>Opens a text file as UTF-8 (a byte order mark, if any, picks the encoding).</summary>
    internal static StreamReader OpenText(string path) =>
        new(OpenRead(path), Utf8NoBom, detectEncodingFromByteOrderMarks: true, BufferSize);
}
