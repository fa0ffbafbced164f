using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Student;
using Xunit;

namespace Uptrain.Tests.Student;

public sealed class StudentFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("uptrain-student-folder-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void WritesAStudentFolderAndLoadsItBackWithBitIdenticalScores()
    {
        var options = StudentData.SmallOptions(2);
        var outcome = StudentTrainer.Train(StudentData.Exclusive(200, 1), StudentData.Exclusive(50, 2), options, NullOutputWriter.Instance);
        var folder = Path.Combine(_root, "student");
        var card = StudentFolder.Write(outcome, options, folder, force: false, new Dictionary<string, object?> { ["trainFingerprint"] = "sha256:abc" });

        var read = ModelCard.Read(folder);
        Assert.Equal("student", read.Kind);
        Assert.Equal(StudentData.Labels, read.Labels);
        Assert.True(read.Exclusive);
        Assert.Equal(StudentWeightsFile.FileName, read.Weights);
        Assert.Equal(StudentFolder.TokenizerType, read.Tokenizer.Type);
        Assert.Null(read.Tokenizer.Vocab);
        Assert.Equal([StudentWeightsFile.FileName], read.Files!.Keys);
        Assert.Equal(outcome.BestScore.Score, read.Metrics["score"]);
        Assert.Equal("sha256:abc", read.Data["trainFingerprint"]?.ToString());
        Assert.Equal(200, int.Parse(read.Data["trainExamples"]!.ToString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(card.Files, read.Files);

        var loaded = StudentFolder.Load(folder, NullOutputWriter.Instance);
        foreach (var example in StudentData.Exclusive(30, 3))
        {
            Assert.Equal(
                outcome.Model.Score(example.Text).Select(BitConverter.SingleToInt32Bits),
                loaded.Score(example.Text).Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void AQuantizedFolderLoadsAsAQuantizedModel()
    {
        var options = StudentData.SmallOptions(1);
        var outcome = StudentTrainer.Train(StudentData.Exclusive(60, 1), null, options, NullOutputWriter.Instance);
        var folder = Path.Combine(_root, "quantized");
        var card = StudentFolder.Write(outcome, options, folder, force: false, quantize: true);
        Assert.Equal(true, card.Training["quantized"]);
        var loaded = StudentFolder.Load(folder, NullOutputWriter.Instance);
        Assert.True(loaded.Quantized);
        var text = StudentData.Exclusive(1, 5)[0].Text;
        Assert.Equal(outcome.Model.Quantize().Score(text), loaded.Score(text));
    }

    [Fact]
    public void AnExistingFolderNeedsForce()
    {
        var (outcome, options, folder) = WriteSmall();
        Assert.Equal("OutputExists", Assert.Throws<UptrainException>(() => StudentFolder.Write(outcome, options, folder, force: false)).ErrorId);
        StudentFolder.Write(outcome, options, folder, force: true);
        Assert.NotNull(StudentFolder.Load(folder, NullOutputWriter.Instance));
    }

    [Fact]
    public void AChangedWeightsFileIsCaughtByTheCardsChecksum()
    {
        var (_, _, folder) = WriteSmall();
        var path = Path.Combine(folder, StudentWeightsFile.FileName);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 1;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<UptrainException>(() => StudentFolder.Load(folder, NullOutputWriter.Instance));
        Assert.Equal("ModelFileChanged", error.ErrorId);

        // A student's folder is restored as Invoke-StudentTraining wrote it, not "as Invoke-TeacherTraining wrote it" (issue 19, 8).
        Assert.Contains("Invoke-StudentTraining", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATeacherFolderIsNotAStudent()
    {
        var (_, _, folder) = WriteSmall();
        var card = ModelCard.Read(folder);
        card.Kind = "teacher";
        card.Tokenizer.Vocab = ModelFolder.VocabFileName;
        card.Write(folder);
        var error = Assert.Throws<UptrainException>(() => StudentFolder.Load(folder, NullOutputWriter.Instance));
        Assert.Equal("UnsupportedModelKind", error.ErrorId);
        Assert.Contains("teacher", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATeacherCardStillNeedsItsVocabulary()
    {
        var (_, _, folder) = WriteSmall();
        var card = ModelCard.Read(folder);
        card.Kind = "teacher";
        card.Write(folder);
        Assert.Equal("InvalidModelCard", Assert.Throws<UptrainException>(() => ModelCard.Read(folder)).ErrorId);
    }

    [Fact]
    public void ACardThatDisagreesWithTheWeightsIsRefused()
    {
        var (_, _, folder) = WriteSmall();
        var card = ModelCard.Read(folder);
        card.Labels.Reverse();
        card.Write(folder);
        var error = Assert.Throws<UptrainException>(() => StudentFolder.Load(folder, NullOutputWriter.Instance));
        Assert.Equal("InvalidModelCard", error.ErrorId);
        Assert.Contains(StudentWeightsFile.FileName, error.Message, StringComparison.Ordinal);
    }

    private (StudentTrainingOutcome Outcome, StudentTrainingOptions Options, string Folder) WriteSmall()
    {
        var options = StudentData.SmallOptions(1);
        var outcome = StudentTrainer.Train(StudentData.Exclusive(40, 1), null, options, NullOutputWriter.Instance);
        var folder = Path.Combine(_root, "small");
        StudentFolder.Write(outcome, options, folder, force: false);
        return (outcome, options, folder);
    }
}
