using System.Diagnostics;
using Uptrain.Diagnostics;
using Uptrain.Metrics;
using Uptrain.Training;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Student;

/// <summary>What a student training run produced: the model with the kept epoch's weights, and how it got there.</summary>
/// <param name="Model">The trained student (the kept epoch's weights).</param>
/// <param name="History">Per finished epoch: loss, eval score, speed.</param>
/// <param name="BestEpoch">The epoch whose weights were kept; 0 when stopped before the first epoch finished.</param>
/// <param name="BestScore">The eval score of <paramref name="Model"/> (after quantization, when
/// <see cref="StudentTrainingOptions.Quantize"/> is set).</param>
/// <param name="TrainedExamples">Examples trained on.</param>
/// <param name="IgnoredExamples">Examples left out: no known label and no score.</param>
/// <param name="EvalExamples">Examples scored after every epoch.</param>
/// <param name="EvaluatedOnTraining">True when there was no eval data with gold and the training data was scored instead.</param>
/// <param name="Stopped">True when cancelled.</param>
/// <param name="EarlyStopped">True when stopped for lack of a better eval score.</param>
/// <param name="Duration">Wall time of the run.</param>
public sealed record StudentTrainingOutcome(
    StudentModel Model,
    IReadOnlyList<EpochResult> History,
    int BestEpoch,
    TextcatScore BestScore,
    int TrainedExamples,
    int IgnoredExamples,
    int EvalExamples,
    bool EvaluatedOnTraining,
    bool Stopped,
    bool EarlyStopped,
    TimeSpan Duration);

/// <summary>
/// Trains the student (<see cref="StudentModel"/>) on gold labels and the teacher's probabilities, in pure C#.
/// </summary>
/// <remarks>
/// Plain SGD with a learning rate that decays linearly from <see cref="StudentTrainingOptions.LearningRate"/> to 0 over
/// all examples of the run, one example per step, as fastText does: each step updates the output (and hidden) layer
/// and only the embedding rows of that text's features. Embedding rows start uniform in ±1/dimension (as fastText's), the output and hidden layers
/// Glorot-uniform, the biases at 0. Every epoch shuffles the
/// examples (seeded) and cuts them into chunks that <see cref="StudentTrainingOptions.Threads"/> threads take in turn and
/// train on without locks (Hogwild); with one thread the run is repeatable bit for bit. After every epoch the eval
/// examples are scored with <see cref="TextcatScoreAccumulator"/> (spaCy's arithmetic) and <see cref="EpochSelector"/>
/// decides which epoch's weights are kept and when to stop. The loss is <see cref="StudentLoss"/>'s, the targets
/// <see cref="StudentTargets"/>'.
/// </remarks>
public static class StudentTrainer
{
    /// <summary>The progress activity id of the run (one step per epoch).</summary>
    public const int RunActivityId = 1;

    /// <summary>Examples per chunk a thread takes at once; the cancellation token is checked between chunks.</summary>
    internal const int ChunkSize = 256;

