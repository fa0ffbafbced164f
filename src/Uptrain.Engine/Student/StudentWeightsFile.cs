using System.Runtime.InteropServices;
using System.Text;
using Uptrain.Diagnostics;
using Uptrain.IO;
using Uptrain.Models;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Student;

/// <summary>
/// The student's weights file: everything needed to score, in one compact, versioned, checksummed file.
/// </summary>
/// <remarks>
/// <para>All numbers little-endian. Layout of version 2:</para>
/// <code>
/// header   8 bytes magic "UPSTUDNT", int32 version (2), int64 payload length
/// payload  int32 flags (1: exclusive, 2: character n-grams, 4: quantized rows), int32 buckets, word n-grams, shortest and longest
///          character n-gram, dimension, hidden width, label count L, stored row count R, static dimension S (0: no token vectors);
///          L labels, each an int32 byte count and UTF-8 bytes;
///          int32[R] the bucket of each stored row, ascending;
///          float32[R × dimension] the stored embedding rows, or when quantized float32[R] a scale per row and
///          int8[R × dimension] the rows' integers;
///          float32[hidden × features] and float32[hidden] the hidden layer (nothing when hidden is 0; features: dimension + S);
///          float32[L × input] and float32[L] the output layer (input: hidden, or features without one);
///          float32[S] the static feature's center (<see cref="StaticVectors.Center"/>)
/// trailer  32 bytes SHA-256 of the payload
/// </code>
/// Version 1 is version 2 without S and the center; it is still read. The token vectors themselves are the folder's
/// <see cref="TokenVectors.FileName"/>. Only the rows that training touched are stored, so a model's size follows its
/// training data, not the bucket count.
/// </remarks>
public static class StudentWeightsFile
{
    /// <summary>The weights file's name in a student model folder.</summary>
    public const string FileName = "student.weights";

    /// <summary>The version this code writes and reads.</summary>
    public const int CurrentVersion = 2;

    /// <summary>The oldest version this code reads.</summary>
    public const int OldestVersion = 1;

    private const int ExclusiveFlag = 1;
    private const int CharNgramsFlag = 2;
    private const int QuantizedFlag = 4;

    private static ReadOnlySpan<byte> Magic => "UPSTUDNT"u8;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> (through a temporary file beside it).</summary>
    public static void Write(StudentModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        ChecksummedFile.Write(path, Magic, CurrentVersion, Payload(model));
    }

    /// <summary>Reads the student in <paramref name="path"/>.</summary>
    /// <exception cref="UptrainException">
    /// <c>ModelNotFound</c>; <c>UnsupportedStudentWeights</c> (another version); <c>InvalidStudentWeights</c> (not a
    /// student weights file, truncated, or damaged: a checksum that does not match or values out of range). The message
    /// names the file.
    /// </exception>
    /// <param name="path">The weights file.</param>
    /// <param name="tokenVectors">The folder's token vector table, for a student trained with one; null otherwise.</param>
    public static StudentModel Read(string path, TokenVectors? tokenVectors = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var payload = ReadChecked(path, Magic, OldestVersion, CurrentVersion, out var version);
        try
        {
            return Parse(payload.Span, version, tokenVectors);
        }
        catch (FormatException ex)
        {
            throw Invalid(path, Format(Messages.StudentWeightsDamaged, path, ex.Message));
        }
    }

    /// <summary>
    /// The payload of the student weights file <paramref name="path"/> (of magic <paramref name="magic"/>), after the checks
    /// of its frame (<see cref="ChecksummedFile"/>) and of its version.
    /// </summary>
    /// <exception cref="UptrainException">As <see cref="Read"/>, before the payload is parsed.</exception>
    internal static ReadOnlyMemory<byte> ReadChecked(string path, ReadOnlySpan<byte> magic, int oldestVersion, int currentVersion, out int version)
    {
        if (!File.Exists(path))
        {
            throw new UptrainException("ModelNotFound", ErrorKind.ObjectNotFound, Format(Messages.StudentWeightsNotFound, path), path);
        }

        var bytes = File.ReadAllBytes(path);
        var problem = ChecksummedFile.ReadHeader(bytes, magic, out version);
        if (problem == ChecksummedProblem.NotThisKind)
        {
            throw Invalid(path, Format(Messages.StudentWeightsNotStudent, path));
        }

        if (problem == ChecksummedProblem.Truncated)
        {
            throw Invalid(path, Format(Messages.StudentWeightsTruncated, path, bytes.Length, ChecksummedFile.HeaderSize));
        }

        if (version < oldestVersion || version > currentVersion)
        {
            throw new UptrainException("UnsupportedStudentWeights", ErrorKind.InvalidData, Format(Messages.StudentWeightsVersion, path, version, currentVersion), path);
        }

        switch (ChecksummedFile.ReadPayload(bytes, out var payload, out var expected))
        {
            case ChecksummedProblem.Truncated:
                throw Invalid(path, Format(Messages.StudentWeightsTruncated, path, bytes.Length, expected));
            case ChecksummedProblem.Trailing:
                throw Invalid(path, Format(Messages.StudentWeightsDamaged, path, Format(Messages.StudentWeightsTrailing, bytes.Length - expected)));
            case ChecksummedProblem.Checksum:
                throw Invalid(path, Format(Messages.StudentWeightsDamaged, path, Messages.StudentWeightsChecksum));
        }

        return payload;
    }

