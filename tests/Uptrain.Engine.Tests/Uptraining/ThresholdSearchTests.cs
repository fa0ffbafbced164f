using Uptrain.Diagnostics;
using Uptrain.Metrics;
using Uptrain.Uptraining;

namespace Uptrain.Tests.Uptraining;

public sealed class ThresholdSearchTests
{
    private static readonly ModelCard ExclusiveCard = new() { Labels = ["a", "b"], Exclusive = true, Path = "/models/excl" };
    private static readonly ModelCard MultilabelCard = new() { Labels = ["x", "y"], Exclusive = false, Path = "/models/multi" };

    /// <summary>An exclusive prediction: top label <paramref name="top"/> at <paramref name="confidence"/>, gold <paramref name="gold"/> (null: no gold).</summary>
    private static TextcatPrediction Excl(string top, double confidence, string? gold, ModelCard? card = null)
    {
        var example = new TextcatExample($"text {top} {confidence} {gold} {Guid.NewGuid()}");
        if (gold is not null)
        {
            example.Cats["a"] = gold == "a" ? 1 : 0;
            example.Cats["b"] = gold == "b" ? 1 : 0;
        }
        var other = top == "a" ? "b" : "a";
        var scores = new LabelValues { [top] = confidence, [other] = 1 - confidence };
        var ordered = new LabelValues { ["a"] = scores["a"], ["b"] = scores["b"] };
        return new TextcatPrediction(example, ordered, card ?? ExclusiveCard);
    }

    /// <summary>A multilabel prediction with score <paramref name="x"/> for x (gold <paramref name="goldX"/>) and 0.5 for y (gold unknown).</summary>
    private static TextcatPrediction Multi(double x, double? goldX, double y = 0.5, double? goldY = null)
    {
        var example = new TextcatExample($"text {x} {y} {Guid.NewGuid()}");
        if (goldX is { } gx)
        {
            example.Cats["x"] = gx;
        }
        if (goldY is { } gy)
        {
            example.Cats["y"] = gy;
        }
        return new TextcatPrediction(example, new LabelValues { ["x"] = x, ["y"] = y }, MultilabelCard);
    }

    private static IEnumerable<TextcatPrediction> Many(int count, Func<int, TextcatPrediction> make) => Enumerable.Range(0, count).Select(make);

    private static ThresholdSet Find(IEnumerable<TextcatPrediction> predictions, ThresholdSearchOptions? options = null, CollectingOutputWriter? output = null) =>
        ThresholdSearch.Find(predictions.ToList(), options ?? new ThresholdSearchOptions(), output ?? new CollectingOutputWriter());

    [Theory]
    [InlineData(19, 20, 0.80399)]
    [InlineData(190, 200, 0.91811)]
    [InlineData(20, 20, 0.88084)]
    [InlineData(1, 1, 0.26987)]
    [InlineData(0, 5, 0.0)]
    public void WilsonLowerBoundMatchesTheFormula(int successes, int trials, double expected) =>
        Assert.Equal(expected, WilsonBound.Lower(successes, trials), 4);

    [Fact]
    public void WilsonLowerBoundOfNoTrialsIsNaN() => Assert.True(double.IsNaN(WilsonBound.Lower(0, 0)));

    [Fact]
    public void ExclusiveHighIsTheLowestScoreWhoseAcceptedTextsReachTheTarget()
    {
        // 30 right at 0.9, then 10 wrong at 0.8, then 20 right at 0.7: above 0.7 are 50/60 = 0.83, above 0.9 30/30.
        var predictions = Many(30, _ => Excl("a", 0.9, "a"))
            .Concat(Many(10, _ => Excl("b", 0.8, "a")))
            .Concat(Many(20, _ => Excl("a", 0.7, "a")));
        var set = Find(predictions);
        var pair = Assert.Single(set.Labels);
        Assert.Equal(ThresholdSet.SharedLabel, pair.Label);
        Assert.True(set.Exclusive);
        Assert.Equal(0.9, pair.High);
        Assert.Equal(0.0, pair.Low);
        Assert.Equal(1.0, pair.Precision);
        Assert.Equal(30, pair.Support);
        Assert.Equal(WilsonBound.Lower(30, 30), pair.PrecisionLowerBound);
        Assert.True(pair.TargetReached);
        Assert.Equal(0.5, pair.AcceptShare);
        Assert.Equal(0.5, pair.ReviewShare);
        Assert.Equal(0.0, pair.SkipShare);
        Assert.Equal(0.5, set.AcceptShare);
        Assert.Equal(0.5, set.ReviewShare);
        Assert.Equal(60, set.Examples);
        Assert.Equal("/models/excl", set.Model);
    }

