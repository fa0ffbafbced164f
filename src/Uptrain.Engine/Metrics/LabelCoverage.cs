namespace Uptrain.Metrics;

/// <summary>
/// The labels named on each side of the scored items (gold with a known value, predictions), in order of
/// first appearance, to warn about labels that the two sides do not share.
/// </summary>
internal sealed class LabelCoverage
{
    private readonly HashSet<string> _predicted = new(StringComparer.Ordinal);
    private readonly List<string> _predictedOrder = [];
    private readonly HashSet<string> _gold = new(StringComparer.Ordinal);
    private readonly List<string> _goldOrder = [];

    /// <summary>Notes the labels of one item.</summary>
    public void Note(ScoredItem item)
    {
        foreach (var label in item.Predicted.Keys)
        {
            if (_predicted.Add(label))
            {
                _predictedOrder.Add(label);
            }
        }
        foreach (var (label, value) in item.Gold)
        {
            if (!double.IsNaN(value) && _gold.Add(label))
            {
                _goldOrder.Add(label);
            }
        }
    }

    /// <summary>
    /// One message per label on one side only; a gold and a predicted label that differ only in case get one
    /// message naming both. Empty while no gold has been seen.
    /// </summary>
    public IReadOnlyList<string> Mismatches()
    {
        var messages = new List<string>();
        if (_gold.Count == 0)
        {
            return messages;
        }
        var goldOnly = _goldOrder.Where(label => !_predicted.Contains(label)).ToList();
        foreach (var predicted in _predictedOrder.Where(label => !_gold.Contains(label)))
        {
            var twin = goldOnly.FirstOrDefault(gold => string.Equals(gold, predicted, StringComparison.OrdinalIgnoreCase));
            if (twin is not null)
            {
                goldOnly.Remove(twin);
                messages.Add(string.Format(Messages.Culture, Messages.LabelCaseMismatch, twin, predicted));
            }
            else
            {
                messages.Add(string.Format(Messages.Culture, Messages.LabelOnlyPredicted, predicted));
            }
        }
        messages.AddRange(goldOnly.Select(gold => string.Format(Messages.Culture, Messages.LabelOnlyInGold, gold)));
        return messages;
    }
}
