using Uptrain.Uptraining;

namespace Uptrain.Tests.Uptraining;

public sealed class TriageRouterTests
{
    private static readonly ModelCard Exclusive = Predictions.Card(true, "billing", "bug", "other");
    private static readonly ModelCard Multilabel = Predictions.Card(false, "billing", "bug", "urgent");
    private static readonly TriageOptions Plain = new();

    private static ThresholdSet Shared(bool exclusive, double high, double low) =>
        new(exclusive, [new LabelThreshold(ThresholdSet.SharedLabel, high, low)]);

    [Theory]
    [InlineData(0.95, TriageRoute.Accept)]
    [InlineData(0.90, TriageRoute.Accept)]
    [InlineData(0.89, TriageRoute.Review)]
    [InlineData(0.50, TriageRoute.Review)]
    [InlineData(0.34, TriageRoute.Skip)]
    public void ExclusiveRoutesByTheTopProbability(double top, TriageRoute expected)
    {
        var rest = (1 - top) / 2;
        var prediction = Predictions.Of(Exclusive, "t", rest, top, rest);

        var decision = TriageRouter.Decide(prediction, Shared(true, 0.9, 0.34), Plain);

        Assert.Equal(expected, decision.Route);
        if (expected == TriageRoute.Accept)
        {
            Assert.Equal([("billing", 0.0), ("bug", 1.0), ("other", 0.0)], decision.Cats.Select(c => (c.Key, c.Value)));
            Assert.Empty(decision.UncertainLabels);
        }
        else
        {
            Assert.Empty(decision.Cats);
            Assert.Equal(expected == TriageRoute.Review ? ["bug"] : Array.Empty<string>(), decision.UncertainLabels);
        }
    }

    [Fact]
    public void ExclusiveUsesTheTopLabelsOwnPair()
    {
        var set = new ThresholdSet(true, [new LabelThreshold("billing", 0.6, 0), new LabelThreshold("bug", 0.95, 0), new LabelThreshold("other", 0.9, 0)]);

        Assert.Equal(TriageRoute.Accept, TriageRouter.Decide(Predictions.Of(Exclusive, "a", 0.7, 0.2, 0.1), set, Plain).Route);
        Assert.Equal(TriageRoute.Review, TriageRouter.Decide(Predictions.Of(Exclusive, "b", 0.05, 0.9, 0.05), set, Plain).Route);
    }

    [Fact]
    public void AHighOfOneAcceptsNothingAndALowOfZeroSkipsNothing()
    {
        var exclusive = Shared(true, 1, 0);
        var multilabel = Shared(false, 1, 0);

        Assert.Equal(TriageRoute.Review, TriageRouter.Decide(Predictions.Of(Exclusive, "a", 1, 0, 0), exclusive, Plain).Route);
        Assert.Equal(TriageRoute.Review, TriageRouter.Decide(Predictions.Of(Exclusive, "b", 0.34, 0.33, 0.33), exclusive, Plain).Route);
        var certain = TriageRouter.Decide(Predictions.Of(Multilabel, "c", 1, 0, 0), multilabel, new TriageOptions { AcceptPartial = true, KeepNegatives = true });
        Assert.Equal(TriageRoute.Review, certain.Route);
        Assert.Equal(["billing", "bug", "urgent"], certain.UncertainLabels);
    }

    [Fact]
    public void MultilabelAcceptsWhenEveryLabelIsDecisive()
    {
        var decision = TriageRouter.Decide(Predictions.Of(Multilabel, "t", 0.97, 0.02, 0.91), Shared(false, 0.9, 0.1), Plain);

        Assert.Equal(TriageRoute.Accept, decision.Route);
        Assert.Equal([("billing", 1.0), ("bug", 0.0), ("urgent", 1.0)], decision.Cats.Select(c => (c.Key, c.Value)));
    }

