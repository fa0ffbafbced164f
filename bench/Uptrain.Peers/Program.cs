using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

// The ML.NET peer of the student benchmark: "mlnet <train.jsonl> <test.jsonl> <predictions.jsonl> <model.zip>".
// Trains FeaturizeText + SdcaMaximumEntropy on the train file's hard labels (the cats' argmax; lines
// with no value above 0.5 are skipped and counted), saves the model, scores the whole test file with one
// Transform and writes one JSON line per test text: text, the gold cats as read, and a probability for
// every train label. Prints: mlnet <trainSeconds> <textsPerSecond> <modelBytes> <trainExamples> <skipped>.
if (args.Length != 5 || args[0] != "mlnet")
{
    Console.Error.WriteLine("usage: Uptrain.Peers mlnet <train.jsonl> <test.jsonl> <predictions.jsonl> <model.zip>");
    return 2;
}
string trainPath = args[1], testPath = args[2], predictionsPath = args[3], modelPath = args[4];
List<Example> train, test;
try
{
    train = Example.ReadAll(trainPath);
    test = Example.ReadAll(testPath);
}
catch (InvalidDataException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
catch (FileNotFoundException ex)
{
    Console.Error.WriteLine($"file not found: {ex.FileName}");
    return 2;
}

var trainRows = train.Where(e => e.Label is not null).Select(e => new Row { Text = e.Text, Label = e.Label! }).ToList();
var skipped = train.Count - trainRows.Count;
var ml = new MLContext(seed: 1);
var trainData = ml.Data.LoadFromEnumerable(trainRows);

// Word 1-2-grams and character 3-grams (ML.NET's default). Its character extractor takes one length
// (UseAllLengths: 1..N, else N alone), so 3-5 alone is not expressible; 1-5 made SDCA take over four
// minutes on 500 SpamAssassin texts here, so the peer keeps the default trigrams.
var featurizer = new TextFeaturizingEstimator.Options
{
    WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true },
    CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 3, UseAllLengths = false },
};
var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
    .Append(ml.Transforms.Text.FeaturizeText("Features", featurizer, nameof(Row.Text)))
    .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy())
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

var watch = Stopwatch.StartNew();
var model = pipeline.Fit(trainData);
var trainSeconds = watch.Elapsed.TotalSeconds;
ml.Model.Save(model, trainData.Schema, modelPath);
var modelBytes = new FileInfo(modelPath).Length;

// The test rows carry an empty label: MapValueToKey maps it to the missing key, scoring ignores it.
var testData = ml.Data.LoadFromEnumerable(test.Select(e => new Row { Text = e.Text, Label = string.Empty }).ToList());
watch.Restart();
var scored = model.Transform(testData);
var results = ml.Data.CreateEnumerable<Scored>(scored, reuseRowObject: false).ToList();
var scoreSeconds = watch.Elapsed.TotalSeconds;

var labels = ScoreLabels(scored.Schema);
using (var writer = new StreamWriter(predictionsPath))
{
    for (var i = 0; i < test.Count; i++)
    {
        var scores = results[i].Score;
        var best = Array.IndexOf(scores, scores.Max());
        if (labels[best] != results[i].PredictedLabel)
        {
            Console.Error.WriteLine($"score slot {best} is '{labels[best]}' but PredictedLabel is '{results[i].PredictedLabel}' ({testPath}:{test[i].Line})");
            return 1;
        }
        var line = new Dictionary<string, object>
        {
            ["text"] = test[i].Text,
            ["cats"] = test[i].Cats,
            ["scores"] = labels.Select((l, k) => (l, (double)scores[k])).ToDictionary(p => p.l, p => p.Item2),
        };
        writer.WriteLine(JsonSerializer.Serialize(line));
    }
}

Console.WriteLine(string.Join('\t', "mlnet",
    trainSeconds.ToString("0.000", CultureInfo.InvariantCulture),
    (test.Count / scoreSeconds).ToString("0.0", CultureInfo.InvariantCulture),
    modelBytes.ToString(CultureInfo.InvariantCulture),
    trainRows.Count.ToString(CultureInfo.InvariantCulture),
    skipped.ToString(CultureInfo.InvariantCulture)));
return 0;

// The label of each Score slot: the slot names ML.NET puts on the Score column (the key values of the label).
static string[] ScoreLabels(DataViewSchema schema)
{
    VBuffer<ReadOnlyMemory<char>> names = default;
    schema["Score"].GetSlotNames(ref names);
    return names.DenseValues().Select(n => n.ToString()).ToArray();
}

/// <summary>One training or test row.</summary>
internal sealed class Row
{
    public string Text { get; set; } = string.Empty;
    public string Label { get; set; } = string.Empty;
}

/// <summary>What scoring yields per row.</summary>
internal sealed class Scored
{
    public float[] Score { get; set; } = [];
    public string PredictedLabel { get; set; } = string.Empty;
}

/// <summary>One spaCy JSONL line: its text, its cats as read, and the exclusive label (null when no value is above 0.5).</summary>
internal sealed record Example(string Text, Dictionary<string, double> Cats, string? Label, int Line)
{
    public static List<Example> ReadAll(string path)
    {
        var examples = new List<Example>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var text = root.GetProperty("text").GetString() ?? string.Empty;
            var cats = new Dictionary<string, double>();
            if (root.TryGetProperty("cats", out var catsElement))
            {
                foreach (var cat in catsElement.EnumerateObject())
                {
                    cats[cat.Name] = cat.Value.GetDouble();
                }
            }
            var positive = cats.Where(c => c.Value > 0.5).ToList();
            if (positive.Count > 1)
            {
                throw new InvalidDataException(
                    $"{path}:{number}: more than one label above 0.5 ({string.Join(", ", positive.Select(p => p.Key))}); the ML.NET peer takes exclusive tasks only");
            }
            var label = positive.Count == 1 ? cats.MaxBy(c => c.Value).Key : null;
            examples.Add(new Example(text, cats, label, number));
        }
        return examples;
    }
}
