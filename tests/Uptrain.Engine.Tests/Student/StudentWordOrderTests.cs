using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Student;
using Uptrain.Tests.Data;

namespace Uptrain.Tests.Student;

/// <summary>The student's word-order part: training, scoring as a mean, its files, stops, and repeatability.</summary>
public sealed class StudentWordOrderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheWordOrderPartReadsTheOrderABagOfWordsCannot()
    {
        // The same words in both labels: "alpha beta" is the first label, "beta alpha" the second.
        var train = OrderTexts(400, 1);
        var test = OrderTexts(200, 2);
        var options = StudentData.SmallOptions(10) with { WordNgrams = 1, CharNgrams = false, Labels = ["alpha", "beta"] };

        var bag = StudentTrainer.Train(train, null, options with { WordOrderFilters = 0 }, NullOutputWriter.Instance, default, StudentVectorData.Table());
        var ordered = StudentTrainer.Train(train, null, options with { WordOrderFilters = 8, WordOrderLearningRate = 0.01 }, NullOutputWriter.Instance, default, StudentVectorData.Table());

        Assert.False(bag.Model.HasWordOrder);
        Assert.True(ordered.Model.HasWordOrder);
        Assert.True(ordered.WordOrderEpoch >= 1);
        Assert.NotEmpty(ordered.WordOrderHistory!);
        Assert.True(StudentData.Accuracy(bag.Model, test) < 0.65, $"bag {StudentData.Accuracy(bag.Model, test)}");
        Assert.True(StudentData.Accuracy(ordered.Model, test) > 0.95, $"with word order {StudentData.Accuracy(ordered.Model, test)}");
    }

    [Fact]
    public void TheStudentScoresTheMeanOfItsTwoParts()
    {
        var outcome = StudentTrainer.Train(StudentData.Exclusive(120, 1), null, StudentData.SmallOptions(2) with { WordOrderFilters = 4 }, NullOutputWriter.Instance, default, StudentVectorData.Table());
        var student = outcome.Model;
        var ngrams = student.WithWordOrder(null);
        var part = student.WordOrder!;
        var buffers = new WordOrderBuffers();
        var features = new FeatureWorkspace();
        foreach (var example in StudentData.Exclusive(10, 2))
        {
            ngrams.Rows(example.Text, features);
            var pieces = new List<int>();
            ngrams.Pieces(features, pieces);
            var own = new float[StudentData.Labels.Length];
            part.Score(pieces.ToArray(), exclusive: true, buffers, own);
            var alone = ngrams.Score(example.Text);
            var both = student.Score(example.Text);
            for (var l = 0; l < both.Length; l++)
            {
                Assert.Equal((alone[l] + own[l]) / 2, both[l], 6);
            }

            Assert.NotEqual(alone, both);
        }
    }

    [Fact]
    public void NoTokenVectorsOrNoFiltersMeanNoWordOrderPart()
    {
        var options = StudentData.SmallOptions(1);
        Assert.False(StudentTrainer.Train(StudentData.Exclusive(60, 1), null, options, NullOutputWriter.Instance).Model.HasWordOrder);
        Assert.False(StudentTrainer.Train(StudentData.Exclusive(60, 1), null, options with { WordOrderFilters = 0 }, NullOutputWriter.Instance, default, StudentVectorData.Table()).Model.HasWordOrder);
        Assert.True(StudentTrainer.Train(StudentData.Exclusive(60, 1), null, options, NullOutputWriter.Instance, default, StudentVectorData.Table()).Model.HasWordOrder);
    }

    [Fact]
    public void AMultilabelStudentGetsAWordOrderPartToo()
    {
        var outcome = StudentTrainer.Train(StudentData.Multilabel(300, 1), null, StudentData.SmallOptions(6), NullOutputWriter.Instance, default, StudentVectorData.Table());

        Assert.False(outcome.Model.Exclusive);
        Assert.True(outcome.Model.HasWordOrder);
        Assert.True(StudentData.LabelAccuracy(outcome.Model, StudentData.Multilabel(100, 2)) > 0.9);
    }

    [Fact]
    public void TheWordOrderPartTrainsTheSameOnOneThreadOrMany()
    {
        var train = StudentData.Exclusive(150, 1);
        var options = StudentData.SmallOptions(2);
        var data = StudentTrainingData.Prepare(train, options, NullOutputWriter.Instance, StudentVectorData.Table());
        var ngrams = StudentTrainer.Train(train, null, options with { WordOrderFilters = 0 }, NullOutputWriter.Instance, default, StudentVectorData.Table()).Model;
        var table = WordOrderPart.FirstComponents(StudentVectorData.Table(), options.WordOrderDimension);
        float[] Trained(int threads, int epochs)
        {
            var network = new ConvolutionNetwork(data.Labels.Count, 4, table.Dimension);
            network.Initialise(new Random(3));
            var part = new WordOrderPart(network, table);
            var loop = new WordOrderTrainingLoop(data, ngrams.WithWordOrder(part), part, StudentEvaluation.Gold(null, train, data), options with { Threads = threads }, new Random(5));
            for (var epoch = 1; epoch <= epochs; epoch++)
            {
                loop.TrainEpoch(epoch, (_, _, _) => { }, default);
            }

            return Weights(part);
        }

        var one = Trained(1, 2);
        Assert.NotEqual(Trained(1, 0), one);
        Assert.Equal(one, Trained(4, 2));
        Assert.Equal(one, Trained(2, 2));
    }

    [Fact]
    public void AStudentWithWordOrderRoundTripsThroughItsFolder()
    {
        var options = StudentData.SmallOptions(3) with { Quantize = true, WordOrderFilters = 6 };
        var outcome = StudentTrainer.Train(StudentData.Exclusive(200, 1), null, options, NullOutputWriter.Instance, default, StudentVectorData.Table());
        var folder = _dir.File("student");
        StudentFolder.Write(outcome, options, folder, force: false);

        var card = ModelCard.Read(folder);
        Assert.Equal(
            [StudentWeightsFile.FileName, TokenVectors.FileName, WordOrderPart.VectorsFileName, WordOrderPart.WeightsFileName],
            card.Files!.Keys.Order(StringComparer.Ordinal));
        Assert.NotNull(card.Training["wordOrder"]);
        var loaded = StudentFolder.Load(folder, NullOutputWriter.Instance);
        Assert.True(loaded.HasWordOrder);
        Assert.Equal(6, loaded.WordOrder!.Network.Filters);
        foreach (var example in StudentVectorData.SynonymTexts(20, 4).Concat(StudentData.Exclusive(20, 5)))
        {
            Assert.Equal(
                outcome.Model.Score(example.Text).Select(BitConverter.SingleToInt32Bits),
                loaded.Score(example.Text).Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void DamagedOrMissingWordOrderFilesAreNamedErrors()
    {
        var options = StudentData.SmallOptions(1) with { WordOrderFilters = 4 };
        var outcome = StudentTrainer.Train(StudentData.Exclusive(60, 1), null, options, NullOutputWriter.Instance, default, StudentVectorData.Table());
        var folder = _dir.File("student");
        StudentFolder.Write(outcome, options, folder, force: false);
        var card = ModelCard.Read(folder);
        var weights = Path.Combine(folder, WordOrderPart.WeightsFileName);
        var vectors = Path.Combine(folder, WordOrderPart.VectorsFileName);
        var original = File.ReadAllBytes(weights);

        var bytes = original.ToArray();
        bytes[^40] ^= 0x10;
        File.WriteAllBytes(weights, bytes);
        Assert.Equal("ModelFileChanged", Assert.Throws<UptrainException>(() => StudentFolder.Load(folder, NullOutputWriter.Instance)).ErrorId);
        var damaged = Assert.Throws<UptrainException>(() => StudentFolder.Load(card, NullOutputWriter.Instance, verify: false));
        Assert.Equal("InvalidStudentWeights", damaged.ErrorId);
        Assert.Contains(weights, damaged.Message, StringComparison.Ordinal);

        File.WriteAllBytes(weights, original[..^10]);
        Assert.Equal("InvalidStudentWeights", Assert.Throws<UptrainException>(() => StudentFolder.Load(card, NullOutputWriter.Instance, verify: false)).ErrorId);

        File.WriteAllBytes(weights, original);
        File.Delete(vectors);
        var missing = Assert.Throws<UptrainException>(() => StudentFolder.Load(card, NullOutputWriter.Instance, verify: false));
        Assert.Equal("ModelNotFound", missing.ErrorId);
        Assert.Contains(WordOrderPart.VectorsFileName, missing.Message, StringComparison.Ordinal);

        // A table of other word pieces than the student's own token vectors.
        var table = StudentVectorData.Table();
        var other = new TokenVectors([.. table.Vocabulary.Select(v => v + "x")], table.LowerCase, outcome.Model.WordOrder!.Dimension, table.Scales, table.Values[..(table.Count * outcome.Model.WordOrder.Dimension)], "other");
        other.Write(vectors);
        var mismatch = Assert.Throws<UptrainException>(() => StudentFolder.Load(card, NullOutputWriter.Instance, verify: false));
        Assert.Equal("InvalidStudentWeights", mismatch.ErrorId);
        Assert.Contains(vectors, mismatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStopBeforeTheWordOrderPartFinishesAnEpochKeepsTheNgramStudent()
    {
        using var stop = new CancellationTokenSource();
        var output = new StoppingWriter(stop, Messages.WordOrderTrainingStart[..20]);
        var train = StudentData.Exclusive(200, 1);

        var outcome = StudentTrainer.Train(train, null, StudentData.SmallOptions(3), output, stop.Token, StudentVectorData.Table());

        Assert.True(outcome.Stopped);
        Assert.False(outcome.Model.HasWordOrder);
        Assert.Equal(0, outcome.WordOrderEpoch);
        Assert.Equal(3, outcome.History.Count);
        Assert.Contains(output.Lines, l => l == Messages.WordOrderNotTrained);
        Assert.True(StudentData.Accuracy(outcome.Model, StudentData.Exclusive(100, 2)) > 0.95);
    }

    [Fact]
    public void AStopAfterAWordOrderEpochKeepsThatEpoch()
    {
        using var stop = new CancellationTokenSource();
        var output = new StoppingWriter(stop, Messages.WordOrderTrainingStart[..20], thenOn: "epoch 1/");

        var outcome = StudentTrainer.Train(StudentData.Exclusive(200, 1), null, StudentData.SmallOptions(3), output, stop.Token, StudentVectorData.Table());

        Assert.True(outcome.Stopped);
        Assert.True(outcome.Model.HasWordOrder);
        Assert.Equal(1, outcome.WordOrderEpoch);
    }

    [Fact]
    public void TheFirstComponentsAreTheTablesFirstColumns()
    {
        var table = StudentVectorData.Table();
        var first = WordOrderPart.FirstComponents(table, 3);
        var full = new float[table.Dimension];
        var cut = new float[3];
        Assert.Equal(3, first.Dimension);
        Assert.Equal(table.Vocabulary, first.Vocabulary);
        for (var id = 0; id < table.Count; id++)
        {
            table.Row(id, full);
            first.Row(id, cut);
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(full[i], cut[i], 0.01f);
            }
        }

        Assert.Equal(table.Dimension, WordOrderPart.FirstComponents(table, 1000).Dimension);
    }

    /// <summary>"alpha beta" (label alpha) or "beta alpha" (label beta), in noise words, the same bag of words either way.</summary>
    private static List<StudentExample> OrderTexts(int count, int seed)
    {
        var random = new Random(seed);
        var examples = new List<StudentExample>(count);
        for (var i = 0; i < count; i++)
        {
            var first = i % 2 == 0;
            var words = Enumerable.Range(0, 6).Select(_ => "noise").ToList();
            words.Insert(random.Next(words.Count + 1), first ? "alpha beta" : "beta alpha");
            examples.Add(new StudentExample(string.Join(' ', words), new Dictionary<string, double> { ["alpha"] = first ? 1 : 0, ["beta"] = first ? 0 : 1 }));
        }

        return examples;
    }

    private static float[] Weights(WordOrderPart part) => [.. part.Network.Parameters().SelectMany(p => p)];

    /// <summary>Cancels <paramref name="stop"/> at the first verbose line that starts with <paramref name="on"/> (and, with <paramref name="thenOn"/>, contains that after it).</summary>
    private sealed class StoppingWriter(CancellationTokenSource stop, string on, string? thenOn = null) : IOutputWriter
    {
        private bool _armed;

        public List<string> Lines { get; } = [];

        public void WriteVerbose(string message)
        {
            Lines.Add(message);
            if (message.StartsWith(on, StringComparison.Ordinal))
            {
                _armed = true;
                if (thenOn is null)
                {
                    stop.Cancel();
                }
            }
            else if (_armed && thenOn is not null && message.Contains(thenOn, StringComparison.Ordinal))
            {
                stop.Cancel();
            }
        }

        public void WriteWarning(string message) => Lines.Add(message);

        public void WriteProgress(ProgressInfo progress)
        {
        }

        public void WriteError(RecordError error)
        {
        }
    }
}