    /// <summary>Trains a student. Nothing is written to disk (see <see cref="StudentFolder"/>).</summary>
    /// <param name="train">The training examples (gold and silver).</param>
    /// <param name="eval">Gold examples to score after every epoch (their <see cref="StudentExample.Cats"/>); null or
    /// none with Cats: the training examples' targets are scored instead.</param>
    /// <param name="options">Settings.</param>
    /// <param name="output">Verbose lines (one per epoch) and progress; called on the calling thread only.</param>
    /// <param name="cancellationToken">Checked between chunks; when cancelled, the best weights so far are returned.</param>
    /// <exception cref="UptrainException"><c>InvalidTrainingOption</c>, <c>NoLabels</c>, <c>NoTrainableExamples</c>;
    /// <c>TrainingDiverged</c> when the loss of an epoch is not a finite number (a learning rate far too high).</exception>
    public static StudentTrainingOutcome Train(
        IReadOnlyList<StudentExample> train,
        IReadOnlyList<StudentExample>? eval,
        StudentTrainingOptions options,
        IOutputWriter output,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        CheckOptions(options);
        var clock = Stopwatch.StartNew();
        var data = StudentTrainingData.Prepare(train, options, output);
        var random = new Random(options.Seed);
        var network = new StudentNetwork(data.Labels.Count, options.Dimension, options.Hidden, data.RowBuckets.Length);
        Initialise(network, random);
        var model = new StudentModel(data.Labels, data.Exclusive, data.Featurizer, data.RowBuckets, network);
        var evalSet = StudentEvaluation.Gold(eval, train, data);
        output.WriteVerbose(Format(
            Messages.StudentTrainingStart,
            data.Exclusive ? Messages.TaskExclusive : Messages.TaskMultilabel,
            data.Count,
            data.Labels.Count,
            string.Join(", ", data.Labels),
            data.RowBuckets.Length,
            options.Epochs,
            evalSet.Items.Count,
            evalSet.IsTraining ? Messages.DataTraining : Messages.DataEval));

        var loop = new StudentTrainingLoop(data, network, options, random);
        var run = RunEpochs(loop, model, evalSet, options, output, cancellationToken);
        var keptScore = run.KeptScore;
        if (options.Quantize && run.KeptEpoch > 0)
        {
            model = model.Quantize();
            keptScore = evalSet.Score(model, options.PositiveLabel);
            output.WriteVerbose(Format(Messages.StudentQuantized, keptScore.ScoreDescription, run.KeptScore.Score, keptScore.Score));
        }

        return new StudentTrainingOutcome(model, run.History, run.KeptEpoch, keptScore, data.Count, data.Ignored, evalSet.Items.Count, evalSet.IsTraining, run.Stopped, run.EarlyStopped, clock.Elapsed);
    }

    /// <summary>
    /// The epochs: train, score, let <see cref="EpochSelector"/> decide; at the end the kept epoch's weights are put back
    /// into <paramref name="model"/>'s network.
    /// </summary>
    private static EpochsRun RunEpochs(StudentTrainingLoop loop, StudentModel model, StudentEvaluation evalSet, StudentTrainingOptions options, IOutputWriter output, CancellationToken cancellationToken)
    {
        var network = model.Network;
        var examples = loop.Examples;
        var selector = new EpochSelector(options.Epochs, Math.Max(1, (examples + ChunkSize - 1) / ChunkSize), 0, options.Patience, evalSet.Items.Count);
        var history = new List<EpochResult>();
        StudentNetwork? kept = null;
        TextcatScore? keptScore = null;
        var stopped = false;
        var earlyStopped = false;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            output.WriteProgress(new ProgressInfo(RunActivityId, Messages.StudentTrainingActivity, Format(Messages.TrainingEpochStatus, epoch, options.Epochs), (epoch - 1) * 100 / options.Epochs));
            var epochClock = Stopwatch.StartNew();
            var loss = loop.RunEpoch(cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                stopped = true;
                break;
            }

            if (!double.IsFinite(loss))
            {
                throw new UptrainException("TrainingDiverged", ErrorKind.InvalidOperation, Format(Messages.StudentTrainingDiverged, epoch, options.LearningRate), options.LearningRate);
            }

            var seconds = epochClock.Elapsed;
            var score = evalSet.Score(model, options.PositiveLabel);
            history.Add(new EpochResult(epoch, loss, score.Score, score.MacroF, examples / Math.Max(seconds.TotalSeconds, 1e-9), seconds));
            output.WriteVerbose(Format(Messages.TrainingEpochSummary, epoch, options.Epochs, loss, score.ScoreDescription, score.Score, score.MacroF, history[^1].ExamplesPerSecond, seconds.TotalSeconds));
            var decision = selector.Add(epoch, score.Score);
            if (decision.Keep)
            {
                kept ??= new StudentNetwork(network.Labels, network.Dimension, network.Hidden, network.Rows);
                kept.CopyFrom(network);
                keptScore = score;
            }

            if (decision.Stop)
            {
                earlyStopped = true;
                output.WriteVerbose(Format(Messages.TrainingEarlyStop, selector.EpochsWithoutImprovement, epoch, selector.KeptEpoch));
                break;
            }
        }

