using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Tests.Data;
using Uptrain.Tests.Teacher;
using Uptrain.Uptraining;

namespace Uptrain.Tests.Student;

[Collection(TorchTrainingCollection.Name)]
public sealed class StudentTeacherVectorsTests(TinyBaseModel tiny) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WithoutATeacherTheStudentUsesNgramsAndSaysSo()
    {
        var writer = new CollectingOutputWriter();
        Assert.Null(StudentTeacherVectors.Resolve(null, [null, null], writer));
        Assert.Contains(writer.Verbose, v => v.Contains("-Teacher", StringComparison.Ordinal));
    }

    [Fact]
    public void PredictionsOfSeveralModelsGiveAWarningAndNoVectors()
    {
        var writer = new CollectingOutputWriter();
        Assert.Null(StudentTeacherVectors.Resolve(null, [_dir.File("one"), _dir.File("two")], writer));
        Assert.Contains(writer.Warnings, w => w.Contains("several models", StringComparison.Ordinal));
    }

    [Fact]
    public void AFolderWithATableIsReadAndOneWithoutIsDistilled()
    {
        var withTable = Directory.CreateDirectory(_dir.File("with-table")).FullName;
        StudentVectorData.Table().Write(Path.Combine(withTable, TokenVectors.FileName));
        Assert.Equal("hand-made", StudentTeacherVectors.Resolve(withTable, [], NullOutputWriter.Instance)!.Source);

        var writer = new CollectingOutputWriter();
        var distilled = StudentTeacherVectors.Resolve(tiny.Folder, [], writer);
        Assert.Equal(TinyTask.Config.VocabSize, distilled!.Count);
        Assert.Contains(writer.Verbose, v => v.Contains("distilling", StringComparison.Ordinal));
    }

    [Fact]
    public void PredictionsOfAStudentGiveAnNgramStudentWithoutAWarning()
    {
        var options = StudentData.SmallOptions(1);
        var outcome = Uptrain.Student.StudentTrainer.Train(StudentData.Exclusive(40, 1), null, options, NullOutputWriter.Instance, default, StudentVectorData.Table());
        var folder = _dir.File("student");
        Uptrain.Student.StudentFolder.Write(outcome, options, folder, force: false);

        var writer = new CollectingOutputWriter();
        Assert.Null(StudentTeacherVectors.Resolve(null, [folder], writer));
        Assert.Empty(writer.Warnings);
        Assert.Contains(writer.Verbose, v => v.Contains("made by the student", StringComparison.Ordinal));
        // Its table is the student's own weighted copy, not an encoder's: -Teacher refuses it.
        Assert.Equal("TeacherNotFound", Assert.Throws<UptrainException>(() => StudentTeacherVectors.Resolve(folder, [], NullOutputWriter.Instance)).ErrorId);
    }

    [Fact]
    public void ATeacherThatIsNoModelIsANamedError()
    {
        var error = Assert.Throws<UptrainException>(() => StudentTeacherVectors.Resolve(_dir.File("nothing"), [], NullOutputWriter.Instance));
        Assert.Equal("TeacherNotFound", error.ErrorId);
    }
}
