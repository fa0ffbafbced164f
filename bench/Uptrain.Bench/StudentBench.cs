using System.Diagnostics;
using System.Globalization;
using Uptrain.Diagnostics;
using Uptrain.Student;

namespace Uptrain.Bench;

/// <summary>
/// The student's speed and size (issue 9), one measurement per process:
/// "student-score short|long", "student-train", "student-size [folder]", each with the pool file last.
/// Prints one tab-separated line: measurement, mean words per text, value, unit, the value by the process's CPU time
/// (texts per CPU second; CPU seconds for training; the quantized size for "student-size"), peak working set (MB),
/// process seconds. The machine is shared, so the CPU-time figure says what the code does when it gets a core.
/// </summary>
/// <remarks>
/// The examples mirror tests/Uptrain.Engine.Tests/Student/StudentData: a generated 10-class task, each text a pool
/// message (one for "short", about 17 words; six joined for "long", about 100) with two words of its class added at
/// random places, the class cycling over the examples.
/// </remarks>
internal static class StudentBench
{
    private const int Classes = 10;

    public static int Run(string[] args, string[] pool)
    {
        var mode = args[0];
        var watch = Stopwatch.StartNew();
        (string Name, double Words, double Value, string Unit, double ByCpu) result = mode switch
        {
            "student-score" => Score(args[1], pool),
            "student-train" => Train(pool),
            "student-size" when args.Length > 2 => SizeOnData(args[1]),
            "student-size" => Size(pool),
            _ => (string.Empty, 0, 0, string.Empty, 0),
        };
        if (result.Name.Length == 0)
        {
            Console.Error.WriteLine($"unknown mode {mode}");
            return 2;
        }

        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine(string.Join('\t',
            result.Name,
            result.Words.ToString("0.0", CultureInfo.InvariantCulture),
            result.Value.ToString("0.0", CultureInfo.InvariantCulture),
            result.Unit,
            result.ByCpu.ToString("0.0", CultureInfo.InvariantCulture),
            peak.ToString("0", CultureInfo.InvariantCulture),
            watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)));
        return 0;
    }

    /// <summary>Texts/s of <see cref="StudentModel.Score(string, Span{float})"/> on one thread, for a student with the default settings.</summary>
    private static (string, double, double, string, double) Score(string length, string[] pool)
    {
        var perText = length == "long" ? 6 : 1;
        var outcome = StudentTrainer.Train(Examples(pool, 5000, perText, seed: 1), null, Options(epochs: 2, threads: 0), NullOutputWriter.Instance);
        var texts = Examples(pool, 5000, perText, seed: 2).Select(e => e.Text).ToArray();
        var model = outcome.Model;
        var probabilities = new float[Classes];
        foreach (var text in texts.Take(1000))
        {
            model.Score(text, probabilities);
        }

        var count = length == "long" ? 100_000 : 300_000;
        var cpu = CpuSeconds();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            model.Score(texts[i % texts.Length], probabilities);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        return ($"student-score {length}", MeanWords(texts), count / seconds, "texts/s", count / (CpuSeconds() - cpu));
    }

    /// <summary>Seconds of <see cref="StudentTrainer.Train"/>: 100,000 short examples, 5 epochs, all cores, 1,000 eval examples.</summary>
    private static (string, double, double, string, double) Train(string[] pool)
    {
        var train = Examples(pool, 100_000, 1, seed: 1);
        var eval = Examples(pool, 1000, 1, seed: 2);
        var cpu = CpuSeconds();
        var outcome = StudentTrainer.Train(train, eval, Options(epochs: 5, threads: 0), NullOutputWriter.Instance);
        cpu = CpuSeconds() - cpu;
        Console.Error.WriteLine($"student-train: kept epoch {outcome.BestEpoch}, eval Score {outcome.BestScore.Score:0.000}, {outcome.Model.StoredRows} stored rows");
        return ("student-train 100000x5", MeanWords(train.Select(e => e.Text)), outcome.Duration.TotalSeconds, "s", cpu);
    }

    /// <summary>
    /// The weights file of a default student trained on 10,000 texts, written plain and with -Quantize; the accuracy of
    /// both on 2,000 held-out generated texts goes to stderr.
    /// </summary>
    private static (string, double, double, string, double) Size(string[] pool)
    {
        var train = Examples(pool, 10_000, 1, seed: 1);
        var test = Examples(pool, 2000, 1, seed: 3);
        var options = Options(epochs: StudentTrainingOptions.DefaultEpochs, threads: 0);
        var outcome = StudentTrainer.Train(train, Examples(pool, 1000, 1, seed: 2), options, NullOutputWriter.Instance);
        var folder = Path.Combine(Path.GetTempPath(), "uptrain-bench-student-" + Environment.ProcessId);
        var sizes = new List<double>();
        foreach (var quantize in new[] { false, true })
        {
            StudentFolder.Write(outcome, options, folder, force: true, quantize: quantize);
            var bytes = new FileInfo(Path.Combine(folder, StudentWeightsFile.FileName)).Length;
            var loaded = StudentFolder.Load(folder, NullOutputWriter.Instance);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"student-size quantize={quantize}: {bytes} bytes, {loaded.StoredRows} stored rows of {options.Buckets}, held-out accuracy {Accuracy(loaded, test):0.0000}"));
            sizes.Add(bytes / (1024.0 * 1024.0));
        }

        Directory.Delete(folder, recursive: true);
        return ("student-size 10000 texts", MeanWords(train.Select(e => e.Text)), sizes[0], "MB", sizes[1]);
    }

    /// <summary>
    /// As <see cref="Size"/> on real data: a folder with train.jsonl (all of it trained on, default settings) and
    /// test.jsonl (accuracy of the plain and the quantized student, to stderr), spaCy JSONL, exclusive.
    /// </summary>
    private static (string, double, double, string, double) SizeOnData(string folder)
    {
        var train = ReadJsonl(Path.Combine(folder, "train.jsonl"));
        var test = ReadJsonl(Path.Combine(folder, "test.jsonl"));
        var options = Options(epochs: StudentTrainingOptions.DefaultEpochs, threads: 0);
        var outcome = StudentTrainer.Train(train, null, options, NullOutputWriter.Instance);
        var output = Path.Combine(Path.GetTempPath(), "uptrain-bench-student-" + Environment.ProcessId);
        var sizes = new List<double>();
        foreach (var quantize in new[] { false, true })
        {
            StudentFolder.Write(outcome, options, output, force: true, quantize: quantize);
            var bytes = new FileInfo(Path.Combine(output, StudentWeightsFile.FileName)).Length;
            var loaded = StudentFolder.Load(output, NullOutputWriter.Instance);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"student-size {folder} quantize={quantize}: {bytes} bytes, {loaded.StoredRows} stored rows of {options.Buckets}, test accuracy {Accuracy(loaded, test):0.0000} ({test.Count} texts)"));
            sizes.Add(bytes / (1024.0 * 1024.0));
        }

        Directory.Delete(output, recursive: true);
        return ($"student-size {train.Count} texts of {Path.GetFileName(Path.TrimEndingDirectorySeparator(folder))}", MeanWords(train.Select(e => e.Text)), sizes[0], "MB", sizes[1]);
    }

    private static List<StudentExample> ReadJsonl(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(line =>
        {
            using var document = System.Text.Json.JsonDocument.Parse(line);
            var root = document.RootElement;
            var cats = root.GetProperty("cats").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetDouble());
            return new StudentExample(root.GetProperty("text").GetString() ?? string.Empty, cats);
        }).ToList();

    private static double CpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static StudentTrainingOptions Options(int epochs, int threads) => new()
    {
        Epochs = epochs,
        Threads = threads,
        Patience = epochs,
        Seed = 1,
    };

    /// <summary>Generated 10-class examples on pool texts: two class words ("classNwK") at random places.</summary>
    private static List<StudentExample> Examples(string[] pool, int count, int perText, int seed)
    {
        var random = new Random(seed);
        var examples = new List<StudentExample>(count);
        for (var i = 0; i < count; i++)
        {
            var label = i % Classes;
            var words = Enumerable.Range(0, perText)
                .SelectMany(_ => pool[random.Next(pool.Length)].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .ToList();
            for (var k = 0; k < 2; k++)
            {
                words.Insert(random.Next(words.Count + 1), string.Create(CultureInfo.InvariantCulture, $"class{label}w{random.Next(5)}"));
            }

            var cats = Enumerable.Range(0, Classes).ToDictionary(c => Label(c), c => c == label ? 1.0 : 0.0);
            examples.Add(new StudentExample(string.Join(' ', words), cats));
        }

        return examples;
    }

    private static string Label(int c) => string.Create(CultureInfo.InvariantCulture, $"class{c}");

    private static double MeanWords(IEnumerable<string> texts) =>
        texts.Average(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);

    private static double Accuracy(StudentModel model, List<StudentExample> examples) =>
        examples.Count(e => model.ScoreLabels(e.Text).MaxBy(s => s.Value).Key == e.Cats!.MaxBy(c => c.Value).Key)
        / (double)examples.Count;
}
