using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using Uptrain;
using Uptrain.Diagnostics;
using Uptrain.Inference;
using Uptrain.Models;
using Uptrain.Teacher;
using Uptrain.Teacher.Onnx;
using Uptrain.Text;
using static TorchSharp.torch;

// One measurement per process: "train <short|long> <dynamic|fixed>", "export <folder>",
// "score-onnx <short|long> <folder>", "score-int8 <short|long> <folder>" (the 8-bit graph), "score-torch <short|long>",
// "compare-int8 <short|long> <folder> [threads]" (both graphs alternated in one process),
// "quantize <folder> <eval.jsonl> <test.jsonl>" (Measure-TeacherQuantization.ps1); the student's modes
// ("student-score <short|long>", "student-train", "student-size") are in StudentBench. Prints one tab-separated line:
// measurement, mean word pieces, items/s, peak working set (MB), seconds.
// Texts come from the bundled sample pool: "short" is one message (about 20 word pieces),
// "long" joins five (about 100).
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Uptrain.Bench train|export|score-onnx|score-int8|score-torch|quantize short|long|<folder> [dynamic|fixed|<folder>] <pool.txt>");
    return 2;
}
var mode = args[0];
if (mode is "distill-vectors" or "student-vectors")
{
    return Uptrain.Bench.StudentVectorsBench.Run(args);
}
if (mode == "student-cnn-plain")
{
    return Uptrain.Bench.StudentCnnBench.Plain(args);
}
if (mode == "student-cnn-speed")
{
    return Uptrain.Bench.StudentCnnBench.Speed(args);
}
if (mode == "student-cnn")
{
    return Uptrain.Bench.StudentCnnBench.Run(args);
}
if (mode == "quantize")
{
    return Uptrain.Bench.QuantizationBench.Run(args);
}
var length = args[1];
var padding = mode == "train" && args.Length > 3 ? args[2] : "dynamic";
if (mode.StartsWith("teacher-", StringComparison.Ordinal))
{
    return Uptrain.Bench.TeacherTrainingBench.Run(args);
}
var poolPath = args[^1];
var pool = File.ReadAllLines(poolPath).Where(l => l.Length > 0).ToArray();
if (mode.StartsWith("student-", StringComparison.Ordinal))
{
    return Uptrain.Bench.StudentBench.Run(args, pool);
}
var perText = length == "long" ? 5 : 1;
string[] Texts(int count) => Enumerable.Range(0, count)
    .Select(i => string.Join(" ", Enumerable.Range(0, perText).Select(j => pool[(i * perText + j) % pool.Length])))
    .ToArray();

var baseModel = TeacherModels.Resolve(null);
var tokenizer = WordPieceTokenizer.FromFolder(baseModel);
double MeanPieces(IEnumerable<string> texts) => texts.Average(t => tokenizer.Encode(t, 512).Count);
string[] labels = ["BILLING", "SHIPPING", "PRODUCT", "ACCOUNT"];
var watch = Stopwatch.StartNew();
double rate;
double pieces;

