using System.Diagnostics;
using Uptrain.Diagnostics;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Training;

/// <summary>
/// What one model kind gives <see cref="EpochTrainer"/>: a pass over its training data, a score on its eval data, and
/// a copy of its weights to keep and put back. The trainer owns everything else (the ML.NET <c>TrainerBase</c> shape).
/// </summary>
internal interface IEpochModel
{
    /// <summary>Optimiser steps (batches, or a student's chunks of examples) in one epoch.</summary>
    int StepsPerEpoch { get; }

    /// <summary>Steps of learning-rate warm-up; no early stop before they are over.</summary>
    int WarmupSteps { get; }

    /// <summary>
    /// One pass over the training data. <paramref name="stepDone"/> is called on the calling thread as steps finish (steps
    /// done in this epoch, examples done, mean loss so far); the pass checks <paramref name="cancellationToken"/> between
    /// steps and returns early, with <see cref="EpochPass.Cancelled"/> set, when it is cancelled.
    /// </summary>
    EpochPass TrainEpoch(int epoch, Action<int, int, double> stepDone, CancellationToken cancellationToken);

    /// <summary>The eval score of the current weights.</summary>
    TextcatScore Evaluate();

    /// <summary>Copies the current weights as the ones to keep (replacing any kept before).</summary>
    void KeepWeights();

    /// <summary>Puts the kept weights back.</summary>
    void RestoreKeptWeights();
}

/// <summary>What one pass over the training data did.</summary>
/// <param name="Loss">The mean training loss of the steps run.</param>
/// <param name="Steps">Steps run.</param>
/// <param name="Examples">Examples trained on.</param>
/// <param name="Cancelled">True when the pass stopped early for a cancelled token.</param>
internal readonly record struct EpochPass(double Loss, int Steps, int Examples, bool Cancelled);

/// <summary>How a run ended: its epochs, the kept one and its score, and why it ended.</summary>
/// <param name="History">Every finished epoch.</param>
/// <param name="KeptEpoch">The epoch whose weights the model holds; 0 when stopped before one finished (the weights at the stop).</param>
/// <param name="KeptScore">The eval score of the weights the model holds.</param>
/// <param name="Stopped">True when cancelled.</param>
/// <param name="EarlyStopped">True when stopped for lack of a better eval score.</param>
internal sealed record EpochRun(IReadOnlyList<EpochResult> History, int KeptEpoch, TextcatScore KeptScore, bool Stopped, bool EarlyStopped)
{
    /// <summary>The <see cref="TrainingResult"/> of the run, once its model is in <paramref name="modelPath"/>.</summary>
    public TrainingResult ToResult(string modelPath, TimeSpan duration, ModelCard card) => new()
    {
        ModelPath = modelPath,
        BestEpoch = KeptEpoch,
        BestScore = KeptScore.Score,
        ScoreDescription = KeptScore.ScoreDescription,
        History = History,
        Duration = duration,
        Stopped = Stopped,
        EarlyStopped = EarlyStopped,
        Card = card,
    };
}

/// <summary>The names a run's progress shows, and its activity ids.</summary>
/// <param name="Activity">The run's activity, such as "Training the teacher".</param>
/// <param name="RunActivityId">The parent activity: one step per epoch.</param>
/// <param name="EpochActivityId">The child activity: the current epoch's steps.</param>
internal sealed record TrainingProgress(string Activity, int RunActivityId, int EpochActivityId);

