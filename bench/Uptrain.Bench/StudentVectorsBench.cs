using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Uptrain.Diagnostics;
using Uptrain.Metrics;
using Uptrain.Models;
using Uptrain.Student;
using Uptrain.Teacher;

namespace Uptrain.Bench;

/// <summary>
/// The student with and without the encoder's token vectors (issue 18), on a corpus of bench/Get-BenchData.ps1 whose
/// pool the teacher has scored (pool.teacher.jsonl: text and scores, one JSON object a line):
/// "distill-vectors &lt;model folder&gt; &lt;table&gt;" writes the token vector table of a teacher or base model folder;
/// "student-vectors &lt;corpus folder&gt; &lt;table|-&gt; &lt;pool size&gt; &lt;seeds&gt; &lt;variant&gt;..." trains a student per
/// variant and seed on train.jsonl + the first pool texts with the teacher's scores (pool size 0: gold only), keeps the
/// epoch on eval.jsonl and prints a tab-separated row per variant: its test Score (mean, min, max over seeds), accuracy,
/// macro AUC, training seconds (means over seeds). A variant is comma-separated settings: "v" (use the table), "e=25" (epochs), "lr=0.3", "sif=1e-3",
/// "h=0" (hidden), "d=64" (dimension), "t=1" (threads), "p=3" (patience), "b=20" (log2 buckets), "q" (8-bit rows, folded), "temp=0.5" (temperature on the teacher's
/// probabilities; "temp=1/0.1": each tried, the better on eval.jsonl kept), "gw=2" (gold weight), "k=1" (the token vector feature's size), "l2=1e-3" (weight decay), "c=0" (no
/// character n-grams), "wn=3" (word n-grams), "mc=2" (min count).
/// </summary>
internal static class StudentVectorsBench
{
    public static int Run(string[] args)
    {
        if (args[0] == "distill-vectors")
        {
            var watch = Stopwatch.StartNew();
            var table = TokenVectorDistiller.FromFolder(args[1], Path.GetFileName(Path.GetFullPath(args[1])), NullOutputWriter.Instance);
            table.Write(args[2]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"distill-vectors\t{table.Count}\t{table.Dimension}\t{watch.Elapsed.TotalSeconds:0.0} s"));
            return 0;
        }

        var corpus = args[1];
        var vectors = args[2] == "-" ? null : TokenVectors.Read(args[2]);
        var poolSize = int.Parse(args[3], CultureInfo.InvariantCulture);
        var seeds = args[4].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var gold = Gold(Path.Combine(corpus, "train.jsonl"));
        var eval = Gold(Path.Combine(corpus, "eval.jsonl"));
        var test = Gold(Path.Combine(corpus, "test.jsonl"));
        var pool = poolSize == 0 ? [] : Silver(Path.Combine(corpus, "pool.teacher.jsonl")).Take(poolSize).ToList();
        var train = gold.Concat(pool).ToList();
        foreach (var variant in args[5..])
        {
            var scores = new List<(double Score, double Accuracy, double Auc, double Seconds)>();
            foreach (var seed in seeds)
            {
                var options = Options(variant, seed, out var useVectors);
                var watch = Stopwatch.StartNew();
                StudentTrainingOutcome outcome;
                try
                {
                    outcome = StudentTrainer.Train(train, eval, options, NullOutputWriter.Instance, default, useVectors ? vectors : null);
                }
                catch (UptrainException ex)
                {
                    Console.Error.WriteLine($"{variant} seed {seed}: {ex.Message}");
                    scores.Add((double.NaN, double.NaN, double.NaN, double.NaN));
                    continue;
                }

                var seconds = watch.Elapsed.TotalSeconds;
                var score = Score(outcome.Model, test);
                if (variant.Contains("mix", StringComparison.Ordinal) && outcome.Model.HasWordOrder)
                {
                    Console.Error.WriteLine($"{variant} seed {seed}: mix (n-gram weight: eval / test accuracy) {Mixes(outcome.Model, eval, test)}");
                }

                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{variant} seed {seed}: temperature {outcome.Temperature} ({string.Join(", ", (outcome.TemperatureScores ?? []).Select(t => $"{t.Temperature}: {t.Score.Score:0.000}"))}); n-gram epoch {outcome.BestEpoch} of {outcome.History.Count}; word-order epoch {outcome.WordOrderEpoch} of {outcome.WordOrderHistory?.Count ?? 0} (eval {string.Join(", ", (outcome.WordOrderHistory ?? []).Select(h => h.EvalScore.ToString("0.000", CultureInfo.InvariantCulture)))}); test {score.Accuracy:0.0000}"));
                scores.Add((score.Score, score.Accuracy ?? double.NaN, score.MacroAuc, seconds));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(corpus)}\t{poolSize}\t{variant}\t{scores.Average(s => s.Score):0.0000}\t{scores.Min(s => s.Score):0.0000}\t{scores.Max(s => s.Score):0.0000}\t{scores.Average(s => s.Accuracy):0.0000}\t{scores.Average(s => s.Auc):0.0000}\t{scores.Average(s => s.Seconds):0.0}"));
        }

