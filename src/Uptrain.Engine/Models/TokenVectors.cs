using System.Runtime.InteropServices;
using System.Text;
using Uptrain.Diagnostics;
using Uptrain.IO;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Models;

/// <summary>
/// Static token vectors: one vector per entry of a WordPiece vocabulary, each the encoder's output for that entry
/// alone, reduced by PCA (the Model2Vec recipe), stored as 8-bit integers with a scale per row. A teacher folder keeps
/// the vectors of its encoder in <see cref="FileName"/>; a student folder keeps its own weighted copy there.
/// </summary>
/// <remarks>
/// <para>File layout, all numbers little-endian:</para>
/// <code>
/// header   8 bytes magic "UPTOKVEC", int32 version (1), int64 payload length
/// payload  int32 flags (1: lower case), int32 entries V, int32 dimension D;
///          V entries, each an int32 byte count and UTF-8 bytes (a word piece, "##" marks a continuation);
///          float32[V] a scale per row; int8[V × D] the rows' integers;
///          int32 byte count and UTF-8 bytes: where the vectors came from
/// trailer  32 bytes SHA-256 of the payload
/// </code>
/// </remarks>
public sealed class TokenVectors
{
    /// <summary>The file's name in a model folder.</summary>
    public const string FileName = "token-vectors.bin";

    /// <summary>The version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The most vocabulary entries a table may have.</summary>
    public const int MaxEntries = 1 << 22;

    private const int LowerCaseFlag = 1;

    private readonly string[] _vocabulary;

    /// <summary>A table of 8-bit rows.</summary>
    /// <param name="vocabulary">The word pieces, in id order.</param>
    /// <param name="lowerCase">True when the vocabulary is lower case (texts are lower-cased and accents stripped).</param>
    /// <param name="dimension">Values per row.</param>
    /// <param name="scales">[V]: the value of integer step 1 in each row.</param>
    /// <param name="values">[V × dimension], row-major.</param>
    /// <param name="source">Where the vectors came from (an encoder's name, a folder).</param>
    public TokenVectors(IReadOnlyList<string> vocabulary, bool lowerCase, int dimension, float[] scales, sbyte[] values, string source)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(scales);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (scales.Length != vocabulary.Count || values.LongLength != (long)vocabulary.Count * dimension)
        {
            throw new ArgumentException("The scales and values do not fit the vocabulary and dimension.", nameof(values));
        }

