namespace Uptrain.Metrics;

/// <summary>The four summary metrics of one scoring; <see cref="double.NaN"/> where the task has none (accuracy when multilabel).</summary>
public readonly record struct MetricValues(double Score, double MacroF, double MacroAuc, double Accuracy);

/// <summary>
/// The predictions of several models on the same examples (the same gold), kept so that the spaCy scores of any
/// resample can be computed without reading the items again: the bootstrap (examples drawn with replacement, given as
/// a count per example) and the permutation test (each example's prediction taken from one model or another).
/// </summary>
/// <remarks>
/// Counts (true and false positives, false negatives, support, correct and known texts) add up over examples, so each
/// example's are computed once, by <see cref="TextcatScoreAccumulator"/> on that example alone, with the labels,
/// exclusivity and threshold fixed for all. The ROC AUC does not add up: it is computed per resample from the
/// examples' scores, weighted by their counts (the Mann–Whitney form of spaCy's trapezoidal AUC, ties counting half).
/// Memory: per model, 4 counts and one score per example and label.
/// </remarks>
public sealed class ResampledScores
{
    private const int Tp = 0, Fp = 1, Fn = 2, Support = 3, CountsPerLabel = 4;

    private readonly string[] _labels;
    private readonly bool _exclusive;
    private readonly double _threshold;
    private readonly string? _positiveLabel;
    private readonly int _examples;
    private readonly int[][] _counts;      // [model][example * labels * 4 + label * 4 + count]
    private readonly bool[][] _correct;    // [model][example]
    private readonly bool[] _known;        // [example]: gold known for a scored label (the same for every model)
    private readonly sbyte[] _aucClass;    // [example * labels + label]: 1 positive, 0 negative, -1 left out
    private readonly double[][] _aucScore; // [model][example * labels + label]
    private readonly int[][][] _order;     // [model][label]: examples by ascending score

