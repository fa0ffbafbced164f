using Uptrain.Diagnostics;
using Uptrain.Metrics;

namespace Uptrain.Tests.Metrics;

public sealed class ScoreComparerTests
{
    private static readonly string[] Labels = ["A", "B", "C"];

    // Random predictions of random gold: exclusive one-hot gold (some texts without gold), or multilabel gold with
    // unknown labels; scores rounded to 0.1 so that ties occur.
    private static List<ScoredItem> RandomItems(int seed, int count, bool exclusive)
    {
        var random = new Random(seed);
        var items = new List<ScoredItem>();
        for (var i = 0; i < count; i++)
        {
            var gold = new Dictionary<string, double>(StringComparer.Ordinal);
            var scores = new Dictionary<string, double>(StringComparer.Ordinal);
            var top = random.Next(Labels.Length);
            foreach (var (label, l) in Labels.Select((label, l) => (label, l)))
            {
                scores[label] = Math.Round(random.NextDouble(), 1);
                if (exclusive && i % 7 != 3)
                {
                    gold[label] = l == top ? 1.0 : 0.0;
                }
                else if (!exclusive && random.Next(4) > 0)
                {
                    gold[label] = random.Next(2);
                }
            }
            items.Add(new ScoredItem(gold, scores));
        }
        return items;
    }

    private static ComparedPredictions Predictions(string model, IEnumerable<ScoredItem> items, bool withHash = false) =>
        new(model, items.Select((item, i) => new ComparedItem($"text {i}", withHash ? 1000 + i : null, item.Gold, item.Predicted)).ToList());

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Evaluate_MatchesTheScorer_OnceAndWithRepeats(bool exclusive)
    {
        var items = RandomItems(1, 80, exclusive);
        var whole = TextcatScorer.Score(items, new TextcatScorerOptions { Exclusive = exclusive });
        var scores = new ResampledScores([items], Labels, exclusive, null, null);

        var values = scores.Evaluate(0);

        Assert.Equal(whole.Score, values.Score, 12);
        Assert.Equal(whole.MacroF, values.MacroF, 12);
        Assert.Equal(whole.MacroAuc, values.MacroAuc, 12);
        Assert.Equal(whole.Accuracy ?? double.NaN, values.Accuracy, 12);

        // Counting example i w times is scoring a list where it appears w times.
        var weights = Enumerable.Range(0, items.Count).Select(i => i % 4).ToArray();
        var repeated = items.SelectMany((item, i) => Enumerable.Repeat(item, weights[i])).ToList();
        var expected = TextcatScorer.Score(repeated, new TextcatScorerOptions { Exclusive = exclusive, Labels = Labels });
        var weighted = scores.Evaluate(0, weights);
        Assert.Equal(expected.Score, weighted.Score, 12);
        Assert.Equal(expected.MacroF, weighted.MacroF, 12);
        Assert.Equal(expected.MacroAuc, weighted.MacroAuc, 12);
    }

    [Fact]
    public void Evaluate_OfAMix_TakesEachExampleFromItsModel()
    {
        var first = RandomItems(2, 40, exclusive: true);
        var second = first.Select((item, i) => new ScoredItem(item.Gold, RandomItems(3 + i, 1, true)[0].Predicted)).ToList();
        var scores = new ResampledScores([first, second], Labels, true, null, null);
        var mix = first.Select((item, i) => i % 2 == 0 ? item : second[i]).ToList();

        var values = scores.Evaluate(i => i % 2);

        var whole = TextcatScorer.Score(mix, new TextcatScorerOptions { Exclusive = true, Labels = Labels });
        Assert.Equal(whole.MacroF, values.MacroF, 12);
        Assert.Equal(whole.MacroAuc, values.MacroAuc, 12);
    }

    [Fact]
    public void Compare_AModelWithItself_GivesZeroAndAnIntervalOfZero()
    {
        var items = RandomItems(4, 120, exclusive: true);

        var comparison = Assert.Single(ScoreComparer.Compare(
            Predictions("teacher", items), [Predictions("teacher again", items)], new ScoreComparerOptions { Exclusive = true }));

        Assert.Equal(0.0, comparison.Delta);
        Assert.Equal(0.0, comparison.CiLow);
        Assert.Equal(0.0, comparison.CiHigh);
        Assert.Equal(1.0, comparison.PValue);
        Assert.Equal(120, comparison.Examples);
        Assert.All(comparison.Metrics, m => Assert.Equal((0.0, 0.0, 0.0), (m.Delta, m.CiLow, m.CiHigh)));
        Assert.Equal(["macro F", "accuracy", "macro AUC"], comparison.Metrics.Select(m => m.Metric));
        Assert.StartsWith("no difference: the two models score the same", comparison.Verdict);
    }

