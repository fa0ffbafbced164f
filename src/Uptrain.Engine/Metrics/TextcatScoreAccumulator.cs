using Uptrain.Diagnostics;

namespace Uptrain.Metrics;

/// <summary>
/// Scores texts one at a time with spaCy's <c>Scorer.score_cats</c> arithmetic (spaCy v3), for hosts that receive
/// items one by one. Memory: per-label counts, plus one predicted score per label and text with known gold, which the
/// ROC AUC needs.
/// </summary>
/// <remarks>
/// Multilabel, per label and text with known gold: score ≥ threshold and gold &gt; 0 → TP; score ≥ threshold and gold
/// 0 → FP; score &lt; threshold and gold &gt; 0 → FN. Exclusive, per text: the highest predicted label against the
/// highest gold label (ties: the first in the dictionary's order, as Python's <c>max</c>); the same label at or above
/// the threshold → TP; otherwise FN for the gold label and, at or above the threshold, FP for the predicted label. A
/// text with gold but no predictions counts FN for its gold label when that is positive; one with predictions but no
/// gold counts FP for its top label at or above the threshold. When exclusivity is not given, both countings run and
/// <see cref="Finish"/> picks one. Not thread-safe: add from one thread.
/// </remarks>
public sealed class TextcatScoreAccumulator
{
    private readonly HashSet<string>? _fixedLabels;
    private readonly List<string>? _fixedOrder;
    private readonly double? _threshold;
    private readonly string? _positiveLabel;
    private readonly bool? _exclusive;
    private readonly double _multilabelThreshold;
    private readonly double _exclusiveThreshold;

