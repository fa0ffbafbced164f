using Uptrain.Diagnostics;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Metrics;

/// <summary>
/// Lines up two models' predictions on the same examples: by input hash when every prediction of both has one, else by
/// text; a key that occurs several times pairs its occurrences in order.
/// </summary>
internal static class PredictionPairing
{
    private const int ShownTextLength = 60;

    /// <summary>The items of <paramref name="other"/> in the order of <paramref name="reference"/>'s.</summary>
    /// <exception cref="UptrainException"><c>ExamplesDiffer</c>, <c>GoldDiffers</c>: see <see cref="ScoreComparer.Compare"/>.</exception>
    public static List<ScoredItem> Align(ComparedPredictions reference, ComparedPredictions other)
    {
        var byHash = reference.Items.All(i => i.InputHash is not null) && other.Items.All(i => i.InputHash is not null);
        var waiting = new Dictionary<string, Queue<ComparedItem>>(StringComparer.Ordinal);
        foreach (var item in other.Items)
        {
            var key = Key(item, byHash);
            if (!waiting.TryGetValue(key, out var queue))
            {
                waiting[key] = queue = new Queue<ComparedItem>();
            }
            queue.Enqueue(item);
        }
        var aligned = new List<ScoredItem>(reference.Items.Count);
        var missing = new List<ComparedItem>();
        foreach (var item in reference.Items)
        {
            if (!waiting.TryGetValue(Key(item, byHash), out var queue) || queue.Count == 0)
            {
                missing.Add(item);
                continue;
            }
            var match = queue.Dequeue();
            if (!SameGold(item.Gold, match.Gold))
            {
                throw new UptrainException(
                    "GoldDiffers", ErrorKind.InvalidData, Format(Messages.CompareGoldDiffers, Shown(item.Text), reference.Model, other.Model), item.Text);
            }
            aligned.Add(new ScoredItem(item.Gold, match.Scores));
        }
        var extra = waiting.Values.SelectMany(q => q).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            var example = missing.Count > 0 ? missing[0] : extra[0];
            throw new UptrainException(
                "ExamplesDiffer",
                ErrorKind.InvalidData,
                Format(Messages.CompareExamplesDiffer, other.Model, reference.Model, missing.Count, extra.Count,
                    Shown(example.Text), missing.Count > 0 ? reference.Model : other.Model, byHash ? Messages.CompareByHash : Messages.CompareByText),
                example.Text);
        }
        return aligned;
    }

    private static string Key(ComparedItem item, bool byHash) =>
        byHash ? item.InputHash!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : item.Text;

    // Known gold only: an unknown label (absent or NaN) is the same as no entry.
    private static bool SameGold(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b)
    {
        static IEnumerable<KeyValuePair<string, double>> Known(IReadOnlyDictionary<string, double> gold) => gold.Where(e => !double.IsNaN(e.Value));
        return Known(a).Count() == Known(b).Count() && Known(a).All(e => b.TryGetValue(e.Key, out var v) && v == e.Value);
    }

    private static string Shown(string text) => text.Length <= ShownTextLength ? text : string.Concat(text.AsSpan(0, ShownTextLength), "…");
}