/// <summary>
/// The one epoch loop of every trainer: it trains an <see cref="IEpochModel"/> epoch by epoch, scores it after each, lets
/// <see cref="EpochSelector"/> say which weights to keep and when to stop early, reports progress (epoch as parent, steps
/// as child, always completed) and a verbose line per epoch, and at the end leaves the kept weights in the model.
/// </summary>
/// <remarks>
/// A stop (the token cancelled) ends the current step and keeps the best epoch so far. Stopped before the first epoch
/// finished, the model keeps the weights it has, scored as they are, as long as at least one step ran; stopped before any
/// step ran, nothing was trained and the run ends with <see cref="OperationCanceledException"/>, so that no model is written.
/// The rule is the same for every model kind.
/// </remarks>
/// <param name="epochs">Epochs of the run.</param>
/// <param name="patience">Epochs without a better eval score before an early stop.</param>
/// <param name="evalExamples">Texts the eval score is measured on.</param>
/// <param name="progress">What the progress bars are called.</param>
/// <param name="output">Verbose lines and progress, called on the calling thread.</param>
internal sealed class EpochTrainer(int epochs, int patience, int evalExamples, TrainingProgress progress, IOutputWriter output)
{
    /// <summary>Trains <paramref name="model"/> until the last epoch, an early stop or a stop.</summary>
    /// <exception cref="OperationCanceledException">Stopped before any step ran.</exception>
    /// <exception cref="UptrainException"><c>TrainingDiverged</c>: an epoch's loss is not a finite number.</exception>
    public EpochRun Run(IEpochModel model, double learningRate, CancellationToken cancellationToken)
    {
        var steps = Math.Max(1, model.StepsPerEpoch);
        var totalSteps = (long)steps * epochs;
        var selector = new EpochSelector(epochs, steps, model.WarmupSteps, patience, evalExamples);
        var history = new List<EpochResult>();
        var clock = Stopwatch.StartNew();
        var stepsRun = 0L;
        TextcatScore? keptScore = null;
        var stopped = false;
        var earlyStopped = false;
        try
        {
            for (var epoch = 1; epoch <= epochs; epoch++)
            {
                output.WriteProgress(new ProgressInfo(progress.RunActivityId, progress.Activity, Format(Messages.TrainingEpochStatus, epoch, epochs), Percent(stepsRun, totalSteps), SecondsLeft(clock, stepsRun, totalSteps)));
                var epochClock = Stopwatch.StartNew();
                var before = stepsRun;
                var pass = model.TrainEpoch(epoch, (done, examples, loss) =>
                {
                    stepsRun = before + done;
                    output.WriteProgress(new ProgressInfo(
                        progress.EpochActivityId,
                        Format(Messages.TrainingStepActivity, epoch),
                        Format(Messages.TrainingStepStatus, done, steps, loss, examples / Math.Max(epochClock.Elapsed.TotalSeconds, 1e-9)),
                        Percent(done, steps),
                        SecondsLeft(clock, stepsRun, totalSteps),
                        progress.RunActivityId));
                }, cancellationToken);
                stepsRun = before + pass.Steps;
                if (pass.Cancelled)
                {
                    stopped = true;
                    output.WriteVerbose(Format(Messages.TrainingStopped, pass.Steps, epoch, keptScore is not null
                        ? Format(Messages.TrainingKeptEpoch, selector.KeptEpoch, keptScore.ScoreDescription, keptScore.Score)
                        : Messages.TrainingKeptNothingYet));
                    break;
                }

                if (!double.IsFinite(pass.Loss))
                {
                    throw new UptrainException("TrainingDiverged", ErrorKind.InvalidOperation, Format(Messages.StudentTrainingDiverged, epoch, learningRate), learningRate);
                }

                var trainTime = epochClock.Elapsed;
                var examplesPerSecond = pass.Examples / Math.Max(trainTime.TotalSeconds, 1e-9);
                output.WriteProgress(new ProgressInfo(progress.EpochActivityId, Format(Messages.TrainingStepActivity, epoch), Format(Messages.TrainingEvaluating, evalExamples), 100, SecondsLeft(clock, stepsRun, totalSteps), progress.RunActivityId));
                var score = model.Evaluate();
                history.Add(new EpochResult(epoch, pass.Loss, score.Score, score.MacroF, examplesPerSecond, trainTime.TotalSeconds));
                output.WriteVerbose(Format(Messages.TrainingEpochSummary, epoch, epochs, pass.Loss, score.ScoreDescription, score.Score, score.MacroF, examplesPerSecond, trainTime.TotalSeconds));
                var decision = selector.Add(epoch, score.Score);
                if (decision.Keep)
                {
                    keptScore = score;
                    model.KeepWeights();
                }

                if (decision.Stop)
                {
                    earlyStopped = true;
                    output.WriteVerbose(Format(Messages.TrainingEarlyStop, selector.EpochsWithoutImprovement, epoch, selector.KeptEpoch));
                    break;
                }
            }
        }
        finally
        {
            output.WriteProgress(new ProgressInfo(progress.EpochActivityId, progress.Activity, string.Empty, 100, 0, progress.RunActivityId, Completed: true));
            output.WriteProgress(new ProgressInfo(progress.RunActivityId, progress.Activity, string.Empty, 100, 0, Completed: true));
        }

        if (keptScore is not null)
        {
            model.RestoreKeptWeights();
            return new EpochRun(history, selector.KeptEpoch, keptScore, stopped, earlyStopped);
        }

        if (stepsRun == 0)
        {
            // Nothing was trained: the weights are the starting ones, not a model worth a folder.
            output.WriteVerbose(Messages.TrainingStoppedBeforeAnyStep);
            throw new OperationCanceledException(cancellationToken);
        }

        var current = model.Evaluate();
        output.WriteVerbose(Format(Messages.TrainingKeptCurrent, current.ScoreDescription, current.Score));
        return new EpochRun(history, 0, current, stopped, earlyStopped);
    }

    private static int Percent(long done, long total) => total <= 0 ? 100 : (int)Math.Clamp(100L * done / total, 0, 100);

    private static int SecondsLeft(Stopwatch clock, long done, long total) =>
        done <= 0 ? -1 : (int)Math.Ceiling(clock.Elapsed.TotalSeconds / done * (total - done));
}
