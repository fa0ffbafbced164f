using Uptrain.Training;

namespace Uptrain.Tests.Training;

public sealed class EpochSelectorTests
{
    /// <summary>Feeds the scores of epochs 1, 2, … and returns the decisions.</summary>
    private static List<EpochDecision> Run(EpochSelector selector, params double[] scores) =>
        scores.Select((score, i) => selector.Add(i + 1, score)).ToList();

    [Fact]
    public void OfEpochsWithinTheEvalSetsNoiseTheLatestIsKept()
    {
        // 300 eval texts: the standard error of a score near 0.8 is 0.023. Epoch 1's 0.80 is no better than 0.79.
        var selector = new EpochSelector(epochs: 6, stepsPerEpoch: 20, warmupSteps: 12, patience: 10, evalExamples: 300);

        var decisions = Run(selector, 0.80, 0.78, 0.79, 0.79, 0.785, 0.79);

        Assert.Equal(6, selector.KeptEpoch);
        Assert.Equal(0.80, selector.TopScore);
        Assert.All(decisions, d => Assert.True(d.Keep));
    }

    [Fact]
    public void AnEpochClearlyBelowTheBestIsNotKept()
    {
        var selector = new EpochSelector(epochs: 4, stepsPerEpoch: 20, warmupSteps: 8, patience: 10, evalExamples: 300);

        var decisions = Run(selector, 0.70, 0.80, 0.75, 0.70);

        Assert.Equal(2, selector.KeptEpoch);
        Assert.Equal([true, true, false, false], decisions.Select(d => d.Keep));
    }

    [Fact]
    public void ALargeEvalSetTellsSmallDifferencesApart()
    {
        var selector = new EpochSelector(epochs: 3, stepsPerEpoch: 20, warmupSteps: 6, patience: 10, evalExamples: 100_000);

        Run(selector, 0.80, 0.79, 0.795);

        Assert.Equal(1, selector.KeptEpoch);
        Assert.Equal(Math.Sqrt(0.8 * 0.2 / 100_000), EpochSelector.Tolerance(0.8, 100_000), 12);
        Assert.Equal(0, EpochSelector.Tolerance(1.0, 300));
    }

    [Fact]
    public void NoEarlyStopInTheFirstHalfOfTheSchedule()
    {
        // 8 epochs of 10 steps: the first half ends with epoch 4. Patience 2 runs out after epoch 3 already.
        var selector = new EpochSelector(epochs: 8, stepsPerEpoch: 10, warmupSteps: 8, patience: 2, evalExamples: 300);

        var decisions = Run(selector, 0.90, 0.60, 0.60, 0.60, 0.60);

        Assert.Equal(4, selector.FirstStoppingEpoch);
        Assert.Equal([false, false, false, true, true], decisions.Select(d => d.Stop));
        Assert.Equal(1, selector.KeptEpoch);
    }

    [Fact]
    public void NoEarlyStopDuringWarmUp()
    {
        // Warm-up over 60 of 80 steps ends in epoch 6, after the half.
        var selector = new EpochSelector(epochs: 8, stepsPerEpoch: 10, warmupSteps: 60, patience: 1, evalExamples: 300);

        var decisions = Run(selector, 0.9, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5);

        Assert.Equal(6, selector.FirstStoppingEpoch);
        Assert.Equal(6, decisions.FindIndex(d => d.Stop) + 1);
    }

    [Fact]
    public void ANewBestScoreResetsThePatienceAndTheLastEpochNeverStops()
    {
        var selector = new EpochSelector(epochs: 6, stepsPerEpoch: 10, warmupSteps: 6, patience: 2, evalExamples: 300);

        var decisions = Run(selector, 0.5, 0.6, 0.7, 0.4, 0.9, 0.1);

        Assert.All(decisions, d => Assert.False(d.Stop));
        Assert.Equal(1, selector.EpochsWithoutImprovement);
        Assert.Equal(5, selector.KeptEpoch);
    }

    [Fact]
    public void ASingleEpochRunCanStopOnlyAfterIt()
    {
        var selector = new EpochSelector(epochs: 1, stepsPerEpoch: 3, warmupSteps: 1, patience: 1, evalExamples: 10);

        var decision = selector.Add(1, 0.5);

        Assert.Equal(1, selector.FirstStoppingEpoch);
        Assert.Equal(new EpochDecision(Keep: true, Stop: false), decision);
    }
}
