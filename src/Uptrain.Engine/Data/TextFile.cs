using System.Text;
using Uptrain.Diagnostics;

namespace Uptrain.Data;

/// <summary>
/// Opens the text files the readers read. Unless the caller names an encoding, the first block of the
/// file decides: a byte order mark picks its encoding; NUL bytes at every other position without one
/// mean UTF-16 (little or big endian); other NUL or control bytes mean the file is not text
/// (<c>NotATextFile</c>, one error for the whole file); anything else is read as UTF-8, and a line with
/// bytes that are not UTF-8 is reported by <see cref="TextFileReader.IsInvalid"/>.
/// </summary>
internal static class TextFile
{
    /// <summary>How much of the start of a file is examined (bytes).</summary>
    internal const int SniffLength = 8192;

    // UTF-16 without a byte order mark: in text that is mostly ASCII, one byte of each pair is zero. At
    // least a third of the pairs with a zero on one side and almost none on the other tells it apart from
    // binary data, whose NUL bytes fall on both sides.
    private const double Utf16ZeroShare = 1.0 / 3;
    private const double Utf16OtherSideZeroShare = 0.02;

    // More than this share of control bytes (other than tab, line feed, form feed, carriage return and
    // escape) in the first block marks a file as not text.
    private const double ControlByteShare = 0.05;

