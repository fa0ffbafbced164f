using System.Text.Json;
using Uptrain.Data;
using Uptrain.IO;

namespace Uptrain.Uptraining;

/// <summary>
/// The review band of a triage run, held until the end because its order needs all of it: the most
/// uncertain texts first, at most a budget of them, written as review tasks
/// (<see cref="UptrainRecords.WriteReviewTask"/>) to a temporary file that is moved into place.
/// </summary>
/// <remarks>
/// <para>Uncertainty is measured by a certainty in 0..1 (<see cref="Certainty"/>), smallest first; ties keep the
/// input order.</para>
/// <para>Exclusive: the margin between the top two probabilities (0: the model cannot tell two labels apart).</para>
/// <para>Multilabel: for each uncertain label, the distance of its score to the middle of its band (Low..High),
/// as a share of half the band's width (0: in the middle, 1: at an edge); the text's certainty is the smallest of these,
/// so a text is as uncertain as its most uncertain label.</para>
/// </remarks>
public sealed class ReviewQueue
{
    private readonly ThresholdSet _thresholds;
    private readonly List<(double Certainty, UptrainDecision Decision)> _items = [];
    private readonly HashSet<(long TaskHash, string Text)> _queued = [];

    /// <summary>Creates an empty queue for decisions routed by <paramref name="thresholds"/>.</summary>
    public ReviewQueue(ThresholdSet thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        _thresholds = thresholds;
    }

    /// <summary>Texts queued.</summary>
    public int Count => _items.Count;

    /// <summary>Decisions not queued because the same task (task hash and text) was queued before.</summary>
    public int Repeated { get; private set; }

    /// <summary>How certain the model is about a text sent to review: 0 (most uncertain) to 1 (see the remarks).</summary>
    public static double Certainty(UptrainDecision decision, ThresholdSet thresholds)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (thresholds.Exclusive)
        {
            var top = decision.Scores.Values.OrderDescending().Take(2).ToList();
            return top.Count < 2 ? 1 : top[0] - top[1];
        }
        var certainty = 1.0;
        foreach (var label in decision.UncertainLabels)
        {
            if (!decision.Scores.TryGetValue(label, out var score))
            {
                continue;
            }
            var (low, high) = Band(thresholds.For(label));
            var half = (high - low) / 2;
            var distance = half > 0 ? Math.Abs(score - (low + half)) / half : 0;
            certainty = Math.Min(certainty, Math.Clamp(distance, 0, 1));
        }
        return certainty;
    }

    /// <summary>
    /// Queues a decision routed to review, unless the same task, its task hash and its text, is queued already (a text
    /// that occurs again in the pool is asked once); true when it was queued.
    /// </summary>
    public bool Add(UptrainDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (!_queued.Add((UptrainRecords.ReviewTaskHash(decision), decision.Text)))
        {
            Repeated++;
            return false;
        }

        _items.Add((Certainty(decision, _thresholds), decision));
        return true;
    }

    /// <summary>The queued decisions, most uncertain first; with a <paramref name="budget"/>, only that many.</summary>
    public IReadOnlyList<UptrainDecision> Ordered(int? budget = null)
    {
        var ordered = _items.OrderBy(item => item.Certainty).Select(item => item.Decision);
        return (budget is { } n ? ordered.Take(n) : ordered).ToList();
    }

    /// <summary>
    /// Writes <see cref="Ordered"/>(<paramref name="budget"/>) as review tasks to <paramref name="path"/> through a
    /// temporary file moved into place (replacing the file). Returns how many were written; with none, nothing is
    /// written and an existing file is left as it was.
    /// </summary>
    public int Write(string path, int? budget = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var tasks = Ordered(budget);
        if (tasks.Count == 0)
        {
            return 0;
        }
        AtomicFile.Write(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream, JsonPlain.WriterOptions);
            foreach (var decision in tasks)
            {
                json.Reset();
                UptrainRecords.WriteReviewTask(json, decision, _thresholds.Exclusive);
                json.Flush();
                stream.WriteByte((byte)'\n');
            }
        }, bufferSize: DataFiles.BufferSize);
        return tasks.Count;
    }

    // A label without thresholds is uncertain over the whole 0..1.
    private static (double Low, double High) Band(LabelThreshold? threshold) =>
        threshold is null ? (0, 1) : (threshold.Low, threshold.High);
}
