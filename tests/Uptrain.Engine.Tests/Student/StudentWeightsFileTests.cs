using System.Buffers.Binary;
using System.Security.Cryptography;
using Uptrain.Diagnostics;
using Uptrain.Student;
using Xunit;

namespace Uptrain.Tests.Student;

public sealed class StudentWeightsFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("uptrain-student-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(true, 0)]
    [InlineData(true, 8)]
    [InlineData(false, 0)]
    public void RoundTripGivesBitIdenticalScores(bool exclusive, int hidden)
    {
        var train = exclusive ? StudentData.Exclusive(200, 1) : StudentData.Multilabel(200, 1);
        var model = StudentTrainer.Train(train, null, StudentData.SmallOptions(2) with { Hidden = hidden, WordNgrams = 3, CharNgrams = hidden == 0 }, NullOutputWriter.Instance).Model;
        var path = Path.Combine(_folder, StudentWeightsFile.FileName);
        StudentWeightsFile.Write(model, path);
        var loaded = StudentWeightsFile.Read(path);

        Assert.Equal(model.Labels, loaded.Labels);
        Assert.Equal(model.Exclusive, loaded.Exclusive);
        Assert.Equal(model.Hidden, loaded.Hidden);
        Assert.Equal(model.Featurizer.WordNgrams, loaded.Featurizer.WordNgrams);
        Assert.Equal(model.Featurizer.CharNgrams, loaded.Featurizer.CharNgrams);
        Assert.Equal(model.Featurizer.Buckets, loaded.Featurizer.Buckets);
        foreach (var text in StudentData.Exclusive(50, 9).Select(e => e.Text).Append("東京 😀 unseen").Append(string.Empty))
        {
            var expected = model.Score(text);
            var actual = loaded.Score(text);
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void TheFileHoldsOnlyTheStoredRows()
    {
        var model = StudentTrainer.Train(StudentData.Exclusive(100, 1), null, StudentData.SmallOptions(1), NullOutputWriter.Instance).Model;
        var path = WriteModel(model);
        var rowBytes = model.StoredRows * (4 + (model.Dimension * 4));
        var length = new FileInfo(path).Length;
        Assert.InRange(length, rowBytes, rowBytes + 1024);
        Assert.True(model.StoredRows < model.Featurizer.Buckets / 4);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void AQuantizedModelScoresCloseToTheOriginalAndRoundTripsBitForBit(int hidden)
    {
        var model = StudentTrainer.Train(StudentData.Exclusive(300, 1), null, StudentData.SmallOptions(3) with { Hidden = hidden }, NullOutputWriter.Instance).Model;
        var quantized = model.Quantize();
        Assert.True(quantized.Quantized);
        Assert.False(model.Quantized);
        var texts = StudentData.Exclusive(100, 4).Select(e => e.Text).ToArray();
        var agree = 0;
        foreach (var text in texts)
        {
            var original = model.Score(text);
            var approximate = quantized.Score(text);
            Assert.All(original.Zip(approximate), pair => Assert.Equal(pair.First, pair.Second, 0.02f));
            agree += Array.IndexOf(original, original.Max()) == Array.IndexOf(approximate, approximate.Max()) ? 1 : 0;
        }

        Assert.InRange(agree, 98, 100);

        var floatPath = WriteModel(model);
        var floatSize = new FileInfo(floatPath).Length;
        var path = Path.Combine(_folder, "quantized.weights");
        StudentWeightsFile.Write(quantized, path);
        // Per row: 4 bytes of scale and 1 per value instead of 4 per value. Without a hidden layer the output layer is folded
        // into the rows first: a row holds one value per label, and the output layer shrinks to labels × labels.
        var labels = model.Labels.Count;
        var expected = hidden > 0
            ? floatSize + (model.StoredRows * (4 - (3L * model.Dimension)))
            : floatSize - (model.StoredRows * 4L * model.Dimension) + (model.StoredRows * (4L + labels)) - (4L * labels * model.Dimension) + (4L * labels * labels);
        Assert.Equal(expected, new FileInfo(path).Length);
        var loaded = StudentWeightsFile.Read(path);
        Assert.True(loaded.Quantized);
        foreach (var text in texts)
        {
            Assert.Equal(quantized.Score(text).Select(BitConverter.SingleToInt32Bits), loaded.Score(text).Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void AnUnknownVersionIsRefusedNamingTheFile()
    {
        var path = WriteModel(SmallModel());
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), 3);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<UptrainException>(() => StudentWeightsFile.Read(path));
        Assert.Equal("UnsupportedStudentWeights", error.ErrorId);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("version 3", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(1)]
    public void ATruncatedFileIsRefusedNamingTheFile(int cut)
    {
        var path = WriteModel(SmallModel());
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^cut]);
        var error = Assert.Throws<UptrainException>(() => StudentWeightsFile.Read(path));
        Assert.Equal("InvalidStudentWeights", error.ErrorId);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AShortFileIsTruncatedAndAForeignFileIsNotAStudent()
    {
        var path = WriteModel(SmallModel());
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..12]);
        Assert.Contains("truncated", Assert.Throws<UptrainException>(() => StudentWeightsFile.Read(path)).Message, StringComparison.Ordinal);

        File.WriteAllText(path, "{\"not\": \"weights\"}");
        var error = Assert.Throws<UptrainException>(() => StudentWeightsFile.Read(path));
        Assert.Equal("InvalidStudentWeights", error.ErrorId);
        Assert.Contains("not a student weights file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFlippedBitFailsTheChecksum()
    {
        var path = WriteModel(SmallModel());
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<UptrainException>(() => StudentWeightsFile.Read(path));
        Assert.Equal("InvalidStudentWeights", error.ErrorId);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BytesAfterTheChecksumAreDamage()
    {
        var path = WriteModel(SmallModel());
        File.WriteAllBytes(path, [.. File.ReadAllBytes(path), 0, 0]);
        var error = Assert.Throws<UptrainException>(() => StudentWeightsFile.Read(path));
        Assert.Equal("InvalidStudentWeights", error.ErrorId);
        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AValueOutOfRangeIsDamageEvenWithAMatchingChecksum()
    {
        // A writer bug rather than a flipped bit: dimension 0 (the sixth int of the payload), checksum recomputed.
        var path = WriteModel(SmallModel());
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(20 + (5 * 4)), 0);
        SHA256.HashData(bytes.AsSpan(20, bytes.Length - 52)).CopyTo(bytes.AsSpan(bytes.Length - 32));
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<UptrainException>(() => StudentWeightsFile.Read(path));
        Assert.Equal("InvalidStudentWeights", error.ErrorId);
        Assert.Contains("dimension", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileIsModelNotFound()
    {
        var path = Path.Combine(_folder, "none.weights");
        var error = Assert.Throws<UptrainException>(() => StudentWeightsFile.Read(path));
        Assert.Equal("ModelNotFound", error.ErrorId);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private static StudentModel SmallModel() =>
        StudentTrainer.Train(StudentData.Exclusive(40, 1), null, StudentData.SmallOptions(1), NullOutputWriter.Instance).Model;

    private string WriteModel(StudentModel model)
    {
        var path = Path.Combine(_folder, StudentWeightsFile.FileName);
        StudentWeightsFile.Write(model, path);
        return path;
    }
}
