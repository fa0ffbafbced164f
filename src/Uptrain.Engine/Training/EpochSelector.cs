namespace Uptrain.Training;

/// <summary>What to do after an epoch: keep its weights as the run's result, and whether to stop training.</summary>
/// <param name="Keep">This epoch's weights replace those kept so far.</param>
/// <param name="Stop">Training should stop now (early stopping).</param>
public readonly record struct EpochDecision(bool Keep, bool Stop);

/// <summary>
/// Chooses the epoch whose weights a run keeps, and when it stops early, from the eval score after every epoch. A pure
/// rule, so that it is tested on constructed score sequences.
/// </summary>
/// <remarks>
/// <para>
/// Selection: an eval set of a few hundred texts measures a score with a standard error of a few points, so an early
/// epoch that happens to score a little higher is no reason to throw away later ones that have trained longer with a
/// settled learning rate (bench/results/2026-12-03-defaults-measured.md).
/// An epoch is kept when its score is at least the best score so far less <see cref="Tolerance"/> (the score's binomial
/// standard error on the eval set): of epochs that the eval set cannot tell apart, the latest is kept.
/// </para>
/// <para>
/// Stopping: after <c>patience</c> epochs in a row without a new best score, but never before the end of warm-up nor
/// in the first half of the schedule (<see cref="FirstStoppingEpoch"/>), while the learning rate is still high and the
/// score still moves, and never after the last epoch (there is nothing left to stop).
/// </para>
/// </remarks>
public sealed class EpochSelector
{
    private readonly int _epochs;
    private readonly int _patience;
    private readonly int _evalExamples;
    private int _sinceTop;

    /// <param name="epochs">Epochs of the run.</param>
    /// <param name="stepsPerEpoch">Optimiser steps per epoch.</param>
    /// <param name="warmupSteps">Steps of learning-rate warm-up.</param>
    /// <param name="patience">Epochs without a new best score before an early stop (1 or more).</param>
    /// <param name="evalExamples">Texts in the eval set: the fewer, the noisier the score.</param>
    public EpochSelector(int epochs, int stepsPerEpoch, int warmupSteps, int patience, int evalExamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfLessThan(patience, 1);
        _epochs = epochs;
        _patience = patience;
        _evalExamples = Math.Max(1, evalExamples);

        // The first epoch that ends at or after both the end of warm-up and half of all steps.
        var totalSteps = (long)epochs * stepsPerEpoch;
        var earliestStep = Math.Max(warmupSteps, (totalSteps + 1) / 2);
        FirstStoppingEpoch = (int)Math.Min(epochs, Math.Max(1, (earliestStep + stepsPerEpoch - 1) / stepsPerEpoch));
    }

    /// <summary>The first epoch after which training may stop early.</summary>
    public int FirstStoppingEpoch { get; }

    /// <summary>The epoch whose weights are kept; 0 before any.</summary>
    public int KeptEpoch { get; private set; }

    /// <summary>The best score seen so far (not necessarily the kept epoch's); NaN before any.</summary>
    public double TopScore { get; private set; } = double.NaN;

    /// <summary>Epochs in a row since the best score last rose.</summary>
    public int EpochsWithoutImprovement => _sinceTop;

    /// <summary>
    /// The noise allowed below the best score: its binomial standard error on <paramref name="evalExamples"/> texts,
    /// √(s(1 − s) / n), for a score s between 0 and 1.
    /// </summary>
    public static double Tolerance(double score, int evalExamples)
    {
        var s = Math.Clamp(score, 0, 1);
        return Math.Sqrt(s * (1 - s) / Math.Max(1, evalExamples));
    }

    /// <summary>Records the eval score of <paramref name="epoch"/> (1, 2, … in order) and says what to do.</summary>
    public EpochDecision Add(int epoch, double score)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, 1);
        var keep = false;
        if (double.IsNaN(TopScore) || score > TopScore)
        {
            TopScore = score;
            _sinceTop = 0;
            keep = true;
        }
        else
        {
            _sinceTop++;
            keep = score >= TopScore - Tolerance(TopScore, _evalExamples);
        }

        if (keep)
        {
            KeptEpoch = epoch;
        }

        var stop = _sinceTop >= _patience && epoch >= FirstStoppingEpoch && epoch < _epochs;
        return new EpochDecision(keep, stop);
    }
}