switch (mode)
{
    case "train":
    {
        // 160 examples = 10 steps of 16; the rate is the trainer's own (training steps only, no eval).
        var texts = Texts(176);
        var examples = texts.Select((t, i) =>
        {
            var e = new TextcatExample(t);
            foreach (var label in labels)
            {
                e.Cats[label] = label == labels[i % 4] ? 1 : 0;
            }
            return e;
        }).ToList();
        pieces = MeanPieces(texts);
        var output = Path.Combine(Path.GetTempPath(), "uptrain-bench-" + Environment.ProcessId);
        var result = TeacherTrainer.Train(
            examples.Take(160).ToList(),
            examples.Skip(160).ToList(),
            new TeacherTrainingOptions
            {
                OutputPath = output,
                BaseModel = baseModel,
                Epochs = 1,
                FixedPadding = padding == "fixed",
                Force = true,
            },
            NullOutputWriter.Instance,
            CancellationToken.None);
        rate = result.History[0].ExamplesPerSecond;
        Directory.Delete(output, recursive: true);
        break;
    }
    case "export":
    {
        // A MiniLM classifier with an untrained head, written as a teacher folder: scoring cost does
        // not depend on the head's values. Its own process, so that score-onnx measures ONNX Runtime alone.
        var folder = args[1];
        Directory.CreateDirectory(folder);
        torch.manual_seed(0);
        using var classifier = new BertClassifier(BertModel.FromPretrained(baseModel), labels.Length);
        classifier.eval();
        var onnx = TeacherOnnxExport.Build(classifier, exclusive: true);
        onnx.Save(Path.Combine(folder, "model.onnx"));
        // The 8-bit graph beside it, for score-int8: unchecked against the fp32 one (the head is random).
        OnnxQuantizer.Quantize(onnx, [TeacherQuantization.HeadWeight]).Model.Save(Path.Combine(folder, ModelFolder.QuantizedOnnxFileName));
        File.Copy(Path.Combine(baseModel, "vocab.txt"), Path.Combine(folder, "vocab.txt"), overwrite: true);
        new ModelCard { Labels = [.. labels], Exclusive = true, Quantized = new QuantizedCard() }.Write(folder);
        return 0;
    }
    case "score-onnx":
    {
        var texts = Texts(512);
        pieces = MeanPieces(texts);
        using var model = TextcatModel.Load(args[2], ComputeDevice.Cpu);
        rate = ScoringThroughput.Measure(model, texts).TextsPerSecond;
        break;
    }
    case "score-int8":
    {
        var texts = Texts(512);
        pieces = MeanPieces(texts);
        using var model = TextcatModel.Load(args[2], ComputeDevice.Cpu, precision: ModelPrecision.Int8);
        rate = ScoringThroughput.Measure(model, texts).TextsPerSecond;
        break;
    }
    case "compare-int8":
    {
        // fp32 and 8-bit in one process, alternated three times, on <threads> intra-op threads (default 1): on a shared
        // machine, separate processes see different loads; the best of each is the least disturbed.
        var texts = Texts(256);
        pieces = MeanPieces(texts);
        var threads = args.Length > 4 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
        using var full = TextcatModel.Load(args[2], ComputeDevice.Cpu, intraOpThreads: threads);
        using var eight = TextcatModel.Load(args[2], ComputeDevice.Cpu, intraOpThreads: threads, precision: ModelPrecision.Int8);
        double fullRate = 0;
        rate = 0;
        for (var round = 0; round < 3; round++)
        {
            fullRate = Math.Max(fullRate, ScoringThroughput.Measure(full, texts).TextsPerSecond);
            rate = Math.Max(rate, ScoringThroughput.Measure(eight, texts).TextsPerSecond);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"threads={threads} fp32={fullRate:0.0}/s int8={rate:0.0}/s speedup={rate / fullRate:0.00}"));
        break;
    }
    case "compare-devices":
    {
        // The GPU check: the same model and texts scored on the CPU and through CUDA; prints the largest
        // difference and both throughputs (batch 64, and batch 256 on the GPU).
        var texts = Texts(2048);
        pieces = MeanPieces(texts);
        using var cpu = TextcatModel.Load(args[2], ComputeDevice.Cpu);
        using var gpu = TextcatModel.Load(args[2], ComputeDevice.Cuda);
        var cpuScores = cpu.Predict(texts.Take(256).Select(t => new TextcatExample(t))).ToList();
        var gpuScores = gpu.Predict(texts.Take(256).Select(t => new TextcatExample(t))).ToList();
        var maxDiff = cpuScores.Zip(gpuScores).Max(p => p.First.Scores.Max(s => Math.Abs(s.Value - p.Second.Scores[s.Key])));
        var cpuRate = ScoringThroughput.Measure(cpu, texts.Take(512).ToList()).TextsPerSecond;
        var gpuRate = ScoringThroughput.Measure(gpu, texts, repeats: 3).TextsPerSecond;
        var gpuRate256 = ScoringThroughput.Measure(gpu, texts, batchSize: 256, repeats: 3).TextsPerSecond;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"device={gpu.Device} maxAbsDiff={maxDiff:E2} cpu64={cpuRate:0.0}/s cuda64={gpuRate:0.0}/s cuda256={gpuRate256:0.0}/s"));
        rate = gpuRate;
        break;
    }
    case "score-torch":
    {
        var texts = Texts(512);
        pieces = MeanPieces(texts);
        torch.manual_seed(0);
        using var classifier = new BertClassifier(BertModel.FromPretrained(baseModel), labels.Length);
        classifier.eval();
        // The same batching as the ONNX scorer: length-sorted batches of 64, padded to their longest.
        var sorted = texts.OrderBy(t => t.Length).ToArray();
        using (no_grad())
        {
            Score(sorted.Take(64).ToArray());
            var timer = Stopwatch.StartNew();
            for (var i = 0; i < sorted.Length; i += 64)
            {
                Score(sorted.Skip(i).Take(64).ToArray());
            }
            rate = sorted.Length / timer.Elapsed.TotalSeconds;
        }

        void Score(string[] batch)
        {
            using var scope = NewDisposeScope();
            var encoded = tokenizer.EncodeBatch(batch, WordPieceTokenizer.DefaultMaxLength);
            var shape = encoded.Shape;
            var logits = classifier.forward(
                tensor(encoded.InputIds).reshape(shape),
                tensor(encoded.AttentionMask).reshape(shape),
                tensor(encoded.TokenTypeIds).reshape(shape));
            _ = logits.softmax(-1).data<float>().ToArray();
        }
        break;
    }
    default:
        Console.Error.WriteLine($"unknown mode {mode}");
        return 2;
}

var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
Console.WriteLine(string.Join('\t',
    $"{mode} {length}{(mode == "train" ? " " + padding : string.Empty)}",
    pieces.ToString("0.0", CultureInfo.InvariantCulture),
    rate.ToString("0.0", CultureInfo.InvariantCulture),
    peak.ToString("0", CultureInfo.InvariantCulture),
    watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)));
return 0;