        return 0;
    }

    private static StudentTrainingOptions Options(string variant, int seed, out bool useVectors)
    {
        var options = new StudentTrainingOptions { Seed = seed, Threads = 1, Quantize = false };
        useVectors = false;
        foreach (var part in variant.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = part.Contains('=') ? (part[..part.IndexOf('=')], part[(part.IndexOf('=') + 1)..]) : (part, "");
            double Number() => double.Parse(value, CultureInfo.InvariantCulture);
            options = key switch
            {
                "v" => options,
                "mix" => options,
                "ngram" => options,
                "e" => options with { Epochs = (int)Number() },
                "lr" => options with { LearningRate = Number() },
                "sif" => options with { SifCoefficient = Number() },
                "k" => options with { TokenVectorScale = Number() },
                "temp" => options with { Temperatures = [.. value.Split('/').Select(v => double.Parse(v, CultureInfo.InvariantCulture))] },
                "gw" => options with { GoldWeight = Number() },
                "l2" => options with { L2 = Number() },
                "c" => options with { CharNgrams = Number() != 0 },
                "wn" => options with { WordNgrams = (int)Number() },
                "mc" => options with { MinCount = (int)Number() },
                "h" => options with { Hidden = (int)Number() },
                "d" => options with { Dimension = (int)Number() },
                "t" => options with { Threads = (int)Number() },
                "p" => options with { Patience = (int)Number() },
                "b" => options with { Buckets = 1 << (int)Number() },
                "q" => options with { Quantize = true },
                "wo" => options with { WordOrderFilters = (int)Number() },
                "wod" => options with { WordOrderDimension = (int)Number() },
                "wolr" => options with { WordOrderLearningRate = Number() },
                _ => throw new ArgumentException($"unknown setting {part}"),
            };
            useVectors |= key == "v";
        }

        return options;
    }

    /// <summary>Accuracy on eval and test when the two parts' probabilities are mixed with the n-gram part's weight 0 to 1.</summary>
    private static string Mixes(StudentModel model, List<StudentExample> eval, List<StudentExample> test)
    {
        var ngrams = model.WithWordOrder(null);
        string Accuracies(List<StudentExample> examples, double weight)
        {
            var right = 0;
            foreach (var example in examples)
            {
                var alone = ngrams.Score(example.Text);
                var both = model.Score(example.Text);
                var best = -1;
                var bestValue = double.MinValue;
                for (var l = 0; l < both.Length; l++)
                {
                    var mixed = (weight * alone[l]) + ((1 - weight) * ((2 * both[l]) - alone[l]));
                    if (mixed > bestValue)
                    {
                        (best, bestValue) = (l, mixed);
                    }
                }

                right += example.Cats![model.Labels[best]] == 1.0 ? 1 : 0;
            }

            return ((double)right / examples.Count).ToString("0.000", CultureInfo.InvariantCulture);
        }

        return string.Join("; ", new[] { 0.0, 0.25, 0.5, 0.75, 1.0 }.Select(w => $"{w}: {Accuracies(eval, w)} / {Accuracies(test, w)}"));
    }

    private static TextcatScore Score(StudentModel model, List<StudentExample> test)
    {
        var accumulator = new TextcatScoreAccumulator(new TextcatScorerOptions { Labels = [.. model.Labels], Exclusive = model.Exclusive });
        foreach (var example in test)
        {
            accumulator.Add(new ScoredItem(example.Cats!, model.ScoreLabels(example.Text)));
        }

        return accumulator.Finish();
    }

    private static List<StudentExample> Gold(string path) => [.. File.ReadLines(path).Where(l => l.Length > 0).Select(line =>
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var cats = root.GetProperty("cats").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);
        return new StudentExample(root.GetProperty("text").GetString()!, cats);
    })];

    private static IEnumerable<StudentExample> Silver(string path) => File.ReadLines(path).Where(l => l.Length > 0).Select(line =>
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var scores = root.GetProperty("scores").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);
        return new StudentExample(root.GetProperty("text").GetString()!, Scores: scores);
    });
}
