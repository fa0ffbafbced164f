using System.Diagnostics;
using System.Globalization;
using System.Text;
using Uptrain.Diagnostics;

namespace Uptrain.Data;

/// <summary>
/// Progress and cancellation for a loop over the lines of a file: every few thousand lines it checks
/// the token, and at most twice a second it reports how far through the file (by bytes) the reader is,
/// with an estimate of the time left. Always completes its activity when disposed.
/// </summary>
internal sealed class FileProgress : IDisposable
{
    // Checking the clock and the token costs little, but not nothing: do it every 4096 lines.
    private const int LinesPerCheck = 4096;

    // Reports at most this often, so a fast reader does not flood the host.
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(500);

    private readonly IOutputWriter _output;
    private readonly Stream _stream;
    private readonly string _activity;
    private readonly CancellationToken _cancellationToken;
    private readonly long _length;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private TimeSpan _lastReport;
    private bool _reported;

    /// <summary>Starts tracking <paramref name="stream"/>, the stream under the reader of <paramref name="path"/>.</summary>
    public FileProgress(IOutputWriter output, Stream stream, string path, CancellationToken cancellationToken)
    {
        _output = output;
        _stream = stream;
        _activity = string.Format(CultureInfo.CurrentCulture, Messages.ReadingFile, path);
        _cancellationToken = cancellationToken;
        _length = stream.CanSeek ? stream.Length : -1;
    }

    /// <summary>
    /// The lines of a text file with their numbers (from 1), reporting progress and checking
    /// <paramref name="cancellationToken"/> as they are read: the one read loop of every line-based reader.
    /// The file is decoded as <see cref="TextFile"/> decides; a line with bytes that are not UTF-8 is
    /// reported as <c>InvalidUtf8</c> with its <c>file:line</c> and skipped.
    /// </summary>
    /// <exception cref="UptrainException"><c>NotATextFile</c> when enumeration starts on a file that is not text.</exception>
    public static IEnumerable<(long Number, string Text)> ReadLines(
        string path, Encoding? encoding, IOutputWriter output, CancellationToken cancellationToken) =>
        ReadDecodedLines(path, () => TextFile.Resolve(path, encoding, output), output, cancellationToken);

    /// <summary>The lines of a text file whose encoding is already resolved; see the overload.</summary>
    internal static IEnumerable<(long Number, string Text)> ReadLines(
        string path, TextEncoding encoding, IOutputWriter output, CancellationToken cancellationToken) =>
        ReadDecodedLines(path, () => encoding, output, cancellationToken);

    // The encoding is resolved when enumeration starts, so that a binary file fails there and not at the call.
    private static IEnumerable<(long Number, string Text)> ReadDecodedLines(
        string path, Func<TextEncoding> encoding, IOutputWriter output, CancellationToken cancellationToken)
    {
        using var file = TextFile.Open(path, encoding());
        using var progress = new FileProgress(output, file.Reader.BaseStream, path, cancellationToken);
        long number = 0;
        while (file.Reader.ReadLine() is { } line)
        {
            number++;
            progress.Tick(number);
            if (file.IsInvalid(line))
            {
                ReportInvalidUtf8(output, DataFiles.Location(path, number));
                continue;
            }
            yield return (number, line);
        }
    }

    /// <summary>The lines of a text file in the default encoding (UTF-8, or UTF-16/32 as the file's start says); see the overload.</summary>
    public static IEnumerable<(long Number, string Text)> ReadLines(string path, IOutputWriter output, CancellationToken cancellationToken) =>
        ReadLines(path, (Encoding?)null, output, cancellationToken);

    /// <summary>Reports a record with bytes that are not UTF-8.</summary>
    internal static void ReportInvalidUtf8(IOutputWriter output, string location) =>
        output.WriteError(new RecordError("InvalidUtf8", ErrorKind.InvalidData, DataFiles.Format(Messages.InvalidUtf8, location), location));

    /// <summary>The activity id this reader reports under.</summary>
    public const int ActivityId = 1;

    /// <summary>Called once per line with the number of lines read so far.</summary>
    public void Tick(long lines)
    {
        if (lines % LinesPerCheck != 0)
        {
            return;
        }
        _cancellationToken.ThrowIfCancellationRequested();
        var elapsed = _watch.Elapsed;
        if (elapsed - _lastReport < ReportInterval)
        {
            return;
        }
        _lastReport = elapsed;
        _reported = true;
        var percent = -1;
        var secondsLeft = -1;
        if (_length > 0)
        {
            var fraction = Math.Clamp((double)_stream.Position / _length, 0, 1);
            percent = (int)(fraction * 100);
            if (fraction > 0)
            {
                secondsLeft = (int)(elapsed.TotalSeconds * (1 - fraction) / fraction);
            }
        }
        var status = string.Format(CultureInfo.CurrentCulture, Messages.LinesRead, lines, lines / Math.Max(elapsed.TotalSeconds, 1e-3));
        _output.WriteProgress(new ProgressInfo(ActivityId, _activity, status, percent, secondsLeft));
    }

    /// <summary>Closes the progress activity, if one was shown.</summary>
    public void Dispose()
    {
        if (_reported)
        {
            _output.WriteProgress(new ProgressInfo(ActivityId, _activity, string.Empty, 100, 0, Completed: true));
        }
    }
}