    /// <summary>
    /// Keeps the predictions of each model. Every list has the same length and the same gold per position.
    /// </summary>
    /// <param name="models">Per model, its scored items, aligned by position.</param>
    /// <param name="labels">The labels scored, in report order.</param>
    /// <param name="exclusive">Exclusive (argmax) or multilabel scoring.</param>
    /// <param name="threshold">The threshold as given, or null for the task's default.</param>
    /// <param name="positiveLabel">The positive label of a binary exclusive task, or null.</param>
    public ResampledScores(
        IReadOnlyList<IReadOnlyList<ScoredItem>> models, IReadOnlyList<string> labels, bool exclusive, double? threshold, string? positiveLabel)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(labels);
        if (models.Count == 0 || models.Any(m => m.Count != models[0].Count))
        {
            throw new ArgumentException("Every model needs predictions for the same examples.", nameof(models));
        }
        _labels = labels.ToArray();
        _exclusive = exclusive;
        _positiveLabel = positiveLabel;
        _examples = models[0].Count;
        var options = new TextcatScorerOptions { Labels = _labels, Exclusive = exclusive, Threshold = threshold, PositiveLabel = positiveLabel };
        _threshold = new TextcatScoreAccumulator(options).Finish().Threshold;
        _counts = new int[models.Count][];
        _correct = new bool[models.Count][];
        _aucScore = new double[models.Count][];
        _order = new int[models.Count][][];
        _known = new bool[_examples];
        _aucClass = new sbyte[_examples * _labels.Length];
        for (var i = 0; i < _examples; i++)
        {
            NoteGold(i, models[0][i].Gold);
        }
        for (var m = 0; m < models.Count; m++)
        {
            Keep(m, models[m], options);
        }
    }

    /// <summary>The number of models.</summary>
    public int Models => _counts.Length;

    /// <summary>The number of examples.</summary>
    public int Examples => _examples;

    /// <summary>
    /// A bootstrap draw: as many examples as <paramref name="weights"/> has, drawn with replacement; each weight
    /// becomes the number of times its example was drawn.
    /// </summary>
    public static void Draw(Random random, int[] weights)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(weights);
        Array.Clear(weights);
        for (var i = 0; i < weights.Length; i++)
        {
            weights[random.Next(weights.Length)]++;
        }
    }

    /// <summary>The metrics of <paramref name="model"/> on the examples, each counted <paramref name="weights"/>[i] times (null: once).</summary>
    public MetricValues Evaluate(int model, int[]? weights = null) => Evaluate(i => model, weights);

    /// <summary>
    /// The metrics of a mix: example i scored with the prediction of model <paramref name="source"/>(i), counted
    /// <paramref name="weights"/>[i] times (null: once each).
    /// </summary>
    public MetricValues Evaluate(Func<int, int> source, int[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var sources = new int[_examples];
        var single = -1;
        for (var i = 0; i < _examples; i++)
        {
            sources[i] = source(i);
            single = i == 0 ? sources[i] : single == sources[i] ? single : -2;
        }
        var sums = new long[_labels.Length * CountsPerLabel];
        long correct = 0, known = 0;
        for (var i = 0; i < _examples; i++)
        {
            var w = weights?[i] ?? 1;
            if (w == 0)
            {
                continue;
            }
            var counts = _counts[sources[i]];
            var offset = i * _labels.Length * CountsPerLabel;
            for (var k = 0; k < sums.Length; k++)
            {
                sums[k] += (long)w * counts[offset + k];
            }
            if (_known[i])
            {
                known += w;
                correct += _correct[sources[i]][i] ? w : 0;
            }
        }
        var perLabel = new LabelScore[_labels.Length];
        for (var l = 0; l < _labels.Length; l++)
        {
            var k = l * CountsPerLabel;
            var auc = Auc(l, sources, single, weights);
            perLabel[l] = new LabelScore(_labels[l], (int)sums[k + Tp], (int)sums[k + Fp], (int)sums[k + Fn], (int)sums[k + Support], auc);
        }
        double? accuracy = _exclusive ? (known == 0 ? 0.0 : (double)correct / known) : null;
        var score = new TextcatScore(_exclusive, _threshold, _positiveLabel, _examples, perLabel, accuracy, null, []);
        return new MetricValues(score.Score, score.MacroF, score.MacroAuc, accuracy ?? double.NaN);
    }

    private void NoteGold(int i, IReadOnlyDictionary<string, double> gold)
    {
        for (var l = 0; l < _labels.Length; l++)
        {
            var isKnown = gold.TryGetValue(_labels[l], out var value) && !double.IsNaN(value);
            _known[i] |= isKnown;
            // Exclusive scoring counts a label without gold as a negative for its AUC (spaCy); multilabel leaves it out.
            _aucClass[i * _labels.Length + l] = isKnown ? (value == 1.0 ? (sbyte)1 : (sbyte)0) : _exclusive ? (sbyte)0 : (sbyte)-1;
        }
    }

    private void Keep(int m, IReadOnlyList<ScoredItem> items, TextcatScorerOptions options)
    {
        var labels = _labels.Length;
        var counts = new int[_examples * labels * CountsPerLabel];
        var correct = new bool[_examples];
        var scores = new double[_examples * labels];
        for (var i = 0; i < _examples; i++)
        {
            // One example alone through the accumulator: its counts under exactly the rules of a whole scoring.
            var accumulator = new TextcatScoreAccumulator(options);
            accumulator.Add(items[i]);
            var alone = accumulator.Finish();
            for (var l = 0; l < labels; l++)
            {
                var label = alone.PerLabel[l];
                var offset = (i * labels + l) * CountsPerLabel;
                counts[offset + Tp] = label.TruePositives;
                counts[offset + Fp] = label.FalsePositives;
                counts[offset + Fn] = label.FalseNegatives;
                counts[offset + Support] = label.Support;
                scores[i * labels + l] = items[i].Predicted.TryGetValue(_labels[l], out var s) ? s : 0.0;
            }
            correct[i] = alone.Accuracy == 1.0;
        }
        _counts[m] = counts;
        _correct[m] = correct;
        _aucScore[m] = scores;
        _order[m] = new int[labels][];
        for (var l = 0; l < labels; l++)
        {
            _order[m][l] = SortedByScore(l, i => scores[i * labels + l]);
        }
    }

    private int[] SortedByScore(int label, Func<int, double> score)
    {
        var included = Enumerable.Range(0, _examples).Where(i => _aucClass[i * _labels.Length + label] >= 0).ToArray();
        var keys = included.Select(score).ToArray();
        Array.Sort(keys, included);
        return included;
    }

    // The weighted ROC AUC of one label: the share of (positive, negative) pairs ordered right, ties counting half.
    private double? Auc(int label, int[] sources, int single, int[]? weights)
    {
        var labels = _labels.Length;
        var order = single >= 0 ? _order[single][label] : SortedByScore(label, i => _aucScore[sources[i]][i * labels + label]);
        double positives = 0, negatives = 0, area = 0, negativesBelow = 0;
        var g = 0;
        while (g < order.Length)
        {
            // One group of tied scores.
            var score = _aucScore[sources[order[g]]][order[g] * labels + label];
            double groupPositives = 0, groupNegatives = 0;
            for (; g < order.Length && _aucScore[sources[order[g]]][order[g] * labels + label] == score; g++)
            {
                var i = order[g];
                var w = weights?[i] ?? 1;
                if (_aucClass[i * labels + label] == 1)
                {
                    groupPositives += w;
                }
                else
                {
                    groupNegatives += w;
                }
            }
            area += groupPositives * (negativesBelow + groupNegatives / 2.0);
            negativesBelow += groupNegatives;
            positives += groupPositives;
            negatives += groupNegatives;
        }
        return positives > 0 && negatives > 0 ? area / (positives * negatives) : null;
    }
}
