using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TorchSharp;
using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Student;
using Uptrain.Text;
using static TorchSharp.torch;

namespace Uptrain.Bench;

/// <summary>
/// A prototype, not a student kind: does word order close the gap a bag of features leaves to the teacher (issue 18)?
/// "student-cnn &lt;corpus folder&gt; &lt;teacher folder&gt; &lt;pool size&gt; &lt;seeds&gt; [filters] [epochs] [dimensions]" trains, in
/// TorchSharp, a narrow CNN over the teacher's frozen token vectors (token-vectors.bin, the word pieces of its vocab.txt,
/// at most 128 a text as the teacher reads them; [dimensions] keeps the table's first principal components): convolutions of widths 2, 3 and 4 with [filters] filters each, ReLU,
/// max over the text, dropout 0.2, one linear layer; Adam at 1e-3, batches of 32, the soft-target cross-entropy of the
/// student on train.jsonl + the first pool texts with the teacher's scores, the epoch kept on eval.jsonl. It also trains
/// the default n-gram student on the same texts, and prints per seed the test accuracy of the CNN, of the student, and
/// of the mean of their probabilities. Exclusive corpora only.
/// </summary>
internal static class StudentCnnBench
{
    private const int MaxPieces = 128;
    private const int BatchSize = 32;

    public static int Run(string[] args)
    {
        var corpus = args[1];
        var teacher = args[2];
        var poolSize = int.Parse(args[3], CultureInfo.InvariantCulture);
        var seeds = args[4].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var filters = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 100;
        var epochs = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 10;
        var dimensions = args.Length > 7 ? int.Parse(args[7], CultureInfo.InvariantCulture) : 0;
        torch.set_num_threads(Environment.ProcessorCount);

        var gold = ReadRaw(Path.Combine(corpus, "train.jsonl"), "cats");
        var labels = gold[0].Values.Keys.ToArray();
        var train = gold.Concat(ReadRaw(Path.Combine(corpus, "pool.teacher.jsonl"), "scores").Take(poolSize)).ToList();
        var eval = ReadRaw(Path.Combine(corpus, "eval.jsonl"), "cats");
        var test = ReadRaw(Path.Combine(corpus, "test.jsonl"), "cats");
        var tokenizer = WordPieceTokenizer.FromFolder(teacher);
        var vectors = TokenVectors.Read(Path.Combine(teacher, TokenVectors.FileName));
        var table = new float[vectors.Count * vectors.Dimension];
        for (var id = 0; id < vectors.Count; id++)
        {
            vectors.Row(id, table.AsSpan(id * vectors.Dimension, vectors.Dimension));
        }

        // The table's columns are principal components in order of variance: the first d are its PCA to d dimensions.
        var width = dimensions > 0 ? Math.Min(dimensions, vectors.Dimension) : vectors.Dimension;
        using var full = tensor(table, [vectors.Count, vectors.Dimension]);
        using var embedding = full.narrow(1, 0, width).contiguous();
        int[][] Pieces(List<(string Text, Dictionary<string, double> Values, bool IsGold)> set) =>
            [.. set.Select(e => tokenizer.Encode(e.Text, MaxPieces).Where(id => id != tokenizer.ClsId && id != tokenizer.SepId).DefaultIfEmpty(tokenizer.PadId).ToArray())];
        float[] Targets(List<(string Text, Dictionary<string, double> Values, bool IsGold)> set) =>
            [.. set.SelectMany(e => labels.Select(l => (float)e.Values.GetValueOrDefault(l)))];
        var trainPieces = Pieces(train);
        var trainTargets = Targets(train);
        var evalPieces = Pieces(eval);
        var testPieces = Pieces(test);
        int Gold(Dictionary<string, double> cats) => Array.IndexOf(labels, cats.MaxBy(c => c.Value).Key);
        var evalGold = eval.Select(e => Gold(e.Values)).ToArray();
        var testGold = test.Select(e => Gold(e.Values)).ToArray();

        foreach (var seed in seeds)
        {
            torch.manual_seed(seed);
            var watch = Stopwatch.StartNew();
            using var model = new TextCnn(width, filters, labels.Length);
            using var optimizer = optim.Adam(model.parameters(), 1e-3);
            var random = new Random(seed);
            var order = Enumerable.Range(0, trainPieces.Length).ToArray();
            var bestEval = -1.0;
            float[][]? bestTest = null;
            for (var epoch = 1; epoch <= epochs; epoch++)
            {
                model.train();
                random.Shuffle(order);
                for (var start = 0; start < order.Length; start += BatchSize)
                {
                    using var scope = NewDisposeScope();
                    var batch = order.AsSpan(start, Math.Min(BatchSize, order.Length - start)).ToArray();
                    var input = Batch(batch.Select(i => trainPieces[i]).ToArray(), embedding, tokenizer.PadId);
                    var target = tensor(batch.SelectMany(i => trainTargets.AsSpan(i * labels.Length, labels.Length).ToArray()).ToArray(), [batch.Length, labels.Length]);
                    var loss = -(target * nn.functional.log_softmax(model.forward(input), 1)).sum(1).mean();
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                }

                var evalProbabilities = Probabilities(model, evalPieces, embedding, tokenizer.PadId);
                var evalAccuracy = Accuracy(evalProbabilities, evalGold);
                if (evalAccuracy > bestEval)
                {
                    bestEval = evalAccuracy;
                    bestTest = Probabilities(model, testPieces, embedding, tokenizer.PadId);
                }
            }

            var cnnSeconds = watch.Elapsed.TotalSeconds;
            var (studentTest, mean) = StudentAndMean(train, eval, test, labels, seed, exclusive: true, vectors, bestTest!);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(corpus)}\t{poolSize}\tseed {seed}\tcnn {Accuracy(bestTest!, testGold):0.0000}\tstudent {Accuracy(studentTest, testGold):0.0000}\tmean {Accuracy(mean, testGold):0.0000}\tcnn {cnnSeconds:0} s"));
        }

