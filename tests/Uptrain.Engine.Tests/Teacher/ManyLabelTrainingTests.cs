using Uptrain.Diagnostics;
using Uptrain.Teacher;
using Uptrain.Tests.Data;
using Uptrain.Text;
using Xunit.Abstractions;

namespace Uptrain.Tests.Teacher;

/// <summary>
/// Many-label multilabel training (issue 7): with 30 labels that are each negative on most texts, a head that starts at
/// even odds made the encoder push every text towards "all negative" until all texts scored the same. The generated
/// task is one any model reading the words can learn.
/// </summary>
[Collection(TorchTrainingCollection.Name)]
public sealed class ManyLabelTrainingTests(ITestOutputHelper log) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ThirtyLabelsWithOneOrTwoPositivesAreLearned()
    {
        var baseModel = ManyLabelTask.WriteTinyBaseModel(_dir.File("tiny-many"));
        var train = ManyLabelTask.Tiny(300, seed: 21);
        var options = TinyTask.Options(baseModel, _dir.File("model")) with { Epochs = 10, Patience = 10 };

        var result = TeacherTrainer.Train(train, null, options, NullOutputWriter.Instance, CancellationToken.None);

        // Scored on the training texts: macro ROC AUC from the run, and how far each label's score varies across texts.
        var scores = Score(result.ModelPath, train.Select(e => e.Text).ToArray());
        var spread = Enumerable.Range(0, ManyLabelTask.Labels).Average(l => StandardDeviation(scores.Where((_, i) => i % ManyLabelTask.Labels == l)));
        log.WriteLine($"training-set {result.ScoreDescription} {result.BestScore:0.000}; mean per-label standard deviation of scores {spread:0.0000}");
        Assert.Equal("macro AUC", result.ScoreDescription);
        Assert.True(result.BestScore >= 0.9, $"training-set macro AUC {result.BestScore:0.000}");
        Assert.True(spread >= 0.02, $"scores hardly differ between texts: mean per-label standard deviation {spread:0.0000}");
    }

    [Fact]
    public void TheHeadStartsAtTheLabelsFrequencies()
    {
        // Multilabel: A positive on 1 of the 4 examples that know it, B on 2 of 2, C known by none.
        var examples = new List<TextcatExample>();
        foreach (var (a, b) in new (double? A, double? B)[] { (1, 1), (0, 1), (0, null), (0, null) })
        {
            var example = new TextcatExample("text");
            example.Cats["A"] = a!.Value;
            if (b is not null)
            {
                example.Cats["B"] = b.Value;
            }

            examples.Add(example);
        }

        var multilabel = new TeacherTargets(examples, ["A", "B", "C"]).PriorLogits(exclusive: false);
        Assert.Equal(Math.Log(1.5 / 3.5), multilabel[0], 5);
        Assert.Equal(Math.Log(2.5 / 0.5), multilabel[1], 5);
        Assert.Equal(0, multilabel[2], 5);

        // Exclusive: softmax of the bias gives the class frequencies, smoothed by half an example.
        var exclusive = new TeacherTargets(TinyTask.Exclusive(4, seed: 1).Take(3).ToList(), ["POS", "NEG"]).PriorLogits(exclusive: true);
        var odds = Math.Exp(exclusive[0] - exclusive[1]);
        Assert.Equal(2.5 / 1.5, odds, 5);
    }

    private static double StandardDeviation(IEnumerable<float> values)
    {
        var all = values.Select(v => (double)v).ToArray();
        var mean = all.Average();
        return Math.Sqrt(all.Average(v => (v - mean) * (v - mean)));
    }

    private static float[] Score(string folder, string[] texts) =>
        TeacherTrainerTests.ScoreWithOnnxRuntime(folder, texts, TinyTask.MaxLength);
}
