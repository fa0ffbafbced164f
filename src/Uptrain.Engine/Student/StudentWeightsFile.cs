using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Uptrain.Diagnostics;
using Uptrain.IO;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Student;

/// <summary>
/// The student's weights file: everything needed to score, in one compact, versioned, checksummed file.
/// </summary>
/// <remarks>
/// <para>All numbers little-endian. Layout of version 1:</para>
/// <code>
/// header   8 bytes magic "UPSTUDNT", int32 version (1), int64 payload length
/// payload  int32 flags (1: exclusive, 2: character n-grams, 4: quantized rows), int32 buckets, word n-grams, shortest and longest
///          character n-gram, dimension, hidden width, label count L, stored row count R;
///          L labels, each an int32 byte count and UTF-8 bytes;
///          int32[R] the bucket of each stored row, ascending;
///          float32[R × dimension] the stored embedding rows, or when quantized float32[R] a scale per row and
///          int8[R × dimension] the rows' integers;
///          float32[hidden × dimension] and float32[hidden] the hidden layer (nothing when hidden is 0);
///          float32[L × input] and float32[L] the output layer (input: hidden, or dimension without one)
/// trailer  32 bytes SHA-256 of the payload
/// </code>
/// Only the rows that training touched are stored, so a model's size follows its training data, not the bucket count.
/// </remarks>
public static class StudentWeightsFile
{
    /// <summary>The weights file's name in a student model folder.</summary>
    public const string FileName = "student.weights";

    /// <summary>The version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    private const int HeaderSize = 8 + 4 + 8;
    private const int ChecksumSize = 32;
    private const int ExclusiveFlag = 1;
    private const int CharNgramsFlag = 2;
    private const int QuantizedFlag = 4;