        return 0;
    }

    /// <summary>
    /// "student-cnn-speed &lt;corpus folder&gt; &lt;teacher folder&gt; &lt;filters&gt; &lt;dimensions&gt;": the forward pass of such a CNN
    /// in plain C# (float table of the first d components, each window a contiguous dot product, ReLU, max, the linear
    /// layer), random weights, over the corpus's first 5,000 pool texts tokenized as the teacher does, on one thread and on
    /// all: texts/s and the mean word pieces. Tokenizing is outside the timing, as the n-gram student's featurizing is not.
    /// </summary>
    public static int Speed(string[] args)
    {
        var corpus = args[1];
        var teacher = args[2];
        var filters = int.Parse(args[3], CultureInfo.InvariantCulture);
        var dimensions = int.Parse(args[4], CultureInfo.InvariantCulture);
        var tokenizer = WordPieceTokenizer.FromFolder(teacher);
        var vectors = TokenVectors.Read(Path.Combine(teacher, TokenVectors.FileName));
        var table = FirstComponents(vectors, dimensions);

        var texts = ReadRaw(Path.Combine(corpus, "pool.teacher.jsonl"), "scores").Take(5000).Select(e => e.Text).ToArray();
        var pieces = texts.Select(t => tokenizer.Encode(t, MaxPieces).Where(id => id != tokenizer.ClsId && id != tokenizer.SepId).ToArray()).ToArray();
        var random = new Random(1);
        int[] widths = [2, 3, 4];
        var weights = widths.Select(k => Enumerable.Range(0, filters * k * dimensions).Select(_ => (random.NextSingle() - 0.5f) * 0.1f).ToArray()).ToArray();
        var output = Enumerable.Range(0, 3 * filters * 10).Select(_ => random.NextSingle() - 0.5f).ToArray();
        float Forward(int[] ids, float[] gathered, float[] pooled, float[] logits)
        {
            for (var i = 0; i < ids.Length; i++)
            {
                table.AsSpan(ids[i] * dimensions, dimensions).CopyTo(gathered.AsSpan(i * dimensions));
            }

            for (var w = 0; w < widths.Length; w++)
            {
                var k = widths[w];
                var span = k * dimensions;
                for (var f = 0; f < filters; f++)
                {
                    var filter = weights[w].AsSpan(f * span, span);
                    var best = 0f;
                    for (var p = 0; p + k <= ids.Length; p++)
                    {
                        best = Math.Max(best, System.Numerics.Tensors.TensorPrimitives.Dot(filter, gathered.AsSpan(p * dimensions, span)));
                    }

                    pooled[(w * filters) + f] = best;
                }
            }

            for (var l = 0; l < 10; l++)
            {
                logits[l] = System.Numerics.Tensors.TensorPrimitives.Dot(output.AsSpan(l * pooled.Length, pooled.Length), pooled);
            }

            return logits[0];
        }

        foreach (var threads in new[] { 1, Environment.ProcessorCount })
        {
            for (var round = 0; round < 2; round++)
            {
                var watch = Stopwatch.StartNew();
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
                {
                    var gathered = new float[MaxPieces * dimensions];
                    var pooled = new float[3 * filters];
                    var logits = new float[10];
                    for (var i = t; i < pieces.Length; i += threads)
                    {
                        Forward(pieces[i], gathered, pooled, logits);
                    }
                });
                if (round == 1)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{Path.GetFileName(corpus)}\tF={filters} d={dimensions}\t{threads} threads\t{pieces.Average(p => p.Length):0.0} pieces\t{pieces.Length / watch.Elapsed.TotalSeconds:0} texts/s"));
                }
            }
        }

        return 0;
    }

    /// <summary>
    /// "student-cnn-plain &lt;corpus folder&gt; &lt;teacher folder&gt; &lt;pool size&gt; &lt;seeds&gt; &lt;filters&gt; &lt;epochs&gt; &lt;dimensions&gt;":
    /// the same CNN trained in plain C# (the engine's <see cref="ConvolutionNetwork"/> and <see cref="ConvolutionAdam"/>,
    /// one thread, no dropout), the epoch kept on eval.jsonl; prints the test accuracy of the CNN, of the default student,
    /// and of the mean of their probabilities, as "student-cnn" does.
    /// </summary>
    public static int Plain(string[] args)
    {
        var corpus = args[1];
        var teacher = args[2];
        var poolSize = int.Parse(args[3], CultureInfo.InvariantCulture);
        var seeds = args[4].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var filters = int.Parse(args[5], CultureInfo.InvariantCulture);
        var epochs = int.Parse(args[6], CultureInfo.InvariantCulture);
        var dimensions = int.Parse(args[7], CultureInfo.InvariantCulture);
        var gold = ReadRaw(Path.Combine(corpus, "train.jsonl"), "cats");
        var labels = gold[0].Values.Keys.ToArray();
        var train = gold.Concat(ReadRaw(Path.Combine(corpus, "pool.teacher.jsonl"), "scores").Take(poolSize)).ToList();
        var eval = ReadRaw(Path.Combine(corpus, "eval.jsonl"), "cats");
        var test = ReadRaw(Path.Combine(corpus, "test.jsonl"), "cats");
        var tokenizer = WordPieceTokenizer.FromFolder(teacher);
        var vectors = TokenVectors.Read(Path.Combine(teacher, TokenVectors.FileName));
        var table = FirstComponents(vectors, dimensions);

        float[][] Inputs(List<(string Text, Dictionary<string, double> Values, bool IsGold)> set) => [.. set.Select(e =>
        {
            var ids = tokenizer.Encode(e.Text, MaxPieces).Where(id => id != tokenizer.ClsId && id != tokenizer.SepId).ToArray();
            var input = new float[Math.Max(ids.Length, ConvolutionNetwork.MaxWidth) * dimensions];
            for (var i = 0; i < ids.Length; i++)
            {
                table.AsSpan(ids[i] * dimensions, dimensions).CopyTo(input.AsSpan(i * dimensions));
            }

            return input;
        })];
        var trainInputs = Inputs(train);
        var evalInputs = Inputs(eval);
        var testInputs = Inputs(test);
        // Exclusive when every gold text has one positive label: softmax and accuracy; else sigmoids and macro AUC.
        var exclusive = gold.All(e => e.Values.Count(v => v.Value > 0.5) == 1);
        double Metric(float[][] probabilities, List<(string Text, Dictionary<string, double> Values, bool IsGold)> set)
        {
            var accumulator = new Uptrain.Metrics.TextcatScoreAccumulator(new Uptrain.Metrics.TextcatScorerOptions { Labels = labels, Exclusive = exclusive });
            for (var i = 0; i < set.Count; i++)
            {
                accumulator.Add(new Uptrain.Metrics.ScoredItem(set[i].Values, labels.Select((l, k) => (l, k)).ToDictionary(x => x.l, x => (double)probabilities[i][x.k])));
            }

            var score = accumulator.Finish();
            return exclusive ? score.Accuracy ?? double.NaN : score.MacroAuc;
        }
        float[][] Score(ConvolutionNetwork network, float[][] inputs)
        {
            var buffers = new ConvolutionBuffers();
            return [.. inputs.Select(input =>
            {
                network.Forward(input, input.Length / dimensions, buffers);
                var probabilities = new float[labels.Length];
                StudentLoss.Probabilities(buffers.Logits.AsSpan(0, labels.Length), probabilities, exclusive);
                return probabilities;
            })];
        }

        foreach (var seed in seeds)
        {
            var watch = Stopwatch.StartNew();
            var network = new ConvolutionNetwork(labels.Length, filters, dimensions);
            network.Initialise(new Random(seed));
            var adam = new ConvolutionAdam(network, 1e-3);
            var gradients = new ConvolutionGradients(network);
            var buffers = new ConvolutionBuffers();
            var logitGradient = new float[labels.Length];
            var targets = new float[labels.Length];
            var random = new Random(seed);
            var order = Enumerable.Range(0, trainInputs.Length).ToArray();
            var bestEval = -1.0;
            float[][]? bestTest = null;
            for (var epoch = 1; epoch <= epochs; epoch++)
            {
                random.Shuffle(order);
                for (var start = 0; start < order.Length; start += BatchSize)
                {
                    gradients.Clear();
                    var end = Math.Min(start + BatchSize, order.Length);
                    for (var b = start; b < end; b++)
                    {
                        var i = order[b];
                        network.Forward(trainInputs[i], trainInputs[i].Length / dimensions, buffers);
                        for (var l = 0; l < labels.Length; l++)
                        {
                            targets[l] = (float)train[i].Values.GetValueOrDefault(labels[l]);
                        }

                        StudentLoss.Gradient(buffers.Logits.AsSpan(0, labels.Length), targets, 1f / (end - start), exclusive, logitGradient);
                        network.Backward(trainInputs[i], logitGradient, buffers, gradients);
                    }

                    adam.Step(gradients);
                }

                var evalAccuracy = Metric(Score(network, evalInputs), eval);
                if (evalAccuracy > bestEval)
                {
                    bestEval = evalAccuracy;
                    bestTest = Score(network, testInputs);
                }
            }

            var cnnSeconds = watch.Elapsed.TotalSeconds;
            var (studentTest, mean) = StudentAndMean(train, eval, test, labels, seed, exclusive, vectors, bestTest!);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(corpus)}\t{poolSize}\tseed {seed}\t{(exclusive ? "accuracy" : "macro AUC")}: plain cnn {Metric(bestTest!, test):0.0000}\tstudent {Metric(studentTest, test):0.0000}\tmean {Metric(mean, test):0.0000}\tcnn {cnnSeconds:0} s"));
        }

        return 0;
    }

    /// <summary>The first <paramref name="dimensions"/> columns of the table (its leading principal components), as floats.</summary>
    private static float[] FirstComponents(TokenVectors vectors, int dimensions)
    {
        var row = new float[vectors.Dimension];
        var table = new float[vectors.Count * dimensions];
        for (var id = 0; id < vectors.Count; id++)
        {
            vectors.Row(id, row);
            row.AsSpan(0, dimensions).CopyTo(table.AsSpan(id * dimensions, dimensions));
        }

        return table;
    }

    /// <summary>The default student on the same texts and seed: its test probabilities, and their mean with the CNN's.</summary>
    private static (float[][] Student, float[][] Mean) StudentAndMean(
        List<(string Text, Dictionary<string, double> Values, bool IsGold)> train,
        List<(string Text, Dictionary<string, double> Values, bool IsGold)> eval,
        List<(string Text, Dictionary<string, double> Values, bool IsGold)> test,
        string[] labels,
        int seed,
        bool exclusive,
        TokenVectors vectors,
        float[][] cnn)
    {
        var student = StudentTrainer.Train(
            [.. train.Select(e => e.IsGold ? new StudentExample(e.Text, e.Values) : new StudentExample(e.Text, Scores: e.Values))],
            [.. eval.Select(e => new StudentExample(e.Text, e.Values))],
            // The n-gram student alone: the engine's default now adds a word-order part of its own.
            new StudentTrainingOptions { Seed = seed, Threads = 1, Labels = labels, Exclusive = exclusive, WordOrderFilters = 0 },
            NullOutputWriter.Instance,
            default,
            vectors).Model;
        var scores = test.Select(e => student.Score(e.Text)).ToArray();
        return (scores, [.. cnn.Zip(scores, (a, b) => a.Zip(b, (x, y) => (x + y) / 2).ToArray())]);
    }

    private static Tensor Batch(int[][] pieces, Tensor embedding, int padId)
    {
        var width = Math.Max(4, pieces.Max(p => p.Length));
        var ids = new long[pieces.Length * width];
        Array.Fill(ids, padId);
        for (var i = 0; i < pieces.Length; i++)
        {
            for (var j = 0; j < pieces[i].Length; j++)
            {
                ids[(i * width) + j] = pieces[i][j];
            }
        }

        // [batch, width] ids → [batch, dimension, width] for the convolutions.
        return embedding.index_select(0, tensor(ids)).reshape(pieces.Length, width, -1).transpose(1, 2);
    }

    private static float[][] Probabilities(TextCnn model, int[][] pieces, Tensor embedding, int padId)
    {
        model.eval();
        using var noGrad = no_grad();
        var result = new List<float[]>();
        for (var start = 0; start < pieces.Length; start += 128)
        {
            using var scope = NewDisposeScope();
            var batch = pieces.AsSpan(start, Math.Min(128, pieces.Length - start)).ToArray();
            var probabilities = nn.functional.softmax(model.forward(Batch(batch, embedding, padId)), 1);
            var values = probabilities.data<float>().ToArray();
            var labels = (int)probabilities.shape[1];
            for (var i = 0; i < batch.Length; i++)
            {
                result.Add(values.AsSpan(i * labels, labels).ToArray());
            }
        }

        return [.. result];
    }

    private static double Accuracy(float[][] probabilities, int[] gold) =>
        probabilities.Select((p, i) => Array.IndexOf(p, p.Max()) == gold[i] ? 1.0 : 0.0).Average();

    private static List<(string Text, Dictionary<string, double> Values, bool IsGold)> ReadRaw(string path, string field) => [.. File.ReadLines(path).Where(l => l.Length > 0).Select(line =>
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        return (root.GetProperty("text").GetString()!, root.GetProperty(field).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal), field == "cats");
    })];

    /// <summary>Convolutions of widths 2, 3 and 4 over the frozen vectors, max over the text, dropout, a linear layer.</summary>
    private sealed class TextCnn : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> conv2;
        private readonly nn.Module<Tensor, Tensor> conv3;
        private readonly nn.Module<Tensor, Tensor> conv4;
        private readonly nn.Module<Tensor, Tensor> dropout;
        private readonly nn.Module<Tensor, Tensor> output;

        public TextCnn(int dimension, int filters, int labels)
            : base(nameof(TextCnn))
        {
            conv2 = nn.Conv1d(dimension, filters, 2);
            conv3 = nn.Conv1d(dimension, filters, 3);
            conv4 = nn.Conv1d(dimension, filters, 4);
            dropout = nn.Dropout(0.2);
            output = nn.Linear(3 * filters, labels);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            // input [batch, dimension, width] → each convolution [batch, filters, width - k + 1] → max → [batch, filters].
            var pooled = cat(
                [
                    nn.functional.relu(conv2.forward(input)).amax(2),
                    nn.functional.relu(conv3.forward(input)).amax(2),
                    nn.functional.relu(conv4.forward(input)).amax(2),
                ],
                1);
            return output.forward(dropout.forward(pooled));
        }
    }
}
