using System.Text.Json.Nodes;
using Uptrain.Diagnostics;
using Uptrain.Models;

namespace Uptrain.Tests.Inference;

/// <summary>Loading checks what it loads: the card's checksums, its format and values, and the vocabulary, each failure naming the file.</summary>
public sealed class TextcatModelLoadTests(TinyTeacher teacher) : IClassFixture<TinyTeacher>
{
    [Fact]
    public void TheCardRecordsAChecksumOfEveryOtherFile()
    {
        var card = ModelCard.Read(teacher.ExclusiveFolder);

        Assert.NotNull(card.Files);
        Assert.Equal(["model.onnx", "vocab.txt"], card.Files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ModelFolder.Checksum(Path.Combine(teacher.ExclusiveFolder, "vocab.txt")), card.Files["vocab.txt"]);
        Assert.Matches("^sha256:[0-9a-f]{64}$", card.Files["model.onnx"]);
    }

    [Fact]
    public void AShiftedVocabularyIsModelFileChangedNamingTheFile()
    {
        var folder = teacher.Copy("shifted-vocab");
        var vocab = Path.Combine(folder, "vocab.txt");
        var lines = File.ReadAllLines(vocab);
        File.WriteAllLines(vocab, [.. lines[10..], .. lines[..10]]); // same words, every id moved

        var error = Assert.Throws<UptrainException>(() => TextcatModel.Load(folder, ComputeDevice.Cpu));

        Assert.Equal("ModelFileChanged", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
        Assert.Equal(vocab, error.Target);
        Assert.Contains(vocab, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangedWeightsAreModelFileChanged()
    {
        var folder = teacher.Copy("changed-weights");
        var weights = Path.Combine(folder, "model.onnx");
        var bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 1;
        File.WriteAllBytes(weights, bytes);

        var error = Assert.Throws<UptrainException>(() => TextcatModel.Load(folder, ComputeDevice.Cpu));

        Assert.Equal("ModelFileChanged", error.ErrorId);
        Assert.Contains(weights, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelWithoutChecksumsLoadsAndSaysItWasNotVerified()
    {
        var folder = teacher.Copy("no-checksums");
        TinyTeacher.EditCard(folder, card => card.Remove("files"));
        var output = new CollectingOutputWriter();

        using var model = TextcatModel.Load(folder, ComputeDevice.Cpu, output: output);

        Assert.Null(model.Card.Files);
        Assert.Contains(output.Verbose, v => v.Contains("checksums", StringComparison.Ordinal) && v.Contains(model.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void AnEmptyVocabularyIsInvalidModelNamingTheFile()
    {
        var folder = teacher.Copy("empty-vocab");
        var vocab = Path.Combine(folder, "vocab.txt");
        File.WriteAllText(vocab, string.Empty);
        TinyTeacher.Reseal(folder);

        var error = Assert.Throws<UptrainException>(() => TextcatModel.Load(folder, ComputeDevice.Cpu));

        Assert.Equal("InvalidModel", error.ErrorId);
        Assert.Equal(vocab, error.Target);
        Assert.Contains(vocab, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANewerFormatSaysWhichFormatThisVersionReads()
    {
        var folder = teacher.Copy("format-99");
        TinyTeacher.EditCard(folder, card => card["format"] = "uptrain-model/99");

        var error = Assert.Throws<UptrainException>(() => TextcatModel.Load(folder, ComputeDevice.Cpu));

        Assert.Equal("UnsupportedModelFormat", error.ErrorId);
        Assert.Contains("uptrain-model/99", error.Message, StringComparison.Ordinal);
        Assert.Contains(ModelCard.CurrentFormat, error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(folder, ModelCard.FileName), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("maxLength", "0", "maxLength")]
    [InlineData("maxLength", "100000", "maxLength")]
    [InlineData("labels", "[]", "no labels")]
    [InlineData("labels", "[\"POSITIVE\", \"NEGATIVE\", \"POSITIVE\"]", "'POSITIVE'")]
    [InlineData("labels", "[\"POSITIVE\", \" \", \"NEUTRAL\"]", "empty")]
    [InlineData("weights", "\"../model.onnx\"", "'../model.onnx'")]
    [InlineData("kind", "\"\"", "kind")]
    public void CardValuesOutOfRangeAreInvalidModelCardNamingTheCard(string property, string json, string reason)
    {
        var folder = teacher.Copy("bad-" + property + "-" + Math.Abs(StringComparer.Ordinal.GetHashCode(json)));
        TinyTeacher.EditCard(folder, card => card[property] = JsonNode.Parse(json));

        var error = Assert.Throws<UptrainException>(() => TextcatModel.Load(folder, ComputeDevice.Cpu));

        Assert.Equal("InvalidModelCard", error.ErrorId);
        Assert.Contains(Path.Combine(folder, ModelCard.FileName), error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