    [Fact]
    public void TiesGoTogether()
    {
        // 19 right and 3 wrong share the score 0.8: a High at 0.8 accepts all 42 above it (39/42 = 0.929 < 0.95), so
        // the High is the next score up, 0.85, which 20 right texts reach. Split, the tie would have given 39/39 at 0.8.
        var predictions = Many(20, _ => Excl("a", 0.85, "a"))
            .Concat(Many(19, _ => Excl("a", 0.8, "a")))
            .Concat(Many(3, _ => Excl("a", 0.8, "b")));
        var pair = Find(predictions).Labels[0];
        Assert.Equal(0.85, pair.High);
        Assert.Equal(20, pair.Support);
        var withTarget = Find(predictions, new ThresholdSearchOptions { TargetPrecision = 0.9 }).Labels[0];
        Assert.Equal(0.8, withTarget.High);
        Assert.Equal(42, withTarget.Support);
        Assert.Equal(39.0 / 42, withTarget.Precision, 12);
    }

    [Fact]
    public void ACandidateWithTooLittleSupportIsNotUsed()
    {
        // Only 19 texts above 0.9, all right; then wrong ones: no candidate has 20 texts at 0.95.
        var predictions = Many(19, _ => Excl("a", 0.95, "a")).Concat(Many(5, _ => Excl("a", 0.6, "b")));
        var output = new CollectingOutputWriter();
        var pair = Find(predictions, output: output).Labels[0];
        Assert.Equal(1.0, pair.High);
        Assert.False(pair.TargetReached);
        Assert.Equal(0, pair.Support);
        Assert.True(double.IsNaN(pair.Precision));
        Assert.Equal(0.0, pair.AcceptShare);
        var warning = Assert.Single(output.Warnings);
        Assert.Contains("'*'", warning, StringComparison.Ordinal);
        Assert.Contains("19 of 24", warning, StringComparison.Ordinal);
        // With a minimum support of 19 the 19 right texts suffice.
        Assert.Equal(0.95, Find(predictions, new ThresholdSearchOptions { MinSupport = 19 }).Labels[0].High);
    }

    [Fact]
    public void ATargetNeverReachedGivesHighOneAndAWarningWithTheBestPrecision()
    {
        // Every score band is 80% right: the best any candidate reaches is 0.8.
        var predictions = Enumerable.Range(0, 50).Select(i => Excl("a", 0.5 + i / 100.0, i % 5 == 0 ? "b" : "a"));
        var output = new CollectingOutputWriter();
        var set = Find(predictions, output: output);
        Assert.Equal(1.0, set.Labels[0].High);
        Assert.Equal(0.0, set.AcceptShare);
        Assert.Equal(1.0, set.ReviewShare);
        var warning = Assert.Single(output.Warnings);
        Assert.Contains("High is 1", warning, StringComparison.Ordinal);
        Assert.Matches(@"precision 0[.,]8[0-9]*, \d+ of \d+", warning);
    }

    [Fact]
    public void AHighOfExactlyOneIsNeverChosen()
    {
        // 25 texts score exactly 1 and are right: a High of 1 would accept nothing, so it is no pick; 0.99 is.
        var predictions = Many(25, _ => Excl("a", 1.0, "a")).Concat(Many(5, _ => Excl("a", 0.99, "a")));
        var output = new CollectingOutputWriter();
        var pair = Find(predictions, output: output).Labels[0];
        Assert.Equal(0.99, pair.High);
        Assert.Equal(30, pair.Support);
        var alone = Find(Many(25, _ => Excl("a", 1.0, "a")), output: output).Labels[0];
        Assert.Equal(1.0, alone.High);
        Assert.False(alone.TargetReached);
    }

    [Fact]
    public void ExclusiveTextsWithoutASinglePositiveGoldLabelAreLeftOutAndCounted()
    {
        var noGold = Many(10, _ => Excl("a", 0.99, null));
        var twoPositive = Many(5, _ =>
        {
            var p = Excl("a", 0.99, "a");
            p.Cats["b"] = 1;
            return p;
        });
        var predictions = Many(20, _ => Excl("a", 0.9, "a")).Concat(noGold).Concat(twoPositive).ToList();
        var output = new CollectingOutputWriter();
        var set = Find(predictions, output: output);
        Assert.Equal(0.9, set.Labels[0].High);
        Assert.Equal(20, set.Labels[0].Examples);
        Assert.Contains(output.Verbose, v => v.StartsWith("15 of 35", StringComparison.Ordinal));
        // Coverage routes every prediction, gold or not: all 35 score at least 0.9.
        Assert.Equal(35, set.Examples);
        Assert.Equal(1.0, set.AcceptShare);
    }