        output.WriteProgress(new ProgressInfo(RunActivityId, Messages.StudentTrainingActivity, string.Empty, 100, 0, Completed: true));
        if (kept is not null)
        {
            network.CopyFrom(kept);
        }

        keptScore ??= evalSet.Score(model, options.PositiveLabel);
        return new EpochsRun(history, selector.KeptEpoch, keptScore, stopped, earlyStopped);
    }

    /// <summary>Embedding rows uniform in ±1/dimension, hidden and output weights Glorot-uniform, biases 0.</summary>
    private static void Initialise(StudentNetwork network, Random random)
    {
        var bound = 1f / network.Dimension;
        for (var i = 0; i < network.Embedding.Length; i++)
        {
            network.Embedding[i] = ((2 * random.NextSingle()) - 1) * bound;
        }

        // The output layer starts random, not at 0 as in fastText: with the rows near 0 as well, a zero output layer passes
        // almost no gradient back to them in the first epoch (measured: 0.02 macro F after one epoch, 0.89 random).
        var outputBound = MathF.Sqrt(6f / (network.InputWidth + network.Labels));
        for (var i = 0; i < network.OutputWeights.Length; i++)
        {
            network.OutputWeights[i] = ((2 * random.NextSingle()) - 1) * outputBound;
        }

        if (network.Hidden > 0)
        {
            var glorot = MathF.Sqrt(6f / (network.Dimension + network.Hidden));
            for (var i = 0; i < network.HiddenWeights.Length; i++)
            {
                network.HiddenWeights[i] = ((2 * random.NextSingle()) - 1) * glorot;
            }
        }
    }

    private static void CheckOptions(StudentTrainingOptions options)
    {
        static void Require(bool ok, string name, string rule, object value)
        {
            if (!ok)
            {
                throw new UptrainException("InvalidTrainingOption", ErrorKind.InvalidArgument, Format(Messages.InvalidTrainingOption, name, rule, value), value);
            }
        }

        Require(options.Epochs >= 1, nameof(options.Epochs), Messages.RuleOneOrMore, options.Epochs);
        Require(options.LearningRate > 0 && double.IsFinite(options.LearningRate), nameof(options.LearningRate), Messages.RulePositiveNumber, options.LearningRate);
        Require(options.Dimension >= 1, nameof(options.Dimension), Messages.RuleOneOrMore, options.Dimension);
        Require(options.Buckets is >= 1 and <= StudentTrainingOptions.MaxBuckets, nameof(options.Buckets), Format(Messages.RuleRange, 1, StudentTrainingOptions.MaxBuckets), options.Buckets);
        Require(options.WordNgrams >= 1, nameof(options.WordNgrams), Messages.RuleOneOrMore, options.WordNgrams);
        Require(options.MinCount >= 1, nameof(options.MinCount), Messages.RuleOneOrMore, options.MinCount);
        Require(options.Hidden >= 0, nameof(options.Hidden), Format(Messages.RuleRange, 0, int.MaxValue), options.Hidden);
        Require(options.Temperature > 0 && double.IsFinite(options.Temperature), nameof(options.Temperature), Messages.RulePositiveNumber, options.Temperature);
        Require(options.GoldWeight > 0 && double.IsFinite(options.GoldWeight), nameof(options.GoldWeight), Messages.RulePositiveNumber, options.GoldWeight);
        Require(options.Threads >= 0, nameof(options.Threads), Format(Messages.RuleRange, 0, int.MaxValue), options.Threads);
        Require(options.Patience >= 1, nameof(options.Patience), Messages.RuleOneOrMore, options.Patience);
    }
}

/// <summary>What the epochs of a run gave.</summary>
internal sealed record EpochsRun(IReadOnlyList<EpochResult> History, int KeptEpoch, TextcatScore KeptScore, bool Stopped, bool EarlyStopped);