    private readonly Dictionary<string, LabelState> _states = new(StringComparer.Ordinal);
    private readonly List<string> _predictedOrder = [];
    private readonly List<string> _goldOrder = [];
    private readonly List<string> _ignored = [];
    private readonly HashSet<string> _ignoredSet = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Gold, string Predicted), int> _confusion = [];
    private readonly LabelCoverage _coverage = new();
    private bool _allOneHot = true;
    private int _knownGold;
    private int _correct;

    /// <summary>Starts an empty score.</summary>
    /// <param name="options">Labels, threshold, positive label and exclusivity; null for all defaults.</param>
    /// <exception cref="UptrainException">
    /// <c>InvalidThreshold</c>: the threshold is not in 0..1. <c>UnknownPositiveLabel</c>: the labels are given and the
    /// positive label is not among them.
    /// </exception>
    public TextcatScoreAccumulator(TextcatScorerOptions? options = null)
    {
        options ??= new TextcatScorerOptions();
        if (options.Threshold is { } t && !(t >= 0.0 && t <= 1.0))
        {
            throw new UptrainException(
                "InvalidThreshold",
                ErrorKind.InvalidArgument,
                string.Format(Messages.Culture, Messages.InvalidThreshold, t),
                t);
        }
        _threshold = options.Threshold;
        _multilabelThreshold = options.Threshold ?? TextcatScorerOptions.DefaultMultilabelThreshold;
        _exclusiveThreshold = options.Threshold ?? TextcatScorerOptions.DefaultExclusiveThreshold;
        _exclusive = options.Exclusive;
        _positiveLabel = string.IsNullOrEmpty(options.PositiveLabel) ? null : options.PositiveLabel;

        if (options.Labels is { Count: > 0 } labels)
        {
            _fixedLabels = new HashSet<string>(StringComparer.Ordinal);
            _fixedOrder = [];
            foreach (var label in labels)
            {
                ArgumentNullException.ThrowIfNull(label, nameof(options.Labels));
                if (_fixedLabels.Add(label))
                {
                    _fixedOrder.Add(label);
                    _states[label] = new LabelState();
                }
            }
            CheckPositiveLabel(_fixedOrder);
        }
    }

    /// <summary>The number of items added so far.</summary>
    public int Count { get; private set; }

    /// <summary>The number of items added so far that have gold for at least one scored label.</summary>
    public int CountWithGold { get; private set; }

    /// <summary>Adds one scored text.</summary>
    /// <exception cref="UptrainException">
    /// <c>InvalidScore</c> (InvalidData): a predicted score is not a number from 0 to 1. <c>InvalidLabelValue</c>
    /// (InvalidData): a gold value is neither NaN (unknown) nor a number from 0 to 1. The item is then not counted.
    /// </exception>
    public void Add(ScoredItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(item.Gold, nameof(item.Gold));
        ArgumentNullException.ThrowIfNull(item.Predicted, nameof(item.Predicted));
        LabelValue.RequireScores(item.Predicted, item);
        LabelValue.Require(item.Gold, "Cats", item, allowNaN: true);
        _coverage.Note(item);

        // Keep the entries that are scored, in the dictionaries' own order (it decides argmax ties).
        var predicted = new List<KeyValuePair<string, double>>(item.Predicted.Count);
        foreach (var entry in item.Predicted)
        {
            if (Admit(entry.Key, fromPredictions: true))
            {
                predicted.Add(entry);
            }
        }
        var gold = new List<KeyValuePair<string, double>>(item.Gold.Count);
        var ones = 0;
        var others = 0;
        foreach (var entry in item.Gold)
        {
            if (!double.IsNaN(entry.Value) && Admit(entry.Key, fromPredictions: false))
            {
                gold.Add(entry);
                if (entry.Value == 1.0)
                {
                    ones++;
                }
                else if (entry.Value != 0.0)
                {
                    others++;
                }
            }
        }
        _allOneHot &= ones == 1 && others == 0;
        if (gold.Count > 0)
        {
            CountWithGold++;
        }

        // Exclusive scoring (spaCy: "if not gold_score and not multi_label: gold_score = 0.0") counts a label whose
        // gold is absent as a negative for its ROC AUC; multilabel scoring leaves it out. Both are kept until Finish.
        foreach (var (label, state) in _states)
        {
            if (!item.Gold.TryGetValue(label, out var goldValue) || double.IsNaN(goldValue))
            {
                state.AbsentScores.Add(item.Predicted.TryGetValue(label, out var absentScore) ? absentScore : 0.0);
            }
        }
        Count++;

        // Per label with known gold: the ROC AUC pairs, the support and the multilabel counts.
        foreach (var (label, goldValue) in gold)
        {
            var state = _states[label];
            // spaCy's pred_cats.get(label, 0.0): a label without a prediction scores 0.
            var score = item.Predicted.TryGetValue(label, out var predictedValue) ? predictedValue : 0.0;
            state.AddAucPair(score, goldValue);
            if (goldValue > 0)
            {
                state.Support++;
            }
            // The same three-way test as spaCy: a NaN score matches none of the branches.
            if (score >= _multilabelThreshold && goldValue > 0)
            {
                state.Multilabel.Tp++;
            }
            else if (score >= _multilabelThreshold && goldValue == 0)
            {
                state.Multilabel.Fp++;
            }
            else if (score < _multilabelThreshold && goldValue > 0)
            {
                state.Multilabel.Fn++;
            }
        }

        // Exclusive counting: highest prediction against highest gold.
        if (predicted.Count > 0 && gold.Count > 0)
        {
            var (predLabel, predScore) = ArgMax(predicted);
            var (goldLabel, _) = ArgMax(gold);
            if (predLabel == goldLabel && predScore >= _exclusiveThreshold)
            {
                _states[predLabel].Exclusive.Tp++;
            }
            else
            {
                _states[goldLabel].Exclusive.Fn++;
                if (predScore >= _exclusiveThreshold)
                {
                    _states[predLabel].Exclusive.Fp++;
                }
            }
            _knownGold++;
            if (predLabel == goldLabel)
            {
                _correct++;
            }
            var key = (goldLabel, predLabel);
            _confusion[key] = _confusion.GetValueOrDefault(key) + 1;
        }
        else if (gold.Count > 0)
        {
            var (goldLabel, goldScore) = ArgMax(gold);
            if (goldScore > 0)
            {
                _states[goldLabel].Exclusive.Fn++;
            }
            _knownGold++;
        }
        else if (predicted.Count > 0)
        {
            var (predLabel, predScore) = ArgMax(predicted);
            if (predScore >= _exclusiveThreshold)
            {
                _states[predLabel].Exclusive.Fp++;
            }
        }
    }

    /// <summary>
    /// The scores of the items added so far. The accumulator stays usable: more items may be added and
    /// <see cref="Finish"/> called again.
    /// </summary>
    /// <exception cref="UptrainException">
    /// <c>UnknownPositiveLabel</c>: the labels were inferred and the positive label is not among them.
    /// </exception>
    public TextcatScore Finish()
    {
        var labels = _fixedOrder ?? InferredLabels();
        CheckPositiveLabel(labels);
        var exclusive = _exclusive ?? (Count > 0 && _allOneHot);
        var threshold = exclusive ? _exclusiveThreshold : _multilabelThreshold;

        var perLabel = new List<LabelScore>(labels.Count);
        foreach (var label in labels)
        {
            var state = _states[label];
            var counts = exclusive ? state.Exclusive : state.Multilabel;
            perLabel.Add(new LabelScore(label, counts.Tp, counts.Fp, counts.Fn, state.Support, state.RocAuc(absentIsNegative: exclusive)));
        }

        double? accuracy = null;
        ConfusionMatrix? confusion = null;
        if (exclusive)
        {
            accuracy = _knownGold == 0 ? 0.0 : (double)_correct / _knownGold;
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var counts = new int[labels.Count][];
            for (var i = 0; i < labels.Count; i++)
            {
                index[labels[i]] = i;
                counts[i] = new int[labels.Count];
            }
            foreach (var ((goldLabel, predLabel), n) in _confusion)
            {
                counts[index[goldLabel]][index[predLabel]] = n;
            }
            confusion = new ConfusionMatrix(labels.ToArray(), counts);
        }

        return new TextcatScore(
            exclusive,
            _threshold ?? threshold,
            _positiveLabel,
            Count,
            perLabel.ToArray(),
            accuracy,
            confusion,
            _ignored.ToArray());
    }

    /// <summary>
    /// Warnings about labels that gold and predictions do not share: a label on one side only, and (said
    /// explicitly) a gold and a predicted label that differ only in case, which score as two labels.
    /// Empty while no item has gold.
    /// </summary>
    public IReadOnlyList<string> LabelMismatches() => _coverage.Mismatches();

    // True when the label is scored; registers it on first sight (inferred labels) or notes it as ignored.
    private bool Admit(string label, bool fromPredictions)
    {
        if (_fixedLabels is not null)
        {
            if (_fixedLabels.Contains(label))
            {
                return true;
            }
            if (_ignoredSet.Add(label))
            {
                _ignored.Add(label);
            }
            return false;
        }
        if (!_states.TryGetValue(label, out var state))
        {
            // The texts added before this label showed up had neither gold nor a prediction for it.
            state = new LabelState { TextsBefore = Count };
            _states[label] = state;
        }
        if (fromPredictions && !state.SeenInPredicted)
        {
            state.SeenInPredicted = true;
            _predictedOrder.Add(label);
        }
        else if (!fromPredictions && !state.SeenInGold)
        {
            state.SeenInGold = true;
            _goldOrder.Add(label);
        }
        return true;
    }

    // Labels seen in predictions in order of first appearance, then labels seen only in gold.
    private List<string> InferredLabels()
    {
        var labels = new List<string>(_predictedOrder);
        foreach (var label in _goldOrder)
        {
            if (!_states[label].SeenInPredicted)
            {
                labels.Add(label);
            }
        }
        return labels;
    }

    private void CheckPositiveLabel(IReadOnlyList<string> labels)
    {
        // With no labels at all (no items, none given) there is nothing to check against.
        if (_positiveLabel is null || labels.Count == 0 || labels.Contains(_positiveLabel))
        {
            return;
        }
        throw new UptrainException(
            "UnknownPositiveLabel",
            ErrorKind.InvalidArgument,
            string.Format(Messages.Culture, Messages.UnknownPositiveLabel, _positiveLabel, string.Join(", ", labels)),
            _positiveLabel);
    }

    // The first entry with the highest value, as Python's max(d.items(), key=value): later entries win only when
    // strictly greater.
    private static (string Label, double Value) ArgMax(List<KeyValuePair<string, double>> entries)
    {
        var best = entries[0];
        for (var i = 1; i < entries.Count; i++)
        {
            if (entries[i].Value > best.Value)
            {
                best = entries[i];
            }
        }
        return (best.Key, best.Value);
    }
}