    [Fact]
    public void ExclusivePerLabelGroupsTextsByTopLabel()
    {
        // Label a is reliable from 0.7, label b only from 0.95.
        var predictions = Many(25, _ => Excl("a", 0.7, "a"))
            .Concat(Many(20, _ => Excl("b", 0.95, "b")))
            .Concat(Many(20, i => Excl("b", 0.7, i < 10 ? "a" : "b")));
        var set = Find(predictions, new ThresholdSearchOptions { PerLabel = true });
        Assert.Equal(["a", "b"], set.Labels.Select(l => l.Label));
        Assert.Equal(0.7, set.For("a")!.High);
        Assert.Equal(0.95, set.For("b")!.High);
        Assert.Equal(25, set.For("a")!.Examples);
        Assert.Equal(40, set.For("b")!.Examples);
        Assert.Equal(0.5, set.For("b")!.AcceptShare);
        Assert.Equal(45.0 / 65, set.AcceptShare, 12);
        // One shared pair: the pooled texts at 0.7 are 45/65 right, so only 0.95 qualifies.
        var shared = Find(predictions);
        Assert.Equal(0.95, Assert.Single(shared.Labels).High);
    }

    [Fact]
    public void ExclusiveLowIsZeroUnlessGiven()
    {
        var predictions = Many(20, _ => Excl("a", 0.9, "a")).Concat(Many(10, _ => Excl("a", 0.55, "b")));
        var pair = Find(predictions).Labels[0];
        Assert.Equal(0.0, pair.Low);
        Assert.Equal(0.0, pair.SkipShare);
        var given = Find(predictions, new ThresholdSearchOptions { Low = 0.6 });
        Assert.Equal(0.6, given.Labels[0].Low);
        Assert.Equal(10, given.Labels[0].NegativeSupport);
        Assert.True(double.IsNaN(given.Labels[0].NegativePrecision));
        Assert.Equal(10.0 / 30, given.SkipShare, 12);
    }

    [Fact]
    public void MultilabelFindsHighAndLowPerLabelOverKnownGold()
    {
        // x: 20 positives at 0.8, a mixed middle at 0.5, 30 negatives at 0.1. y's gold is never known.
        var predictions = Many(20, _ => Multi(0.8, 1))
            .Concat(Many(10, i => Multi(0.5, i % 2)))
            .Concat(Many(30, _ => Multi(0.1, 0)))
            .Concat(Many(7, _ => Multi(0.9, null)));
        var output = new CollectingOutputWriter();
        var set = Find(predictions, output: output);
        Assert.False(set.Exclusive);
        Assert.True(set.PerLabel);
        var x = set.For("x")!;
        Assert.Equal(0.8, x.High);
        Assert.Equal(0.1, x.Low);
        Assert.Equal(20, x.Support);
        Assert.Equal(30, x.NegativeSupport);
        Assert.Equal(1.0, x.NegativePrecision);
        Assert.Equal(WilsonBound.Lower(30, 30), x.NegativePrecisionLowerBound);
        Assert.Equal(60, x.Examples);
        Assert.Equal(20.0 / 60, x.AcceptShare, 12);
        Assert.Equal(30.0 / 60, x.SkipShare, 12);
        Assert.Contains(output.Verbose, v => v.StartsWith("7 predictions left out for label 'x'", StringComparison.Ordinal));
        var y = set.For("y")!;
        Assert.Equal(1.0, y.High);
        Assert.Equal(0.0, y.Low);
        Assert.Equal(0, y.Examples);
        Assert.Equal(2, output.Warnings.Count(w => w.Contains("'y'", StringComparison.Ordinal)));
        // y is uncertain everywhere: every text goes to review.
        Assert.Equal(1.0, set.ReviewShare);
    }

    [Fact]
    public void AMultilabelPositiveNeedsAHighOfAtLeastOneHalfAndANegativeALowOfAtMostOneHalf()
    {
        // Both labels separate perfectly on the held-out texts, but on the wrong side of 0.5: x's positives score 0.2
        // and its negatives 0.1; y's negatives score 0.7 and its positives 0.9. Accepting x at 0.2, or rejecting y at
        // 0.7, would make silver labels that contradict the model's own decision at 0.5.
        var predictions = Many(25, _ => Multi(0.2, 1, 0.7, 0))
            .Concat(Many(25, _ => Multi(0.1, 0, 0.9, 1)));
        var output = new CollectingOutputWriter();

        var set = Find(predictions, output: output);

        var x = set.For("x")!;
        Assert.Equal((1.0, false, 0.1), (x.High, x.TargetReached, x.Low));
        Assert.Contains(output.Warnings, w => w.StartsWith("Label 'x': no High", StringComparison.Ordinal));
        var y = set.For("y")!;
        Assert.Equal((0.9, 0.0), (y.High, y.Low));
    }

