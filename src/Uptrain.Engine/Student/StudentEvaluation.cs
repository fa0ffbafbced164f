using Uptrain.Metrics;

namespace Uptrain.Student;

/// <summary>The texts scored after every epoch with their gold, and the scoring itself (spaCy's arithmetic).</summary>
internal sealed class StudentEvaluation
{
    private readonly IReadOnlyList<string> _labels;
    private readonly bool _exclusive;

    private StudentEvaluation(IReadOnlyList<(string Text, IReadOnlyDictionary<string, double> Gold)> items, IReadOnlyList<string> labels, bool exclusive, bool isTraining)
    {
        Items = items;
        _labels = labels;
        _exclusive = exclusive;
        IsTraining = isTraining;
    }

    /// <summary>
    /// The most training texts that stand in for missing eval data, evenly spread over the run, so that scoring
    /// after an epoch (and after a stop) takes a moment however large the run (100,000 texts took 7.5 s).
    /// </summary>
    public const int MaxTrainingStandIn = 5000;

    public IReadOnlyList<(string Text, IReadOnlyDictionary<string, double> Gold)> Items { get; }

    /// <summary>True when the training data stands in for missing eval data.</summary>
    public bool IsTraining { get; }

    /// <summary>
    /// The eval examples that have gold for a trained label; when there are none, the training examples (at most
    /// <see cref="MaxTrainingStandIn"/>, evenly spread) with their targets rounded to 0 or 1 (the best available stand-in,
    /// and a measure of fit rather than of generalisation).
    /// </summary>
    public static StudentEvaluation Gold(IReadOnlyList<StudentExample>? eval, IReadOnlyList<StudentExample> train, StudentTrainingData data)
    {
        var labels = new HashSet<string>(data.Labels, StringComparer.Ordinal);
        var items = new List<(string, IReadOnlyDictionary<string, double>)>();
        foreach (var example in eval ?? [])
        {
            if (example.Cats is { } cats && cats.Any(c => labels.Contains(c.Key) && !double.IsNaN(c.Value)))
            {
                items.Add((example.Text, cats));
            }
        }

        if (items.Count > 0)
        {
            return new StudentEvaluation(items, data.Labels, data.Exclusive, isTraining: false);
        }

        var taken = Math.Min(train.Count, MaxTrainingStandIn);
        for (var j = 0; j < taken; j++)
        {
            var example = train[(int)((long)j * train.Count / taken)];
            var targets = StudentTargets.Of(example, data.Labels, data.Exclusive, temperature: 1.0);
            if (targets is null)
            {
                continue;
            }

            var gold = new Dictionary<string, double>(StringComparer.Ordinal);
            for (var l = 0; l < targets.Length; l++)
            {
                if (!float.IsNaN(targets[l]))
                {
                    gold[data.Labels[l]] = targets[l] >= 0.5f ? 1.0 : 0.0;
                }
            }

            items.Add((example.Text, gold));
        }

        return new StudentEvaluation(items, data.Labels, data.Exclusive, isTraining: true);
    }

    /// <summary>The model's score on the items, as Measure-TextcatScore computes it.</summary>
    public TextcatScore Score(StudentModel model, string? positiveLabel)
    {
        var accumulator = new TextcatScoreAccumulator(new TextcatScorerOptions
        {
            Labels = _labels,
            Exclusive = _exclusive,
            PositiveLabel = positiveLabel,
        });
        foreach (var (text, gold) in Items)
        {
            accumulator.Add(new ScoredItem(gold, model.ScoreLabels(text)));
        }

        return accumulator.Finish();
    }
}