    /// <summary>
    /// Decides how to decode <paramref name="path"/>: <paramref name="requested"/> when given and not UTF-8
    /// (a byte order mark still wins), else from the first block as described on <see cref="TextFile"/>.
    /// </summary>
    /// <exception cref="UptrainException"><c>FileNotFound</c>; <c>NotATextFile</c> (InvalidData).</exception>
    public static TextEncoding Resolve(string path, Encoding? requested, IOutputWriter? output = null)
    {
        DataFiles.RequireFile(path);
        if (requested is not null && requested.CodePage != Encoding.UTF8.CodePage)
        {
            return new TextEncoding(requested, 0, DetectByteOrderMark: true);
        }
        var head = new byte[SniffLength];
        int length;
        using (var stream = DataFiles.OpenRead(path))
        {
            length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        var block = head.AsSpan(0, length);
        if (ByteOrderMark(block) is { } marked)
        {
            return marked;
        }
        if (Utf16WithoutMark(block) is { } utf16)
        {
            output?.WriteVerbose(DataFiles.Format(Messages.Utf16WithoutBom, path, utf16.WebName));
            return new TextEncoding(utf16, 0, DetectByteOrderMark: false);
        }
        if (!LooksLikeText(block))
        {
            throw new UptrainException("NotATextFile", ErrorKind.InvalidData, DataFiles.Format(Messages.NotATextFile, path), path);
        }
        return TextEncoding.StrictUtf8;
    }

    /// <summary>Opens <paramref name="path"/> for reading with <paramref name="encoding"/>, past any byte order mark.</summary>
    public static TextFileReader Open(string path, TextEncoding encoding)
    {
        var stream = DataFiles.OpenRead(path);
        try
        {
            stream.Position = encoding.PreambleLength;
            return new TextFileReader(stream, encoding);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Resolves the encoding of <paramref name="path"/> and opens it.</summary>
    public static TextFileReader Open(string path, Encoding? requested, IOutputWriter? output = null) =>
        Open(path, Resolve(path, requested, output));

    private static TextEncoding? ByteOrderMark(ReadOnlySpan<byte> block) => block switch
    {
        [0xEF, 0xBB, 0xBF, ..] => TextEncoding.StrictUtf8 with { PreambleLength = 3 },
        [0xFF, 0xFE, 0x00, 0x00, ..] => new TextEncoding(Encoding.UTF32, 4, false),
        [0x00, 0x00, 0xFE, 0xFF, ..] => new TextEncoding(new UTF32Encoding(bigEndian: true, byteOrderMark: true), 4, false),
        [0xFF, 0xFE, ..] => new TextEncoding(Encoding.Unicode, 2, false),
        [0xFE, 0xFF, ..] => new TextEncoding(Encoding.BigEndianUnicode, 2, false),
        _ => null,
    };

    private static Encoding? Utf16WithoutMark(ReadOnlySpan<byte> block)
    {
        var pairs = block.Length / 2;
        if (pairs == 0)
        {
            return null;
        }
        int evenZeros = 0, oddZeros = 0;
        for (var i = 0; i + 1 < block.Length; i += 2)
        {
            evenZeros += block[i] == 0 ? 1 : 0;
            oddZeros += block[i + 1] == 0 ? 1 : 0;
        }
        if (oddZeros >= pairs * Utf16ZeroShare && evenZeros <= pairs * Utf16OtherSideZeroShare)
        {
            return Encoding.Unicode;
        }
        if (evenZeros >= pairs * Utf16ZeroShare && oddZeros <= pairs * Utf16OtherSideZeroShare)
        {
            return Encoding.BigEndianUnicode;
        }
        return null;
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> block)
    {
        if (block.Contains((byte)0))
        {
            return false;
        }
        var controls = 0;
        foreach (var b in block)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\f' or (byte)'\r' or 0x1B))
            {
                controls++;
            }
        }
        return controls <= block.Length * ControlByteShare;
    }
}

/// <summary>How a text file is decoded: the encoding, the bytes of its byte order mark to skip, and whether a mark may still pick another encoding.</summary>
/// <param name="Encoding">The encoding; null for UTF-8 that reports invalid bytes.</param>
/// <param name="PreambleLength">Bytes to skip at the start (a byte order mark already recognised).</param>
/// <param name="DetectByteOrderMark">True to let a byte order mark override <paramref name="Encoding"/> (an encoding the user named).</param>
internal sealed record TextEncoding(Encoding? Encoding, int PreambleLength, bool DetectByteOrderMark)
{
    /// <summary>UTF-8, with invalid bytes reported per line.</summary>
    public static TextEncoding StrictUtf8 { get; } = new(null, 0, false);

    /// <summary>True for UTF-8 read with invalid bytes reported.</summary>
    public bool IsStrictUtf8 => Encoding is null;
}

/// <summary>
/// A <see cref="StreamReader"/> over a text file that, for UTF-8, counts the byte sequences that are not
/// UTF-8 (each decoded as U+FFFD) so that the lines holding them can be reported. Checking a line costs
/// nothing while the file is valid.
/// </summary>
internal sealed class TextFileReader : IDisposable
{
    private readonly CountingFallback? _fallback;
    private long _attributed;

    public TextFileReader(Stream stream, TextEncoding encoding)
    {
        Encoding decoding;
        if (encoding.IsStrictUtf8)
        {
            _fallback = new CountingFallback();
            decoding = (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).Clone();
            decoding.DecoderFallback = _fallback;
        }
        else
        {
            decoding = encoding.Encoding!;
        }
        Reader = new StreamReader(stream, decoding, encoding.DetectByteOrderMark, DataFiles.BufferSize);
    }

    /// <summary>The reader.</summary>
    public StreamReader Reader { get; }

    /// <summary>
    /// True while invalid sequences have been decoded that no line has been blamed for yet: only then can
    /// <see cref="IsInvalid"/> be true, so callers can skip building the text to check.
    /// </summary>
    public bool MayBeInvalid => _fallback is not null && _fallback.Count > _attributed;

    /// <summary>
    /// True when <paramref name="text"/> (just read) holds bytes that were not UTF-8. The decoder runs
    /// ahead of the lines, so the invalid sequences counted so far are matched to the U+FFFD characters of
    /// the lines in turn; a genuine U+FFFD in a file that is otherwise valid is never reported.
    /// </summary>
    public bool IsInvalid(string text)
    {
        if (!MayBeInvalid)
        {
            return false;
        }
        var replacements = text.AsSpan().Count('\uFFFD');
        if (replacements == 0)
        {
            return false;
        }
        _attributed += replacements;
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => Reader.Dispose();

    /// <summary>Decodes each invalid sequence as U+FFFD, as the default does, and counts them.</summary>
    private sealed class CountingFallback : DecoderFallback
    {
        public long Count;

        public override int MaxCharCount => 1;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

        private sealed class Buffer(CountingFallback owner) : DecoderFallbackBuffer
        {
            private int _remaining;

            public override int Remaining => _remaining;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                owner.Count++;
                _remaining = 1;
                return true;
            }

            public override char GetNextChar()
            {
                if (_remaining == 0)
                {
                    return '\0';
                }
                _remaining--;
                return '\uFFFD';
            }

            public override bool MovePrevious()
            {
                if (_remaining != 0)
                {
                    return false;
                }
                _remaining = 1;
                return true;
            }

            public override void Reset() => _remaining = 0;
        }
    }
}