    [Fact]
    public void MultilabelSendsAnUncertainLabelToReviewUnlessAcceptPartial()
    {
        var prediction = Predictions.Of(Multilabel, "t", 0.97, 0.02, 0.5);
        var set = Shared(false, 0.9, 0.1);

        var review = TriageRouter.Decide(prediction, set, Plain);
        var partial = TriageRouter.Decide(prediction, set, new TriageOptions { AcceptPartial = true });

        Assert.Equal(TriageRoute.Review, review.Route);
        Assert.Empty(review.Cats);
        Assert.Equal(["urgent"], review.UncertainLabels);
        Assert.Equal(TriageRoute.Accept, partial.Route);
        Assert.Equal([("billing", 1.0), ("bug", 0.0)], partial.Cats.Select(c => (c.Key, c.Value)));
        Assert.Equal(["urgent"], partial.UncertainLabels);
    }

    [Fact]
    public void AllNegativeIsSkippedUnlessKeepNegatives()
    {
        var prediction = Predictions.Of(Multilabel, "t", 0.01, 0.02, 0.05);
        var set = Shared(false, 0.9, 0.1);

        Assert.Equal(TriageRoute.Skip, TriageRouter.Decide(prediction, set, Plain).Route);
        var kept = TriageRouter.Decide(prediction, set, new TriageOptions { KeepNegatives = true });
        Assert.Equal(TriageRoute.Accept, kept.Route);
        Assert.Equal([0.0, 0.0, 0.0], kept.Cats.Values);
    }

    [Fact]
    public void NegativesWithAnUncertainLabelNeedBothSwitchesToBeAccepted()
    {
        var prediction = Predictions.Of(Multilabel, "t", 0.01, 0.02, 0.5);
        var set = Shared(false, 0.9, 0.1);

        Assert.Equal(TriageRoute.Review, TriageRouter.Decide(prediction, set, new TriageOptions { AcceptPartial = true }).Route);
        Assert.Equal(TriageRoute.Review, TriageRouter.Decide(prediction, set, new TriageOptions { KeepNegatives = true }).Route);
        var both = TriageRouter.Decide(prediction, set, new TriageOptions { AcceptPartial = true, KeepNegatives = true });
        Assert.Equal(TriageRoute.Accept, both.Route);
        Assert.Equal([("billing", 0.0), ("bug", 0.0)], both.Cats.Select(c => (c.Key, c.Value)));
    }

    [Fact]
    public void AcceptPartialNeedsADecisiveLabel()
    {
        var prediction = Predictions.Of(Multilabel, "t", 0.5, 0.5, 0.5);

        var decision = TriageRouter.Decide(prediction, Shared(false, 0.9, 0.1), new TriageOptions { AcceptPartial = true, KeepNegatives = true });

        Assert.Equal(TriageRoute.Review, decision.Route);
    }

    [Fact]
    public void ALabelMissingFromTheSetIsNeverDecisive()
    {
        var set = new ThresholdSet(false, [new LabelThreshold("billing", 0.9, 0.1), new LabelThreshold("bug", 0.9, 0.1)]);
        var prediction = Predictions.Of(Multilabel, "t", 0.99, 0.01, 0.99);

        var review = TriageRouter.Decide(prediction, set, Plain);
        var partial = TriageRouter.Decide(prediction, set, new TriageOptions { AcceptPartial = true });

        Assert.Equal(TriageRoute.Review, review.Route);
        Assert.Equal(["urgent"], review.UncertainLabels);
        Assert.Equal([("billing", 1.0), ("bug", 0.0)], partial.Cats.Select(c => (c.Key, c.Value)));
    }

    [Fact]
    public void ExclusiveWithTheTopLabelMissingFromTheSetGoesToReview()
    {
        var set = new ThresholdSet(true, [new LabelThreshold("billing", 0.5, 0.4)]);

        var decision = TriageRouter.Decide(Predictions.Of(Exclusive, "t", 0.01, 0.98, 0.01), set, Plain);

        Assert.Equal(TriageRoute.Review, decision.Route);
        Assert.Equal(["bug"], decision.UncertainLabels);
    }
}