        _vocabulary = [.. vocabulary];
        LowerCase = lowerCase;
        Dimension = dimension;
        Scales = scales;
        Values = values;
        Source = source ?? string.Empty;
    }

    /// <summary>The word pieces, in id order.</summary>
    public IReadOnlyList<string> Vocabulary => _vocabulary;

    /// <summary>True when the vocabulary is lower case.</summary>
    public bool LowerCase { get; }

    /// <summary>Values per row.</summary>
    public int Dimension { get; }

    /// <summary>Rows: one per vocabulary entry.</summary>
    public int Count => _vocabulary.Length;

    /// <summary>[V]: per row, the value of integer step 1.</summary>
    public float[] Scales { get; }

    /// <summary>[V × <see cref="Dimension"/>], row-major.</summary>
    public sbyte[] Values { get; }

    /// <summary>Where the vectors came from.</summary>
    public string Source { get; }

    /// <summary>
    /// 8-bit rows of <paramref name="dense"/> ([V × dimension] floats): each row's scale is max |value| / 127 and its
    /// integers are the values over the scale, rounded to nearest.
    /// </summary>
    public static TokenVectors Quantize(IReadOnlyList<string> vocabulary, bool lowerCase, int dimension, ReadOnlySpan<float> dense, string source)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var rows = vocabulary.Count;
        var scales = new float[rows];
        var values = new sbyte[(long)rows * dimension];
        for (var r = 0; r < rows; r++)
        {
            scales[r] = QuantizeRow(dense.Slice(r * dimension, dimension), values.AsSpan(r * dimension, dimension));
        }

        return new TokenVectors(vocabulary, lowerCase, dimension, scales, values, source);
    }

    /// <summary>
    /// One row as 8-bit integers into <paramref name="target"/>: the scale (returned) is max |value| / 127 (1 for a row of
    /// zeros), the integers the values over it, rounded to nearest. Every 8-bit row of Uptrain is made so.
    /// </summary>
    internal static float QuantizeRow(ReadOnlySpan<float> row, Span<sbyte> target)
    {
        var max = 0f;
        foreach (var value in row)
        {
            max = Math.Max(max, Math.Abs(value));
        }

        var scale = max > 0 ? max / sbyte.MaxValue : 1f;
        for (var i = 0; i < row.Length; i++)
        {
            target[i] = (sbyte)Math.Clamp(MathF.Round(row[i] / scale), -sbyte.MaxValue, sbyte.MaxValue);
        }

        return scale;
    }

    /// <summary>Row <paramref name="id"/> as floats, into <paramref name="target"/>.</summary>
    public void Row(int id, Span<float> target)
    {
        var scale = Scales[id];
        var values = Values.AsSpan(id * Dimension, Dimension);
        for (var i = 0; i < Dimension; i++)
        {
            target[i] = values[i] * scale;
        }
    }

    /// <summary>True when <paramref name="folder"/> holds a table.</summary>
    public static bool ExistsIn(string folder) => File.Exists(Path.Combine(folder, FileName));

    /// <summary>Writes the table to <paramref name="path"/> (through a temporary file beside it).</summary>
    public void Write(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var buffer = new MemoryStream();
        LittleEndian.Write(buffer, [LowerCase ? LowerCaseFlag : 0, Count, Dimension]);
        foreach (var entry in _vocabulary)
        {
            WriteText(buffer, entry);
        }

        LittleEndian.Write(buffer, Scales);
        buffer.Write(MemoryMarshal.AsBytes(Values.AsSpan()));
        WriteText(buffer, Source);
        ChecksummedFile.Write(path, Magic, CurrentVersion, buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    /// <summary>Reads the table in <paramref name="path"/>, its checksum verified.</summary>
    /// <exception cref="UptrainException">
    /// <c>TokenVectorsNotFound</c>; <c>UnsupportedTokenVectors</c> (another version); <c>InvalidTokenVectors</c> (not a
    /// table, truncated, or damaged). The message names the file.
    /// </exception>
    public static TokenVectors Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new UptrainException("TokenVectorsNotFound", ErrorKind.ObjectNotFound, Format(Messages.TokenVectorsNotFound, path), path);
        }

        var bytes = File.ReadAllBytes(path);
        if (ChecksummedFile.ReadHeader(bytes, Magic, out var version) != ChecksummedProblem.None)
        {
            throw Invalid(path, Messages.TokenVectorsNotTable);
        }

        if (version != CurrentVersion)
        {
            throw new UptrainException("UnsupportedTokenVectors", ErrorKind.InvalidData, Format(Messages.TokenVectorsVersion, path, version, CurrentVersion), path);
        }

        switch (ChecksummedFile.ReadPayload(bytes, out var frame, out var expected))
        {
            case ChecksummedProblem.Truncated or ChecksummedProblem.Trailing:
                throw Invalid(path, Format(Messages.TokenVectorsLength, bytes.Length, expected));
            case ChecksummedProblem.Checksum:
                throw Invalid(path, Messages.StudentWeightsChecksum);
        }

        var payload = frame.Span;
        try
        {
            var reader = new PayloadReader(payload, Messages.StudentWeightsValue);
            var flags = reader.Int(0, LowerCaseFlag, "flags");
            var count = reader.Int(1, MaxEntries, "entries");
            var dimension = reader.Int(1, 1 << 14, "dimension");
            var vocabulary = new string[count];
            for (var i = 0; i < count; i++)
            {
                vocabulary[i] = reader.LengthPrefixedText(1 << 10, "entry");
            }

            var scales = new float[count];
            reader.Floats(scales);
            var values = new sbyte[checked((long)count * dimension)];
            reader.Bytes(MemoryMarshal.AsBytes(values.AsSpan()));
            var source = reader.LengthPrefixedText(1 << 16, "source");
            reader.End();
            if (scales.Any(s => !float.IsFinite(s) || s <= 0))
            {
                throw new FormatException(Format(Messages.StudentWeightsValue, "scales"));
            }

            return new TokenVectors(vocabulary, (flags & LowerCaseFlag) != 0, dimension, scales, values, source);
        }
        catch (FormatException ex)
        {
            throw Invalid(path, ex.Message);
        }
    }

    private static ReadOnlySpan<byte> Magic => "UPTOKVEC"u8;

    private static void WriteText(Stream stream, string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        LittleEndian.Write(stream, [utf8.Length]);
        stream.Write(utf8);
    }

    private static UptrainException Invalid(string path, string reason) =>
        new("InvalidTokenVectors", ErrorKind.InvalidData, Format(Messages.TokenVectorsDamaged, path, reason), path);
}
