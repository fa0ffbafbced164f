using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using Uptrain.Data;
using Uptrain.Diagnostics;
using Uptrain.Teacher;
using Uptrain.Text;

namespace Uptrain.Bench;

/// <summary>
/// The teacher's training speed by lever (issue 11), one measurement per process: "teacher-train questions|sentences
/// &lt;lever&gt; &lt;pool.txt&gt;". A run of 480 examples (30 steps of 16 an epoch) for 2 epochs, evaluated on 64; the rate is
/// the trainer's own examples/s averaged over the epochs (training steps only). Prints one tab-separated line: measurement,
/// mean word pieces, examples/s, peak working set (MB), process seconds, eval score.
/// </summary>
/// <remarks>
/// "questions" are the first nine words of each pool message with a question mark (about 13 word pieces with [CLS] and
/// [SEP]); "sentences" are whole messages (about 27). Levers: "before" (float32, TorchSharp's AdamW, libtorch's dropout:
/// the trainer as it was), "hashed-dropout", "fused-adamw" and "bfloat16" (each alone on top of "before"), "all" (the
/// defaults), "all-1-thread".
/// </remarks>
internal static class TeacherTrainingBench
{
    private const int TrainCount = 480;
    private const int EvalCount = 64;

    public static int Run(string[] args) => args[0] == "teacher-accuracy" ? Accuracy(args) : Speed(args, File.ReadAllLines(args[^1]).Where(l => l.Length > 0).ToArray());

    /// <summary>
    /// "teacher-accuracy &lt;lever&gt; &lt;seed&gt; &lt;train.jsonl&gt; &lt;eval.jsonl&gt; &lt;epochs&gt;": a teacher with the lever's settings;
    /// prints lever, seed, the kept epoch's eval score and macro F, examples/s averaged over the epochs, seconds, and the
    /// training data's fingerprint (to pair the run with an older teacher card of the same data).
    /// </summary>
    private static int Accuracy(string[] args)
    {
        var watch = Stopwatch.StartNew();
        var lever = args[1];
        var seed = int.Parse(args[2], CultureInfo.InvariantCulture);
        var train = TextcatReader.Read(args[3], new TextcatReadOptions(), NullOutputWriter.Instance).ToList();
        var eval = TextcatReader.Read(args[4], new TextcatReadOptions(), NullOutputWriter.Instance).ToList();
        var output = Path.Combine(Path.GetTempPath(), "uptrain-bench-accuracy-" + Environment.ProcessId);
        var result = TeacherTrainer.Train(train, eval, Options(lever, output) with { Seed = seed, Epochs = int.Parse(args[5], CultureInfo.InvariantCulture) }, NullOutputWriter.Instance, CancellationToken.None);
        Directory.Delete(output, recursive: true);
        var kept = result.History.Single(e => e.Epoch == result.BestEpoch);
        Console.WriteLine(string.Join(
            '\t',
            lever,
            seed.ToString(CultureInfo.InvariantCulture),
            result.BestScore.ToString("0.0000", CultureInfo.InvariantCulture),
            kept.MacroF.ToString("0.0000", CultureInfo.InvariantCulture),
            result.History.Average(e => e.ExamplesPerSecond).ToString("0.0", CultureInfo.InvariantCulture),
            watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),
            result.Card.Data["trainFingerprint"]));
        return 0;
    }

    /// <summary>The trainer's options for <paramref name="lever"/> (see the class remarks).</summary>
    private static TeacherTrainingOptions Options(string lever, string output)
    {
        var before = lever is "before" or "hashed-dropout" or "fused-adamw" or "bfloat16";
        return new TeacherTrainingOptions
        {
            OutputPath = output,
            Force = true,
            Precision = lever == "bfloat16" || !before ? TrainingPrecision.Auto : TrainingPrecision.Float32,
            FusedOptimizer = lever == "fused-adamw" || !before,
            LibTorchDropout = lever != "hashed-dropout" && before,
        };
    }

    /// <summary>16, or for "tokens-N" N word pieces' worth of texts of the mean length.</summary>
    private static int BatchSize(string lever, double pieces) =>
        lever.StartsWith("tokens-", StringComparison.Ordinal)
            ? Math.Max(1, (int)Math.Round(int.Parse(lever["tokens-".Length..], CultureInfo.InvariantCulture) / pieces))
            : TeacherTrainingOptions.DefaultBatchSize;

    private static int Speed(string[] args, string[] pool)
    {
        var watch = Stopwatch.StartNew();
        var length = args[1];
        var lever = args[2];
        var texts = Enumerable.Range(0, TrainCount + EvalCount)
            .Select(i => pool[i % pool.Length])
            .Select(t => length == "questions" ? string.Join(' ', t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(9)).TrimEnd('.', ',', '!', '?') + "?" : t)
            .ToArray();
        string[] labels = ["BILLING", "SHIPPING", "PRODUCT", "ACCOUNT"];
        var examples = texts.Select((t, i) =>
        {
            var e = new TextcatExample(t);
            foreach (var label in labels)
            {
                e.Cats[label] = label == labels[i % labels.Length] ? 1 : 0;
            }

            return e;
        }).ToList();
        var baseModel = TeacherModels.Resolve(null);
        var tokenizer = WordPieceTokenizer.FromFolder(baseModel);
        var pieces = texts.Average(t => tokenizer.Encode(t, 512).Count);
        if (lever == "all-1-thread")
        {
            torch.set_num_threads(1);
        }

        var output = Path.Combine(Path.GetTempPath(), "uptrain-bench-train-" + Environment.ProcessId);
        var result = TeacherTrainer.Train(
            examples.Take(TrainCount).ToList(),
            examples.Skip(TrainCount).ToList(),
            Options(lever, output) with { BaseModel = baseModel, Epochs = 2, BatchSize = BatchSize(lever, pieces) },
            NullOutputWriter.Instance,
            CancellationToken.None);
        Directory.Delete(output, recursive: true);
        var rate = result.History.Average(e => e.ExamplesPerSecond);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine(string.Join(
            '\t',
            $"teacher-train {length} {lever} ({result.Card.Training["precision"]}, batch {result.Card.Training["batchSize"]})",
            pieces.ToString("0.0", CultureInfo.InvariantCulture),
            rate.ToString("0.0", CultureInfo.InvariantCulture),
            peak.ToString("0", CultureInfo.InvariantCulture),
            watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),
            result.BestScore.ToString("0.000", CultureInfo.InvariantCulture)));
        return 0;
    }
}