    // Two predictors of known accuracy, right on each text independently (0.80 and 0.70): the 95% interval of the
    // accuracy difference should hold the true difference, -0.10, in about 95 of 100 simulated eval sets.
    [Fact]
    public void Compare_IntervalsCoverTheTrueDifference_AtAboutTheStatedRate()
    {
        const int trials = 100, texts = 200;
        var covered = 0;
        var rejected = 0;
        for (var t = 0; t < trials; t++)
        {
            var random = new Random(100 + t);
            var better = new List<ScoredItem>();
            var worse = new List<ScoredItem>();
            for (var i = 0; i < texts; i++)
            {
                var positive = random.Next(2) == 1;
                var gold = new Dictionary<string, double> { ["yes"] = positive ? 1 : 0, ["no"] = positive ? 0 : 1 };
                better.Add(new ScoredItem(gold, Guess(positive, random.NextDouble() < 0.80)));
                worse.Add(new ScoredItem(gold, Guess(positive, random.NextDouble() < 0.70)));
            }
            var comparison = ScoreComparer.Compare(Predictions("better", better), [Predictions("worse", worse)], new ScoreComparerOptions { Resamples = 1000, Seed = t })[0];
            var accuracy = comparison.Metrics.Single(m => m.Metric == "accuracy");
            covered += accuracy.CiLow <= -0.10 && -0.10 <= accuracy.CiHigh ? 1 : 0;
            rejected += accuracy.PValue < 0.05 ? 1 : 0;
        }

        Assert.InRange(covered, 88, 100);
        // The permutation test finds the 10-point difference at p < 0.05 in about 64 of 100 eval sets (the per-text
        // difference has a standard deviation of 0.61, so its mean's standard error on 200 texts is 0.043: z = 2.3).
        Assert.InRange(rejected, 45, 85);

        static Dictionary<string, double> Guess(bool positive, bool right)
        {
            var yes = positive == right ? 0.8 : 0.2;
            return new Dictionary<string, double> { ["yes"] = yes, ["no"] = 1 - yes };
        }
    }

    [Fact]
    public void Compare_WithTheSameSeed_Repeats_AndAnotherSeedMovesTheInterval()
    {
        var first = RandomItems(5, 150, exclusive: false);
        var second = first.Select((item, i) => new ScoredItem(item.Gold, RandomItems(6 + i, 1, false)[0].Predicted)).ToList();

        var a = ScoreComparer.Compare(Predictions("a", first), [Predictions("b", second)], new ScoreComparerOptions { Seed = 1 })[0];
        var b = ScoreComparer.Compare(Predictions("a", first), [Predictions("b", second)], new ScoreComparerOptions { Seed = 1 })[0];
        var c = ScoreComparer.Compare(Predictions("a", first), [Predictions("b", second)], new ScoreComparerOptions { Seed = 2 })[0];

        Assert.Equal((a.CiLow, a.CiHigh, a.PValue), (b.CiLow, b.CiHigh, b.PValue));
        Assert.NotEqual((a.CiLow, a.CiHigh), (c.CiLow, c.CiHigh));
        Assert.Equal("macro AUC", a.Metric);
        Assert.Equal(["macro AUC", "macro F"], a.Metrics.Select(m => m.Metric));
        Assert.Equal(a.DifferenceScore - a.ReferenceScore, a.Delta, 12);
    }

    [Fact]
    public void Compare_MatchesByInputHash_InAnyOrder()
    {
        var items = RandomItems(7, 50, exclusive: true);
        var reference = Predictions("a", items, withHash: true);
        // The same predictions, shuffled, with other texts: the hashes pair them.
        var shuffled = new ComparedPredictions("b", reference.Items.Reverse().Select(i => i with { Text = "x" + i.Text }).ToList());

        var comparison = ScoreComparer.Compare(reference, [shuffled])[0];

        Assert.Equal(0.0, comparison.Delta);
        Assert.Equal(0.0, comparison.CiHigh);
    }

    [Fact]
    public void Compare_OtherExamples_IsAnErrorThatNamesOne()
    {
        var items = RandomItems(8, 30, exclusive: true);
        var other = Predictions("student", items.Take(29));

        var error = Assert.Throws<UptrainException>(() => ScoreComparer.Compare(Predictions("teacher", items), [other]));

        Assert.Equal("ExamplesDiffer", error.ErrorId);
        Assert.Contains("text 29", error.Message);
        Assert.Contains("1 of 'teacher' have no prediction of 'student'", error.Message);
    }

    [Fact]
    public void Compare_OtherGold_IsAnError()
    {
        var items = RandomItems(9, 30, exclusive: true);
        var changed = items.Select((item, i) => i == 5 ? new ScoredItem(new Dictionary<string, double> { ["A"] = 1 }, item.Predicted) : item);

        var error = Assert.Throws<UptrainException>(() => ScoreComparer.Compare(Predictions("teacher", items), [Predictions("student", changed)]));

        Assert.Equal("GoldDiffers", error.ErrorId);
        Assert.Contains("text 5", error.Message);
    }

    [Fact]
    public void Compare_TooFewResamples_IsAnError()
    {
        var items = RandomItems(10, 10, exclusive: true);

        var error = Assert.Throws<UptrainException>(
            () => ScoreComparer.Compare(Predictions("a", items), [Predictions("b", items)], new ScoreComparerOptions { Resamples = 999 }));

        Assert.Equal("InvalidResamples", error.ErrorId);
    }

    [Theory]
    [InlineData(0.02, 0.164, 0.130, 0.198, "student better by 16.4 points, 95% CI 13.0–19.8 (300 texts)")]
    [InlineData(0.8, -0.164, -0.198, -0.130, "teacher better by 16.4 points, 95% CI 13.0–19.8 (300 texts)")]
    [InlineData(0.5, 0.004, -0.031, 0.024, "no difference detectable with 300 texts (95% CI -3.1 to 2.4 points); about 270 more eval texts would resolve 2 points")]
    [InlineData(0.5, 0.004, -0.012, 0.009, "no difference detectable with 300 texts: within -1.2 to 0.9 points (95% CI)")]
    public void Verdict_SaysWhoIsBetter_OrHowManyTextsWouldTell(double reference, double delta, double low, double high, string expected)
    {
        var score = new MetricComparison("macro F", reference, reference + delta, low, high, 0.01);

        var verdict = ScoreComparer.Verdict("teacher", "student", score, 300);

        Assert.Equal(expected, verdict.Replace('\u2212', '-'));
    }
}
