namespace Uptrain;

/// <summary>
/// Counts of texts by gold label (rows) and predicted label (columns), for exclusive classes: the row is the gold
/// argmax, the column the predicted argmax (whatever its score; the threshold does not apply).
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly Dictionary<string, int> _index;

    internal ConfusionMatrix(IReadOnlyList<string> labels, int[][] counts)
    {
        Labels = labels;
        Counts = counts;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            _index[labels[i]] = i;
        }
    }

    /// <summary>The labels, in the order of both the rows and the columns of <see cref="Counts"/>.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>
    /// <c>[gold][predicted]</c>, indexed by the positions in <see cref="Labels"/>. A method, not a property, so that
    /// ConvertTo-Json of a score stays within its default depth.
    /// </summary>
    public int[][] GetCounts() => Counts;

    /// <summary><c>Counts[gold][predicted]</c>, indexed by the positions in <see cref="Labels"/>.</summary>
    internal int[][] Counts { get; }

    /// <summary>The number of texts with gold label <paramref name="gold"/> predicted as <paramref name="predicted"/>.</summary>
    /// <exception cref="KeyNotFoundException">One of the labels is not in <see cref="Labels"/>.</exception>
    public int this[string gold, string predicted] => Counts[IndexOf(gold)][IndexOf(predicted)];

    private int IndexOf(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return _index.TryGetValue(label, out var i)
            ? i
            : throw new KeyNotFoundException(string.Format(Messages.Culture, Messages.ConfusionUnknownLabel, label));
    }
}