    private static ReadOnlySpan<byte> Magic => "UPSTUDNT"u8;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> (through a temporary file beside it).</summary>
    public static void Write(StudentModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        var payload = Payload(model);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> header = stackalloc byte[HeaderSize];
            Magic.CopyTo(header);
            BinaryPrimitives.WriteInt32LittleEndian(header[8..], CurrentVersion);
            BinaryPrimitives.WriteInt64LittleEndian(header[12..], payload.Length);
            stream.Write(header);
            stream.Write(payload.Span);
            stream.Write(SHA256.HashData(payload.Span));
        });
    }

    /// <summary>Reads the student in <paramref name="path"/>.</summary>
    /// <exception cref="UptrainException">
    /// <c>ModelNotFound</c>; <c>UnsupportedStudentWeights</c> (another version); <c>InvalidStudentWeights</c> (not a
    /// student weights file, truncated, or damaged: a checksum that does not match or values out of range). The message
    /// names the file.
    /// </exception>
    public static StudentModel Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new UptrainException("ModelNotFound", ErrorKind.ObjectNotFound, Format(Messages.StudentWeightsNotFound, path), path);
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw Invalid(path, Format(Messages.StudentWeightsNotStudent, path));
        }

        if (bytes.Length < HeaderSize)
        {
            throw Invalid(path, Format(Messages.StudentWeightsTruncated, path, bytes.Length, HeaderSize));
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (version != CurrentVersion)
        {
            throw new UptrainException("UnsupportedStudentWeights", ErrorKind.InvalidData, Format(Messages.StudentWeightsVersion, path, version, CurrentVersion), path);
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12));
        var expected = HeaderSize + length + ChecksumSize;
        if (length < 0 || bytes.Length < expected)
        {
            throw Invalid(path, Format(Messages.StudentWeightsTruncated, path, bytes.Length, expected));
        }

        if (bytes.Length > expected)
        {
            throw Invalid(path, Format(Messages.StudentWeightsDamaged, path, Format(Messages.StudentWeightsTrailing, bytes.Length - expected)));
        }

        var payload = bytes.AsMemory(HeaderSize, (int)length);
        if (!SHA256.HashData(payload.Span).AsSpan().SequenceEqual(bytes.AsSpan(HeaderSize + (int)length, ChecksumSize)))
        {
            throw Invalid(path, Format(Messages.StudentWeightsDamaged, path, Messages.StudentWeightsChecksum));
        }

        try
        {
            return Parse(payload.Span);
        }
        catch (FormatException ex)
        {
            throw Invalid(path, Format(Messages.StudentWeightsDamaged, path, ex.Message));
        }
    }

    private static ReadOnlyMemory<byte> Payload(StudentModel model)
    {
        var network = model.Network;
        var featurizer = model.Featurizer;
        using var buffer = new MemoryStream();
        var flags = (model.Exclusive ? ExclusiveFlag : 0) | (featurizer.CharNgrams ? CharNgramsFlag : 0) | (network.IsQuantized ? QuantizedFlag : 0);
        LittleEndian.Write(buffer, [flags, featurizer.Buckets, featurizer.WordNgrams, StudentFeaturizer.MinCharNgram, StudentFeaturizer.MaxCharNgram,
            network.Dimension, network.Hidden, model.Labels.Count, model.RowBuckets.Length]);
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

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static StudentModel Parse(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var flags = reader.Int(0, ExclusiveFlag | CharNgramsFlag | QuantizedFlag, "flags");
        var buckets = reader.Int(1, StudentTrainingOptions.MaxBuckets, "buckets");
        var wordNgrams = reader.Int(1, 1024, "word n-grams");
        reader.Int(StudentFeaturizer.MinCharNgram, StudentFeaturizer.MinCharNgram, "shortest character n-gram");
        reader.Int(StudentFeaturizer.MaxCharNgram, StudentFeaturizer.MaxCharNgram, "longest character n-gram");
        var dimension = reader.Int(1, 1 << 16, "dimension");
        var hidden = reader.Int(0, 1 << 16, "hidden");
        var labelCount = reader.Int(1, 1 << 16, "labels");
        var rows = reader.Int(0, buckets, "rows");
        var labels = new string[labelCount];
        for (var l = 0; l < labelCount; l++)
        {
            labels[l] = reader.Text(reader.Int(1, 1 << 16, "label length"));
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

        var network = new StudentNetwork(labelCount, hidden, embedding);
        foreach (var array in new[] { network.HiddenWeights, network.HiddenBias, network.OutputWeights, network.OutputBias })
        {
            reader.Floats(array);
        }

        reader.End();
        var featurizer = new StudentFeaturizer(buckets, wordNgrams, (flags & CharNgramsFlag) != 0);
        return new StudentModel(labels, (flags & ExclusiveFlag) != 0, featurizer, rowBuckets, network);
    }

    private static UptrainException Invalid(string path, string message) =>
        new("InvalidStudentWeights", ErrorKind.InvalidData, message, path);

    /// <summary>Reads the payload front to back; every overrun or out-of-range value is a <see cref="FormatException"/>.</summary>
    private ref struct PayloadReader(ReadOnlySpan<byte> payload)
    {
        private readonly ReadOnlySpan<byte> _payload = payload;
        private int _offset;

        public int Int(int min, int max, string what)
        {
            var value = BinaryPrimitives.ReadInt32LittleEndian(Take(4, what));
            if (value < min || value > max)
            {
                throw new FormatException(Format(Messages.StudentWeightsValue, what));
            }

            return value;
        }

        public string Text(int length) => Encoding.UTF8.GetString(Take(length, "label"));

        public void Floats(Span<float> target)
        {
            var bytes = Take(checked(target.Length * 4), "weights");
            if (BitConverter.IsLittleEndian)
            {
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(target);
                return;
            }

            for (var i = 0; i < target.Length; i++)
            {
                target[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
            }
        }

        public void Bytes(Span<byte> target) => Take(target.Length, "weights").CopyTo(target);

        public readonly void End()
        {
            if (_offset != _payload.Length)
            {
                throw new FormatException(Format(Messages.StudentWeightsValue, "payload length"));
            }
        }

        private ReadOnlySpan<byte> Take(int count, string what)
        {
            if (count < 0 || _payload.Length - _offset < count)
            {
                throw new FormatException(Format(Messages.StudentWeightsValue, what));
            }

            var span = _payload.Slice(_offset, count);
            _offset += count;
            return span;
        }
    }
}
