using System.Globalization;
using Uptrain.Data;
using Uptrain.Diagnostics;
using Uptrain.Inference;
using Uptrain.Metrics;
using Uptrain.Models;
using Uptrain.Teacher;
using Uptrain.Teacher.Onnx;

namespace Uptrain.Bench;

/// <summary>
/// A trained teacher's 8-bit graph against its fp32 one (issue 11): "quantize &lt;folder&gt; &lt;eval.jsonl&gt; &lt;test.jsonl&gt;".
/// Copies the folder, quantises the copy as Invoke-TeacherTraining -Quantize would (eval data, keep-or-drop decision), then
/// scores the test texts with both graphs in this one process (batch 64, after a warm-up; alternated, best of three) and prints one tab-separated
/// line: kept, mean word pieces, fp32 texts/s, 8-bit texts/s, eval score fp32, eval score 8-bit, test score fp32, test
/// score 8-bit, eval agreement, test agreement, largest probability change on test, fp32 MB, 8-bit MB. A fifth argument, a
/// regular expression, keeps the weights whose names match it in fp32 as well (an experiment: no keep-or-drop decision;
/// "kept" then reads "keep-float").
/// </summary>
internal static class QuantizationBench
{
    private const int Rounds = 3;

    public static int Run(string[] args)
    {
        if (args.Length < 4)
        {
            Console.Error.WriteLine("usage: Uptrain.Bench quantize <teacher folder> <eval.jsonl> <test.jsonl>");
            return 2;
        }

        var copy = Path.Combine(Path.GetTempPath(), "uptrain-bench-int8-" + Environment.ProcessId);
        Directory.CreateDirectory(copy);
        try
        {
            foreach (var file in Directory.GetFiles(args[1]))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)), overwrite: true);
            }

            var eval = Read(args[2]);
            var test = Read(args[3]);
            var keepFloat = args.Length > 4 ? new System.Text.RegularExpressions.Regex(args[4]) : null;
            var kept = keepFloat is null ? TeacherQuantization.QuantizeFolder(copy, eval, NullOutputWriter.Instance) : null;
            if (kept is null)
            {
                // Not kept, or an experiment: write it anyway, unsealed, so that its figures can still be measured and shown.
                var card = ModelCard.Read(copy);
                var graph = ModelProto.Load(Path.Combine(copy, card.Weights));
                string[] keep = [TeacherQuantization.HeadWeight, .. OnnxQuantizer.FloatWeightMatMuls(graph).Where(n => keepFloat?.IsMatch(n) == true)];
                OnnxQuantizer.Quantize(graph, keep).Model.Save(Path.Combine(copy, ModelFolder.QuantizedOnnxFileName));
                card.Quantized = new QuantizedCard();
                card.Files = null;
                card.Write(copy);
            }

            using var full = TextcatModel.Load(copy, ComputeDevice.Cpu);
            using var eight = TextcatModel.Load(copy, ComputeDevice.Cpu, precision: ModelPrecision.Int8);
            var texts = test.Select(e => e.Text).ToList();
            // Alternated, best of three each: the machine is shared, and the best run is the one least disturbed.
            double fullRate = 0, eightRate = 0;
            for (var round = 0; round < Rounds; round++)
            {
                fullRate = Math.Max(fullRate, ScoringThroughput.Measure(full, texts).TextsPerSecond);
                eightRate = Math.Max(eightRate, ScoringThroughput.Measure(eight, texts).TextsPerSecond);
            }
            var positive = TeacherQuantization.PositiveLabelOf(full.Card);
            var onEval = TeacherQuantization.Compare(full, eight, eval, positive);
            var onTest = TeacherQuantization.Compare(full, eight, test, positive);
            var tokenizer = Text.WordPieceTokenizer.FromFolder(copy);
            var pieces = texts.Average(t => tokenizer.Encode(t, full.MaxLength).Count);
            double Megabytes(string name) => new FileInfo(Path.Combine(copy, name)).Length / (1024.0 * 1024.0);
            Console.WriteLine(string.Join('\t', new object[]
            {
                keepFloat is not null ? "keep-float" : kept is null ? "no" : "yes", pieces, fullRate, eightRate, onEval.Float32Score, onEval.Score, onTest.Float32Score, onTest.Score,
                onEval.TopLabelAgreement, onTest.TopLabelAgreement, onTest.MaxProbabilityChange,
                Megabytes(ModelFolder.OnnxFileName), Megabytes(ModelFolder.QuantizedOnnxFileName),
            }.Select(v => v is double d ? d.ToString("0.0000", CultureInfo.InvariantCulture) : v.ToString())));
            return 0;
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static List<TextcatExample> Read(string path) =>
        [.. TextcatReader.Read(path, new TextcatReadOptions(), NullOutputWriter.Instance)];
}
