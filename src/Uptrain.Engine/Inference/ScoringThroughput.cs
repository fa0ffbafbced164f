using System.Diagnostics;

namespace Uptrain.Inference;

/// <summary>How fast a model scored: for the benchmarks in bench/, never asserted in tests.</summary>
/// <param name="Texts">Texts scored in the timed run.</param>
/// <param name="Elapsed">Wall-clock time of the timed run.</param>
/// <param name="TextsPerSecond">Texts ÷ seconds.</param>
/// <param name="PeakWorkingSetBytes">The process's peak working set after the run (all it did so far, not this run alone).</param>
public sealed record ScoringThroughputResult(int Texts, TimeSpan Elapsed, double TextsPerSecond, long PeakWorkingSetBytes);

/// <summary>Times <see cref="TextcatModel.Predict"/> over a set of texts.</summary>
public static class ScoringThroughput
{
    /// <summary>
    /// Scores <paramref name="texts"/> once untimed (ONNX Runtime allocates and tunes on its first runs),
    /// then <paramref name="repeats"/> times timed, through <see cref="TextcatModel.Predict"/> with
    /// <paramref name="batchSize"/>, and reports the mean rate.
    /// </summary>
    public static ScoringThroughputResult Measure(TextcatModel model, IReadOnlyList<string> texts, int batchSize = TextcatModel.DefaultBatchSize, int repeats = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var examples = texts.Select(t => new TextcatExample(t)).ToArray();
        Drain(model.Predict(examples.Take(Math.Min(examples.Length, batchSize)), batchSize));
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
        {
            Drain(model.Predict(examples, batchSize));
        }

        watch.Stop();
        var scored = examples.Length * repeats;
        using var process = Process.GetCurrentProcess();
        return new ScoringThroughputResult(scored, watch.Elapsed, scored / Math.Max(watch.Elapsed.TotalSeconds, 1e-9), process.PeakWorkingSet64);
    }

    private static void Drain(IEnumerable<TextcatPrediction> predictions)
    {
        foreach (var _ in predictions)
        {
        }
    }
}