    private static ReadOnlyMemory<byte> Payload(StudentModel model)
    {
        var network = model.Network;
        var featurizer = model.Featurizer;
        using var buffer = new MemoryStream();
        var flags = (model.Exclusive ? ExclusiveFlag : 0) | (featurizer.CharNgrams ? CharNgramsFlag : 0) | (network.IsQuantized ? QuantizedFlag : 0);
        LittleEndian.Write(buffer, [flags, featurizer.Buckets, featurizer.WordNgrams, StudentFeaturizer.MinCharNgram, StudentFeaturizer.MaxCharNgram,
            network.Dimension, network.Hidden, model.Labels.Count, model.RowBuckets.Length, network.StaticDimension]);
        foreach (var label in model.Labels)
        {
            var utf8 = Encoding.UTF8.GetBytes(label);
            LittleEndian.Write(buffer, [utf8.Length]);
            buffer.Write(utf8);
        }

        LittleEndian.Write(buffer, model.RowBuckets);
        switch (network.Embedding)
        {
            case QuantizedRows quantized:
                LittleEndian.Write(buffer, quantized.Scales);
                buffer.Write(MemoryMarshal.AsBytes(quantized.Values.AsSpan()));
                break;
            case DenseRows dense:
                LittleEndian.Write(buffer, dense.Values);
                break;
        }

        foreach (var array in new[] { network.HiddenWeights, network.HiddenBias, network.OutputWeights, network.OutputBias })
        {
            LittleEndian.Write(buffer, array);
        }

        if (network.Static is { } statics)
        {
            LittleEndian.Write(buffer, statics.Center);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static StudentModel Parse(ReadOnlySpan<byte> payload, int version, TokenVectors? tokenVectors)
    {
        var reader = new PayloadReader(payload, Messages.StudentWeightsValue);
        var flags = reader.Int(0, ExclusiveFlag | CharNgramsFlag | QuantizedFlag, "flags");
        var buckets = reader.Int(1, StudentTrainingOptions.MaxBuckets, "buckets");
        var wordNgrams = reader.Int(1, 1024, "word n-grams");
        reader.Int(StudentFeaturizer.MinCharNgram, StudentFeaturizer.MinCharNgram, "shortest character n-gram");
        reader.Int(StudentFeaturizer.MaxCharNgram, StudentFeaturizer.MaxCharNgram, "longest character n-gram");
        var dimension = reader.Int(1, 1 << 16, "dimension");
        var hidden = reader.Int(0, 1 << 16, "hidden");
        var labelCount = reader.Int(1, 1 << 16, "labels");
        var rows = reader.Int(0, buckets, "rows");
        var staticDimension = version >= 2 ? reader.Int(0, 1 << 14, "static dimension") : 0;
        if (staticDimension > 0 && tokenVectors is null)
        {
            throw new FormatException(Messages.StudentWeightsNeedTokenVectors);
        }

        if (staticDimension > 0 && tokenVectors!.Dimension != staticDimension)
        {
            throw new FormatException(Format(Messages.StudentWeightsTokenVectorsDimension, tokenVectors.Dimension, staticDimension));
        }
        var labels = new string[labelCount];
        for (var l = 0; l < labelCount; l++)
        {
            labels[l] = reader.Text(reader.Int(1, 1 << 16, "label length"), "label");
        }

        if (labels.Distinct(StringComparer.Ordinal).Count() != labels.Length)
        {
            throw new FormatException(Format(Messages.StudentWeightsValue, "labels"));
        }

        var rowBuckets = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            rowBuckets[r] = reader.Int(r == 0 ? 0 : rowBuckets[r - 1] + 1, buckets - 1, "row bucket");
        }

        EmbeddingRows embedding;
        if ((flags & QuantizedFlag) != 0)
        {
            var quantized = new QuantizedRows(rows, dimension);
            reader.Floats(quantized.Scales);
            reader.Bytes(MemoryMarshal.AsBytes(quantized.Values.AsSpan()));
            embedding = quantized;
        }
        else
        {
            var dense = new DenseRows(rows, dimension);
            reader.Floats(dense.Values);
            embedding = dense;
        }

        var hiddenWeights = new float[hidden * (dimension + staticDimension)];
        var hiddenBias = new float[hidden];
        var outputWeights = new float[labelCount * (hidden > 0 ? hidden : dimension + staticDimension)];
        var outputBias = new float[labelCount];
        foreach (var array in new[] { hiddenWeights, hiddenBias, outputWeights, outputBias })
        {
            reader.Floats(array);
        }

        var center = new float[staticDimension];
        reader.Floats(center);
        var statics = staticDimension > 0 ? new StaticVectors(tokenVectors!, center) : null;
        var network = new StudentNetwork(labelCount, hidden, embedding, statics);
        hiddenWeights.CopyTo(network.HiddenWeights, 0);
        hiddenBias.CopyTo(network.HiddenBias, 0);
        outputWeights.CopyTo(network.OutputWeights, 0);
        outputBias.CopyTo(network.OutputBias, 0);

        reader.End();
        var featurizer = new StudentFeaturizer(buckets, wordNgrams, (flags & CharNgramsFlag) != 0);
        return new StudentModel(labels, (flags & ExclusiveFlag) != 0, featurizer, rowBuckets, network);
    }

    internal static UptrainException Invalid(string path, string message) =>
        new("InvalidStudentWeights", ErrorKind.InvalidData, message, path);
}
