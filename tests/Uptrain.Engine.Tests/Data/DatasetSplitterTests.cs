using Uptrain.Data;
using Uptrain.Diagnostics;

namespace Uptrain.Tests.Data;

public sealed class DatasetSplitterTests
{
    private static List<TextcatExample> Examples(int count, Func<int, string[]>? positives = null)
    {
        var examples = new List<TextcatExample>();
        for (var i = 0; i < count; i++)
        {
            var example = new TextcatExample($"text number {i}");
            foreach (var label in positives?.Invoke(i) ?? [])
            {
                example.Cats[label] = 1;
            }
            examples.Add(example);
        }
        return examples;
    }

    private static Dictionary<string, string?> SplitByText(IEnumerable<TextcatExample> examples) =>
        examples.ToDictionary(e => e.Text, e => e.Split);

    private static List<T> Shuffle<T>(IEnumerable<T> items, int seed)
    {
        var list = items.ToList();
        var random = new Random(seed);
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }

    [Theory]
    [InlineData(10, 0.2, 2)]
    [InlineData(7, 0.25, 2)]
    [InlineData(10, 0.25, 3)] // 2.5 rounds away from zero
    [InlineData(1, 0.5, 1)]
    [InlineData(3, 0.1, 0)]
    [InlineData(1000, 0.123, 123)]
    [InlineData(0, 0.5, 0)]
    public void EvalCountIsTheRoundedFraction(int n, double fraction, int expected)
    {
        foreach (var stratify in new[] { false, true })
        {
            var examples = Examples(n, i => i % 3 == 0 ? ["A"] : ["B"]);

            var result = DatasetSplitter.Split(examples, fraction, seed: 5, stratify);

            Assert.Equal(expected, result.Count(e => e.Split == DatasetSplitter.Eval));
            Assert.Equal(n - expected, result.Count(e => e.Split == DatasetSplitter.Train));
        }
    }

