using System.Buffers.Binary;
using System.Security.Cryptography;
using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Student;
using Uptrain.Tests.Data;

namespace Uptrain.Tests.Student;

public sealed class StudentVectorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TokenVectorsCarryWhatTheNgramsNeverSaw()
    {
        var train = StudentData.Exclusive(200, 1);
        var synonyms = StudentVectorData.SynonymTexts(100, 2);
        var options = StudentData.SmallOptions(8);

        var ngrams = StudentTrainer.Train(train, null, options, NullOutputWriter.Instance);
        var vectors = StudentTrainer.Train(train, null, options, NullOutputWriter.Instance, default, StudentVectorData.Table());

        Assert.False(ngrams.Model.HasTokenVectors);
        Assert.True(vectors.Model.HasTokenVectors);
        Assert.Equal(StudentVectorData.Dimension, vectors.Model.TokenVectorDimension);
        Assert.True(StudentData.Accuracy(ngrams.Model, synonyms) < 0.5, $"n-grams {StudentData.Accuracy(ngrams.Model, synonyms)}");
        Assert.True(StudentData.Accuracy(vectors.Model, synonyms) > 0.9, $"vectors {StudentData.Accuracy(vectors.Model, synonyms)}");
        Assert.True(StudentData.Accuracy(vectors.Model, StudentData.Exclusive(100, 3)) > 0.95);
    }

    [Fact]
    public void AStudentWithVectorsRoundTripsThroughItsFolder()
    {
        var options = StudentData.SmallOptions(3) with { Quantize = true, WordOrderFilters = 0 };
        var outcome = StudentTrainer.Train(StudentData.Exclusive(200, 1), null, options, NullOutputWriter.Instance, default, StudentVectorData.Table());
        var folder = _dir.File("student");
        StudentFolder.Write(outcome, options, folder, force: false);

        var card = ModelCard.Read(folder);
        Assert.Equal(StudentFolder.TokenizerTypeWithVectors, card.Tokenizer.Type);
        Assert.Equal([StudentWeightsFile.FileName, TokenVectors.FileName], card.Files!.Keys.Order(StringComparer.Ordinal));
        Assert.NotNull(card.Training["tokenVectors"]);
        var loaded = StudentFolder.Load(folder, NullOutputWriter.Instance);
        Assert.True(loaded.HasTokenVectors);
        Assert.True(loaded.Quantized);
        foreach (var example in StudentVectorData.SynonymTexts(20, 4).Concat(StudentData.Exclusive(20, 5)))
        {
            Assert.Equal(
                outcome.Model.Score(example.Text).Select(BitConverter.SingleToInt32Bits),
                loaded.Score(example.Text).Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void ADamagedOrMissingTableIsANamedError()
    {
        var options = StudentData.SmallOptions(1);
        var outcome = StudentTrainer.Train(StudentData.Exclusive(60, 1), null, options, NullOutputWriter.Instance, default, StudentVectorData.Table());
        var folder = _dir.File("student");
        StudentFolder.Write(outcome, options, folder, force: false);
        var table = Path.Combine(folder, TokenVectors.FileName);
        var card = ModelCard.Read(folder);

        var bytes = File.ReadAllBytes(table);
        bytes[^40] ^= 0x10;
        File.WriteAllBytes(table, bytes);
        Assert.Equal("ModelFileChanged", Assert.Throws<UptrainException>(() => StudentFolder.Load(folder, NullOutputWriter.Instance)).ErrorId);
        var damaged = Assert.Throws<UptrainException>(() => StudentFolder.Load(card, NullOutputWriter.Instance, verify: false));
        Assert.Equal("InvalidTokenVectors", damaged.ErrorId);
        Assert.Contains(table, damaged.Message, StringComparison.Ordinal);

        File.Delete(table);
        var missing = Assert.Throws<UptrainException>(() => StudentFolder.Load(card, NullOutputWriter.Instance, verify: false));
        Assert.Equal("InvalidStudentWeights", missing.ErrorId);
        Assert.Contains(TokenVectors.FileName, missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, 1e-5)]
    [InlineData(true, 2e-2)]
    public void FoldingTheOutputLayerIntoTheRowsKeepsTheScores(bool vectors, double tolerance)
    {
        // 4 labels against 16 n-gram dimensions and 8 static ones: both parts fold to 4 numbers a row. The n-gram network
        // alone: a word-order part does not fold.
        var options = StudentData.SmallOptions(3) with { WordOrderFilters = 0 };
        var outcome = StudentTrainer.Train(StudentData.Exclusive(200, 1), null, options, NullOutputWriter.Instance, default, vectors ? StudentVectorData.Table() : null);
        var model = outcome.Model;
        var folded = model.Network.Fold();
        Assert.Equal(StudentData.Labels.Length, folded.Dimension);
        Assert.Equal(vectors ? StudentData.Labels.Length : 0, folded.StaticDimension);
        var foldedModel = new StudentModel(model.Labels, model.Exclusive, model.Featurizer, model.RowBuckets, folded);
        foreach (var example in StudentData.Exclusive(30, 2).Concat(StudentVectorData.SynonymTexts(10, 3)))
        {
            var expected = model.Score(example.Text);
            var actual = foldedModel.Score(example.Text);
            for (var l = 0; l < expected.Length; l++)
            {
                Assert.True(Math.Abs(expected[l] - actual[l]) <= tolerance, $"{example.Text}: {actual[l]} against {expected[l]}");
            }
        }

        // The stored model is folded, then 8-bit: a hidden layer does not fold.
        Assert.Equal(StudentData.Labels.Length, model.Quantize().Dimension);
        var hidden = StudentTrainer.Train(StudentData.Exclusive(100, 1), null, options with { Hidden = 8, LearningRate = 0.05 }, NullOutputWriter.Instance);
        Assert.Same(hidden.Model.Network, hidden.Model.Network.Fold());
    }

    [Fact]
    public void TheTableFileRoundTripsAndRefusesWhatIsNotATable()
    {
        var table = StudentVectorData.Table();
        var path = _dir.File(TokenVectors.FileName);
        table.Write(path);

        var read = TokenVectors.Read(path);
        Assert.Equal(table.Vocabulary, read.Vocabulary);
        Assert.Equal(table.Values, read.Values);
        Assert.Equal(table.Scales, read.Scales);
        Assert.Equal(table.Dimension, read.Dimension);
        Assert.Equal("hand-made", read.Source);
        Assert.True(read.LowerCase);

        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);
        Assert.Equal("InvalidTokenVectors", Assert.Throws<UptrainException>(() => TokenVectors.Read(path)).ErrorId);

        var other = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(other.AsSpan(8), 99);
        File.WriteAllBytes(path, other);
        Assert.Equal("UnsupportedTokenVectors", Assert.Throws<UptrainException>(() => TokenVectors.Read(path)).ErrorId);

        File.WriteAllText(path, "not a table at all, just some text");
        Assert.Equal("InvalidTokenVectors", Assert.Throws<UptrainException>(() => TokenVectors.Read(path)).ErrorId);

        Assert.Equal("TokenVectorsNotFound", Assert.Throws<UptrainException>(() => TokenVectors.Read(_dir.File("none.bin"))).ErrorId);
    }

    [Fact]
    public void EightBitRowsStayCloseToTheFloatsTheyCameFrom()
    {
        var random = new Random(3);
        var dense = Enumerable.Range(0, 50 * 16).Select(_ => (float)(random.NextDouble() - 0.5) * 4).ToArray();
        var vocabulary = Enumerable.Range(0, 50).Select(i => $"w{i}").ToList();
        var table = TokenVectors.Quantize(vocabulary, lowerCase: false, 16, dense, "random");
        var row = new float[16];
        for (var id = 0; id < 50; id++)
        {
            table.Row(id, row);
            var max = dense.AsSpan(id * 16, 16).ToArray().Max(Math.Abs);
            for (var i = 0; i < 16; i++)
            {
                Assert.True(Math.Abs(row[i] - dense[(id * 16) + i]) <= (max / 127 / 2) + 1e-6);
            }
        }
    }

    [Fact]
    public void AVersion1WeightsFileIsStillRead()
    {
        var options = StudentData.SmallOptions(1);
        var outcome = StudentTrainer.Train(StudentData.Exclusive(60, 1), null, options, NullOutputWriter.Instance);
        var path = _dir.File(StudentWeightsFile.FileName);
        StudentWeightsFile.Write(outcome.Model, path);

        // Version 1 is version 2 without the static dimension (the tenth int of the payload) and without a center.
        var bytes = File.ReadAllBytes(path);
        const int header = 20;
        var payload = bytes.AsSpan(header, bytes.Length - header - 32).ToArray();
        var old = payload[..36].Concat(payload[40..]).ToArray();
        var file = new byte[header + old.Length + 32];
        bytes.AsSpan(0, 8).CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(8), 1);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(12), old.Length);
        old.CopyTo(file, header);
        SHA256.HashData(old).CopyTo(file, header + old.Length);
        File.WriteAllBytes(path, file);

        var read = StudentWeightsFile.Read(path);
        Assert.False(read.HasTokenVectors);
        var text = StudentData.Exclusive(1, 9)[0].Text;
        Assert.Equal(outcome.Model.Score(text), read.Score(text));
    }
}
