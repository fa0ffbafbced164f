using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Student;
using Xunit;

namespace Uptrain.Tests.Student;

/// <summary>A student folder through <see cref="TextcatModel"/>, as Invoke-TextcatPrediction and Import-UptrainModel use it.</summary>
public sealed class StudentScoringTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("uptrain-student-scoring-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void AStudentFolderLoadsAndScoresLikeTheStudentItself()
    {
        var (folder, student) = Train("exclusive", StudentData.Exclusive(200, 1));
        using var model = TextcatModel.Load(folder, ComputeDevice.Auto, intraOpThreads: 2);

        Assert.Equal(ModelKind.Student, model.Kind);
        Assert.Equal(ComputeDevice.Cpu, model.Device);
        Assert.Equal(2, model.Threads);
        Assert.Equal(StudentData.Labels, model.Labels);
        Assert.True(model.Exclusive);
        var inputs = StudentData.Exclusive(23, 9).Select((e, i) =>
        {
            var example = new TextcatExample(e.Text) { Source = $"pool.jsonl:{i + 1}" };
            example.Cats["alpha"] = 1;
            return example;
        }).ToList();

        // A window of 5 cuts the 23 inputs into five windows; the order must survive the parallel scoring.
        var predictions = model.Predict(inputs, window: 5).ToList();

        Assert.Equal(inputs.Select(e => e.Text), predictions.Select(p => p.Text));
        Assert.Equal(inputs.Select(e => e.Source), predictions.Select(p => p.Source));
        Assert.All(predictions, p => Assert.Equal(1, p.Cats["alpha"]));
        Assert.All(predictions, p => Assert.Equal(folder, p.Model.Path));
        for (var i = 0; i < inputs.Count; i++)
        {
            var expected = student.Score(inputs[i].Text);
            Assert.Equal(expected.Select(v => (double)v), StudentData.Labels.Select(l => predictions[i].Scores[l]));
        }

        var batch = model.ScoreBatch([inputs[0].Text, inputs[1].Text]);
        Assert.Equal(student.Score(inputs[1].Text)[3], batch[1, 3]);
    }

    [Fact]
    public void AMultilabelStudentGivesIndependentScores()
    {
        var (folder, _) = Train("multilabel", StudentData.Multilabel(200, 2));
        using var model = TextcatModel.Load(folder, ComputeDevice.Cpu);

        var prediction = Assert.Single(model.Predict([new TextcatExample("alpha0 beta1 noise")]));

        Assert.False(model.Exclusive);
        Assert.NotEqual(1.0, prediction.Scores.Values.Sum(), 3);
    }

    [Fact]
    public void AskingForCudaWarnsAndScoresOnTheCpu()
    {
        var (folder, _) = Train("cuda", StudentData.Exclusive(40, 3));
        var output = new CollectingOutputWriter();

        using var model = TextcatModel.Load(folder, ComputeDevice.Cuda, output: output);

        Assert.Equal(ComputeDevice.Cpu, model.Device);
        Assert.Contains(output.Warnings, w => w.Contains(folder, StringComparison.Ordinal));
    }

    [Fact]
    public void ADamagedStudentFolderIsRefusedByTheChecksum()
    {
        var (folder, _) = Train("damaged", StudentData.Exclusive(40, 4));
        var weights = Path.Combine(folder, StudentWeightsFile.FileName);
        var bytes = File.ReadAllBytes(weights);
        bytes[^40] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);

        var error = Assert.Throws<UptrainException>(() => TextcatModel.Load(folder, ComputeDevice.Cpu));

        Assert.Equal("ModelFileChanged", error.ErrorId);
    }

    [Fact]
    public void CancellingStopsBetweenWindows()
    {
        var (folder, _) = Train("cancel", StudentData.Exclusive(40, 5));
        using var model = TextcatModel.Load(folder, ComputeDevice.Cpu);
        using var stop = new CancellationTokenSource();
        var seen = 0;

        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in model.Predict(StudentData.Exclusive(100, 6).Select(e => new TextcatExample(e.Text)), window: 10, cancellationToken: stop.Token))
            {
                if (++seen == 10)
                {
                    stop.Cancel();
                }
            }
        });
        Assert.Equal(10, seen);
    }

    private (string Folder, StudentModel Model) Train(string name, List<StudentExample> examples)
    {
        var options = StudentData.SmallOptions(3);
        var outcome = StudentTrainer.Train(examples, null, options, NullOutputWriter.Instance);
        var folder = Path.Combine(_root, name);
        StudentFolder.Write(outcome, options, folder, force: false);
        return (folder, outcome.Model);
    }
}
