using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Student;
using Uptrain.Training;
using Xunit;

namespace Uptrain.Tests.Student;

public sealed class StudentRunTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("uptrain-student-run-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ARunWritesTheFolderAndReportsLikeATeacherRun()
    {
        var gold = StudentData.Exclusive(100, 1);
        var silver = StudentData.Exclusive(100, 2).Select(e => new StudentExample(e.Text, Scores: e.Cats!.ToDictionary(c => c.Key, c => c.Value == 1 ? 0.9 : 0.1 / 3))).ToList();
        var eval = StudentData.Exclusive(40, 3);
        var folder = Path.Combine(_root, "student");
        var output = new CollectingOutputWriter();

        var result = StudentRun.Train([.. gold, .. silver], eval, StudentData.SmallOptions(4), new StudentOutput(folder), output);

        Assert.Equal(folder, result.ModelPath);
        Assert.InRange(result.BestEpoch, 1, 4);
        Assert.Equal(result.History[result.BestEpoch - 1].EvalScore, result.BestScore);
        Assert.Equal("macro F", result.ScoreDescription);
        Assert.Equal("student", result.Card.Kind);
        Assert.Equal(100, Convert.ToInt32(result.Card.Data["goldExamples"]));
        Assert.Equal(100, Convert.ToInt32(result.Card.Data["silverExamples"]));
        Assert.Equal(StudentRun.Fingerprint([.. gold, .. silver]), result.Card.Data["trainFingerprint"]);
        Assert.Equal(StudentRun.Fingerprint(eval), result.Card.Data["evalFingerprint"]);
        // Gold counts as the TextcatExample with the same text and labels would; scores change the fingerprint.
        var asTextcat = gold.Select(e =>
        {
            var example = new TextcatExample(e.Text);
            foreach (var (label, value) in e.Cats!)
            {
                example.Cats[label] = value;
            }

            return example;
        });
        Assert.Equal(DataFingerprint.Of(asTextcat), StudentRun.Fingerprint(gold));
        Assert.NotEqual(StudentRun.Fingerprint(silver.Select(e => new StudentExample(e.Text, e.Scores))), StudentRun.Fingerprint(silver));
        Assert.Contains(output.Verbose, v => v.Contains(folder, StringComparison.Ordinal) && v.StartsWith("Saved the student", StringComparison.Ordinal));
        Assert.Equal("student", ModelCard.Read(folder).Kind);
    }

    [Fact]
    public void AnExistingFolderIsRefusedBeforeTrainingAndReplacedWithForce()
    {
        var folder = Path.Combine(_root, "exists");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "mine");
        var output = new CollectingOutputWriter();

        var error = Assert.Throws<UptrainException>(() => StudentRun.Train(StudentData.Exclusive(40, 1), null, StudentData.SmallOptions(1), new StudentOutput(folder), output));

        Assert.Equal("OutputExists", error.ErrorId);
        Assert.Empty(output.Verbose);
        Assert.True(File.Exists(Path.Combine(folder, "keep.txt")));
        StudentRun.Train(StudentData.Exclusive(40, 1), null, StudentData.SmallOptions(1), new StudentOutput(folder, Force: true), output);
        Assert.False(File.Exists(Path.Combine(folder, "keep.txt")));
    }

    [Fact]
    public void QuantizeWritesASmallerFolderThatScoresClose()
    {
        var examples = StudentData.Exclusive(300, 1);
        var plain = StudentRun.Train(examples, null, StudentData.SmallOptions(2), new StudentOutput(Path.Combine(_root, "plain")), NullOutputWriter.Instance);
        var small = StudentRun.Train(examples, null, StudentData.SmallOptions(2) with { Quantize = true }, new StudentOutput(Path.Combine(_root, "small")), NullOutputWriter.Instance);

        Assert.True((bool)small.Card.Training["quantized"]!);
        Assert.True(new FileInfo(Path.Combine(small.ModelPath, StudentWeightsFile.FileName)).Length * 2 < new FileInfo(Path.Combine(plain.ModelPath, StudentWeightsFile.FileName)).Length);
        using var a = TextcatModel.Load(plain.ModelPath, ComputeDevice.Cpu);
        using var b = TextcatModel.Load(small.ModelPath, ComputeDevice.Cpu);
        var texts = examples.Take(50).Select(e => new TextcatExample(e.Text)).ToList();
        var agree = a.Predict(texts).Zip(b.Predict(texts)).Count(p => p.First.Label == p.Second.Label);
        Assert.True(agree >= 48, $"{agree} of 50 top labels agree");
    }

    [Fact]
    public void AQuantizedRunReportsTheEvalScoreOfTheModelItWrote()
    {
        // Eval texts with the gold of another text: a macro AUC near 0.5 made of many close pairs, which rounding the
        // rows reorders.
        var texts = StudentData.Exclusive(200, 2);
        var eval = texts.Select((e, i) => new StudentExample(e.Text, texts[(i * 7 + 3) % texts.Count].Cats)).ToList();
        var output = new CollectingOutputWriter();

        var result = StudentRun.Train(StudentData.Exclusive(200, 1), eval, StudentData.SmallOptions(3) with { Quantize = true }, new StudentOutput(Path.Combine(_root, "quantized")), output);

        using var model = TextcatModel.Load(result.ModelPath, ComputeDevice.Cpu);
        var accumulator = new Uptrain.Metrics.TextcatScoreAccumulator(new Uptrain.Metrics.TextcatScorerOptions { Labels = StudentData.Labels, Exclusive = true });
        foreach (var (example, prediction) in eval.Zip(model.Predict(eval.Select(e => new TextcatExample(e.Text)))))
        {
            accumulator.Add(new Uptrain.Metrics.ScoredItem(example.Cats!, prediction.Scores));
        }

        // The macro AUC sees every score, so it moves when the rows are rounded even where no top label changes.
        var measured = accumulator.Finish();
        Assert.Equal(measured.Score, result.BestScore);
        Assert.Equal(measured.MacroAuc, Convert.ToDouble(result.Card.Metrics["macroAuc"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(output.Verbose, v => v.StartsWith("Quantized the rows to 8 bits", StringComparison.Ordinal));
    }

    [Fact]
    public void AStopBeforeTheFirstEpochWritesNothing()
    {
        var folder = Path.Combine(_root, "stopped-in-epoch-1");
        using var stop = new CancellationTokenSource();
        stop.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => StudentRun.Train(StudentData.Exclusive(40, 1), null, StudentData.SmallOptions(1), new StudentOutput(folder), NullOutputWriter.Instance, stop.Token));

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void AStopWithinTheFirstEpochWritesTheWeightsAtTheStop()
    {
        var folder = Path.Combine(_root, "stopped-in-epoch-1");
        using var stop = new CancellationTokenSource();

        var result = StudentRun.Train(StudentData.Exclusive(1000, 1), null, StudentData.SmallOptions(3) with { Threads = 1 }, new StudentOutput(folder), new CancellingWriter(stop), stop.Token);

        Assert.True(result.Stopped);
        Assert.Equal(0, result.BestEpoch);
        Assert.Equal(true, result.Card.Training["stopped"]);
        Assert.NotEmpty(ModelCard.Read(folder).Metrics);
        using var model = TextcatModel.Load(folder);
        Assert.Equal(ModelKind.Student, model.Kind);
    }
}