    [Fact]
    public void ReturnsTheExamplesInInputOrder()
    {
        var examples = Examples(20);

        var result = DatasetSplitter.Split(examples, 0.3, seed: 1, stratify: false);

        Assert.Equal(examples, result);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheSplitIsDeterministicAndIndependentOfInputOrder(bool stratify)
    {
        Func<int, string[]> labels = i => i % 4 == 0 ? ["A", "B"] : i % 2 == 0 ? ["A"] : [];
        var first = SplitByText(DatasetSplitter.Split(Examples(200, labels), 0.2, seed: 42, stratify));
        var again = SplitByText(DatasetSplitter.Split(Examples(200, labels), 0.2, seed: 42, stratify));
        var shuffled = SplitByText(DatasetSplitter.Split(Shuffle(Examples(200, labels), 7), 0.2, seed: 42, stratify));

        Assert.Equal(first, again);
        Assert.Equal(first, shuffled);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentSplits()
    {
        var evalSets = Enumerable.Range(0, 5)
            .Select(seed => DatasetSplitter.Split(Examples(100), 0.2, seed, stratify: false)
                .Where(e => e.Split == DatasetSplitter.Eval)
                .Select(e => e.Text)
                .Order(StringComparer.Ordinal)
                .ToList())
            .ToList();

        for (var a = 0; a < evalSets.Count; a++)
        {
            for (var b = a + 1; b < evalSets.Count; b++)
            {
                Assert.NotEqual(evalSets[a], evalSets[b]);
            }
        }
    }

    [Fact]
    public void TheInputHashIsTheKeyWhenPresent()
    {
        List<TextcatExample> WithHashes(string prefix) =>
            Enumerable.Range(0, 50).Select(i => new TextcatExample($"{prefix} {i}") { InputHash = 1000 + i }).ToList();

        var original = DatasetSplitter.Split(WithHashes("original"), 0.3, seed: 3, stratify: false);
        var renamed = DatasetSplitter.Split(WithHashes("edited text"), 0.3, seed: 3, stratify: false);

        Assert.Equal(original.Select(e => e.Split), renamed.Select(e => e.Split));
    }

    [Fact]
    public void TheSplitIsStableAcrossReleases()
    {
        // Pins the hash (values computed independently from the FNV-1a and MurmurHash3 definitions): a
        // change here silently reshuffles every user's train/eval split.
        var examples = Examples(10);

        DatasetSplitter.Split(examples, 0.3, seed: 1, stratify: false);

        Assert.Equal(
            ["text number 0", "text number 6", "text number 7"],
            examples.Where(e => e.Split == DatasetSplitter.Eval).Select(e => e.Text));
        Assert.Equal(0xF61CA315C0A560A3UL, DatasetSplitter.Rank(new TextcatExample("x") { InputHash = 5 }, 0));
    }

    [Fact]
    public void StratifyKeepsEachLabelCombinationsProportion()
    {
        // 50 A, 30 B, 20 A+B: a 20% eval set takes exactly 10, 6 and 4 of them.
        var examples = Examples(100, i => i < 50 ? ["A"] : i < 80 ? ["B"] : ["B", "A"]);

        DatasetSplitter.Split(Shuffle(examples, 1), 0.2, seed: 9, stratify: true);

        var eval = examples.Where(e => e.Split == DatasetSplitter.Eval).ToList();
        Assert.Equal(10, eval.Count(e => e.PositiveLabels.SequenceEqual(["A"])));
        Assert.Equal(6, eval.Count(e => e.PositiveLabels.SequenceEqual(["B"])));
        Assert.Equal(4, eval.Count(e => e.PositiveLabels.Count() == 2));
    }

    [Fact]
    public void StratifyGivesLeftoverPlacesByLargestRemainder()
    {
        // Sizes 7, 7, 6 and 5 eval places: exact shares 1.75, 1.75, 1.5 → 2, 2, 1.
        Assert.Equal([2, 2, 1], DatasetSplitter.Allocate([7, 7, 6], 20, 5));
        // Sizes 1, 1, 1, 97 and 10 places: 0.1, 0.1, 0.1, 9.7 → the large group takes the leftover.
        Assert.Equal([0, 0, 0, 10], DatasetSplitter.Allocate([1, 1, 1, 97], 100, 10));

        var examples = Examples(20, i => i < 7 ? ["A"] : i < 14 ? ["B"] : []);
        DatasetSplitter.Split(examples, 0.25, seed: 2, stratify: true);
        var eval = examples.Where(e => e.Split == DatasetSplitter.Eval).ToList();
        Assert.Equal(5, eval.Count);
        Assert.Equal(2, eval.Count(e => e.PositiveLabels.SequenceEqual(["A"])));
        Assert.Equal(2, eval.Count(e => e.PositiveLabels.SequenceEqual(["B"])));
        Assert.Equal(1, eval.Count(e => !e.PositiveLabels.Any()));
    }

    [Fact]
    public void StratifiedGroupsSendTheirLowestRankedMembers()
    {
        var examples = Examples(30, i => i % 2 == 0 ? ["A"] : ["B"]);

        DatasetSplitter.Split(examples, 0.2, seed: 4, stratify: true);

        foreach (var group in examples.GroupBy(e => e.PositiveLabels.Single()))
        {
            var byRank = group.OrderBy(e => DatasetSplitter.Rank(e, 4)).ToList();
            var evalCount = byRank.Count(e => e.Split == DatasetSplitter.Eval);
            Assert.All(byRank.Take(evalCount), e => Assert.Equal(DatasetSplitter.Eval, e.Split));
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void AFractionOutsideZeroToOneIsRejected(double fraction)
    {
        var exception = Assert.Throws<UptrainException>(() => DatasetSplitter.Split(Examples(5), fraction, 1, false));

        Assert.Equal("InvalidEvalFraction", exception.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, exception.Kind);
    }
}
