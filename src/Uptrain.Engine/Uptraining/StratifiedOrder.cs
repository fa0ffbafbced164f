namespace Uptrain.Uptraining;

/// <summary>
/// A seeded order of examples in which every prefix holds each label in about its share of the whole: the examples of
/// each top label are shuffled, then interleaved by their position within their label (the j-th of n at (j + ½) / n,
/// ties in random order).
/// Prefixes give nested, stratified fractions (a training curve); <see cref="Folds"/> deals stratified folds.
/// </summary>
public static class StratifiedOrder
{
    /// <summary>The indices of <paramref name="examples"/> in the stratified order of <paramref name="seed"/>.</summary>
    public static int[] Of(IReadOnlyList<TextcatExample> examples, int seed)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var random = new Random(seed);
        var keyed = new List<(double Key, double Tie, int Index)>(examples.Count);
        foreach (var members in ShuffledStrata(examples, random))
        {
            for (var j = 0; j < members.Length; j++)
            {
                keyed.Add(((j + 0.5) / members.Length, random.NextDouble(), members[j]));
            }
        }
        // Equal keys (strata of the same size) in a random order, not always the same label first.
        return keyed.OrderBy(k => k.Key).ThenBy(k => k.Tie).Select(k => k.Index).ToArray();
    }

    /// <summary>
    /// The fold (0 to <paramref name="folds"/> − 1) of each example: the shuffled examples of each stratum dealt round
    /// the folds in turn, the count running on from one stratum to the next, so that folds differ in size by at most one
    /// and each holds its share of every label.
    /// </summary>
    public static int[] Folds(IReadOnlyList<TextcatExample> examples, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var fold = new int[examples.Count];
        var dealt = 0;
        foreach (var members in ShuffledStrata(examples, new Random(seed)))
        {
            foreach (var index in members)
            {
                fold[index] = dealt++ % folds;
            }
        }
        return fold;
    }

    // The indices of each stratum, shuffled, strata in ordinal order of their label.
    private static List<int[]> ShuffledStrata(IReadOnlyList<TextcatExample> examples, Random random)
    {
        var strata = Enumerable.Range(0, examples.Count)
            .GroupBy(i => Stratum(examples[i]), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.ToArray())
            .ToList();
        foreach (var members in strata)
        {
            random.Shuffle(members);
        }
        return strata;
    }

    // The first label that applies, in ordinal order: the label of an exclusive example; for a multilabel one, a stratum
    // per label rather than per combination, which would leave most strata a single example. None: the empty stratum.
    private static string Stratum(TextcatExample example) =>
        example.Cats.Where(c => c.Value >= 0.5).Select(c => c.Key).Order(StringComparer.Ordinal).FirstOrDefault() ?? string.Empty;
}