    [Fact]
    public void MultilabelLowUsesTheNegativeTargetAndNeverZero()
    {
        // 20 negatives at 0.0 only: a Low of 0 skips nothing, so it is no pick. 25 at 0.2 with 2 positives among them:
        // 43/45 = 0.956 reaches 0.95 but not 0.99.
        var predictions = Many(20, _ => Multi(0.0, 0))
            .Concat(Many(25, i => Multi(0.2, i < 2 ? 1 : 0)))
            .Concat(Many(20, _ => Multi(0.9, 1)));
        Assert.Equal(0.2, Find(predictions).For("x")!.Low);
        var strict = Find(predictions, new ThresholdSearchOptions { TargetNegativePrecision = 0.99 }).For("x")!;
        Assert.Equal(0.0, strict.Low);
        Assert.Equal(0, strict.NegativeSupport);
        Assert.Equal(0.9, strict.High);
    }

    [Fact]
    public void MultilabelSharedPairPoolsTheLabels()
    {
        var predictions = Many(20, _ => Multi(0.8, 1, 0.85, 1)).Concat(Many(20, _ => Multi(0.1, 0, 0.05, 0)));
        var set = Find(predictions, new ThresholdSearchOptions { PerLabel = false });
        var pair = Assert.Single(set.Labels);
        Assert.Equal(ThresholdSet.SharedLabel, pair.Label);
        Assert.False(set.PerLabel);
        Assert.Equal(0.8, pair.High);
        Assert.Equal(0.1, pair.Low);
        Assert.Equal(40, pair.Support);
        Assert.Equal(80, pair.Examples);
        Assert.Equal(0.5, set.AcceptShare);
        Assert.Equal(0.5, set.SkipShare);
    }

    [Fact]
    public void EmptyBandsGiveZeroShares()
    {
        // Everything decisive: nothing is left for review.
        var predictions = Many(20, _ => Multi(0.9, 1, 0.9, 1)).Concat(Many(20, _ => Multi(0.05, 0, 0.05, 0)));
        var set = Find(predictions);
        Assert.All(set.Labels, l => Assert.Equal(0.0, l.ReviewShare));
        Assert.Equal(0.0, set.ReviewShare);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void ATargetOutsideZeroToOneIsRefused(double target)
    {
        var ex = Assert.Throws<UptrainException>(() => Find(Many(3, _ => Excl("a", 0.9, "a")), new ThresholdSearchOptions { TargetPrecision = target }));
        Assert.Equal("InvalidTargetPrecision", ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void NoPredictionsNoGoldAndMixedModelsAreRefused()
    {
        Assert.Equal("NoPredictions", Assert.Throws<UptrainException>(() => Find([])).ErrorId);
        Assert.Equal("NoGold", Assert.Throws<UptrainException>(() => Find(Many(3, _ => Excl("a", 0.9, null)))).ErrorId);
        var other = new ModelCard { Labels = ["a", "b"], Exclusive = true, Path = "/models/other" };
        var mixed = new[] { Excl("a", 0.9, "a"), Excl("a", 0.9, "a", other) };
        var ex = Assert.Throws<UptrainException>(() => Find(mixed));
        Assert.Equal("MixedModels", ex.ErrorId);
        Assert.Contains("/models/other", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GoldLabelsTheModelDoesNotHaveAreNamed()
    {
        // The gold says "A" where the model says "a": nothing would ever count as right, silently.
        var card = new ModelCard { Labels = ["a", "b"], Exclusive = true, Path = "/models/lower" };
        var predictions = Many(25, _ =>
        {
            var example = new TextcatExample($"t {Guid.NewGuid()}");
            example.Cats["A"] = 1;
            example.Cats["other"] = 0;
            return new TextcatPrediction(example, new LabelValues { ["a"] = 0.9, ["b"] = 0.1 }, card);
        });
        var output = new CollectingOutputWriter();
        Find(predictions, output: output);
        Assert.Contains(output.Warnings, w => w.Contains("'A'", StringComparison.Ordinal) && w.Contains("'a'", StringComparison.Ordinal) && w.Contains("case", StringComparison.Ordinal));
        Assert.Contains(output.Warnings, w => w.Contains("'other'", StringComparison.Ordinal) && w.Contains("a, b", StringComparison.Ordinal));
    }
}
