using Uptrain.Metrics;

namespace Uptrain.Tests.Reporting;

/// <summary>The objects of a small run, built by hand: labels include one that needs HTML encoding.</summary>
internal static class ReportFixtures
{
    public const string OddLabel = "<b>&";

    public static readonly string[] Labels = ["billing", OddLabel, "shipping"];

    public static ModelCard Card(string kind, string path) => new()
    {
        Kind = kind,
        Labels = [.. Labels],
        Exclusive = true,
        Path = path,
        Training = new() { ["epochs"] = 3, ["learningRate"] = 0.001, ["note"] = "<script>alert(1)</script>" },
        Data = new() { ["goldExamples"] = 120, ["trainFingerprint"] = "sha256:abc" },
        Metrics = new() { ["score"] = 0.8, ["macroF"] = 0.8, ["accuracy"] = 0.85 },
    };

    public static TrainingResult Run(string kind, string path) => new()
    {
        ModelPath = path,
        BestEpoch = 2,
        BestScore = 0.8,
        ScoreDescription = TextcatScore.MacroFDescription,
        Duration = TimeSpan.FromSeconds(75),
        Card = Card(kind, path),
        History =
        [
            new EpochResult(1, 1.1, 0.6, 0.6, 900, 20),
            new EpochResult(2, 0.7, 0.8, 0.8, 950, 20),
            new EpochResult(3, 0.5, 0.78, 0.78, 940, 20),
        ],
    };

    /// <summary>An exclusive score: gold label index against predicted label index, per text.</summary>
    public static TextcatScore Score(params (int Gold, int Predicted)[] pairs)
    {
        var items = pairs.Select(p => new ScoredItem(OneHot(p.Gold), OneHot(p.Predicted, 0.8))).ToList();
        return TextcatScorer.Score(items, new TextcatScorerOptions { Exclusive = true, Labels = Labels });
    }

    /// <summary>A held-out prediction of <paramref name="card"/>: top label <paramref name="top"/> at <paramref name="confidence"/>, gold <paramref name="gold"/>.</summary>
    public static TextcatPrediction Prediction(ModelCard card, int top, double confidence, int gold, string text = "a text")
    {
        var example = new TextcatExample(text);
        foreach (var (label, value) in OneHot(gold))
        {
            example.Cats[label] = value;
        }
        var scores = new LabelValues();
        for (var i = 0; i < Labels.Length; i++)
        {
            scores[Labels[i]] = i == top ? confidence : (1 - confidence) / (Labels.Length - 1);
        }
        return new TextcatPrediction(example, scores, card);
    }

    private static LabelValues OneHot(int index, double on = 1.0)
    {
        var values = new LabelValues();
        for (var i = 0; i < Labels.Length; i++)
        {
            values[Labels[i]] = i == index ? on : (1 - on) / (Labels.Length - 1);
        }
        return values;
    }
}

/// <summary>A temporary folder, deleted with what is in it.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("uptrain-report-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
