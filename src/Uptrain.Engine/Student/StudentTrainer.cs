using System.Diagnostics;
using Uptrain.Diagnostics;
using Uptrain.Metrics;
using Uptrain.Models;
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
/// <param name="WordOrderHistory">Per finished epoch of the word-order part (<see cref="StudentModel.HasWordOrder"/>): loss,
/// eval score of the whole student, speed; empty when it was not trained.</param>
/// <param name="WordOrderEpoch">The word-order part's kept epoch; 0 when the student has none.</param>
/// <param name="Temperature">The temperature of the teacher's scores the student was trained on
/// (<see cref="StudentTrainingOptions.Temperatures"/>).</param>
/// <param name="TemperatureScores">Per temperature tried whose run finished an epoch: its kept epoch and eval score (of the
/// n-gram part alone, before 8-bit rows); empty when only one was tried.</param>
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
    TimeSpan Duration,
    IReadOnlyList<EpochResult>? WordOrderHistory = null,
    int WordOrderEpoch = 0,
    double Temperature = 1.0,
    IReadOnlyList<TemperatureScore>? TemperatureScores = null);

/// <summary>One temperature tried by <see cref="StudentTrainer"/>: the n-gram part's kept epoch and its eval score.</summary>
/// <param name="Temperature">The temperature of the teacher's scores.</param>
/// <param name="Epoch">The kept epoch of that run.</param>
/// <param name="Score">Its eval score.</param>
public sealed record TemperatureScore(double Temperature, int Epoch, TextcatScore Score);

/// <summary>
/// Trains the student (<see cref="StudentModel"/>) on gold labels and the teacher's probabilities, in pure C#.
/// </summary>
/// <remarks>
/// Plain SGD with a learning rate that decays linearly from <see cref="TrainingOptions.LearningRate"/> to 0 over
/// all examples of the run, one example per step, as fastText does: each step updates the output (and hidden) layer
/// and only the embedding rows of that text's features. Embedding rows start uniform in ±1/dimension (as fastText's), the output and hidden layers
/// Glorot-uniform, the biases at 0. Every epoch shuffles the
/// examples (seeded) and cuts them into chunks that <see cref="StudentTrainingOptions.Threads"/> threads take in turn and
/// train on without locks (Hogwild); with one thread the run is repeatable bit for bit. After every epoch the eval
/// examples are scored with <see cref="TextcatScoreAccumulator"/> (spaCy's arithmetic) and <see cref="EpochSelector"/>
/// decides which epoch's weights are kept and when to stop. The loss is <see cref="StudentLoss"/>'s, the targets
/// <see cref="StudentTargets"/>'. With token vectors, a word-order part (<see cref="WordOrderPart"/>) is trained next on the
/// same targets, by the same epoch loop (<see cref="WordOrderTrainingLoop"/>), its epochs scored as the mean of both parts.
/// </remarks>
public static class StudentTrainer
{
    /// <summary>The progress activity id of the run (one step per epoch).</summary>
    public const int RunActivityId = 1;

    /// <summary>The progress activity id of the current epoch's chunks (child of <see cref="RunActivityId"/>).</summary>
    public const int EpochActivityId = 2;

    /// <summary>Examples per chunk a thread takes at once; the cancellation token is checked between chunks.</summary>
    internal const int ChunkSize = 256;

    /// <summary>Trains a student. Nothing is written to disk (see <see cref="StudentFolder"/>).</summary>
    /// <param name="train">The training examples (gold and silver).</param>
    /// <param name="eval">Gold examples to score after every epoch (their <see cref="StudentExample.Cats"/>); null or
    /// none with Cats: the training examples' targets are scored instead.</param>
    /// <param name="options">Settings.</param>
    /// <param name="output">Verbose lines (one per epoch) and progress; called on the calling thread only.</param>
    /// <param name="vectors">The encoder's token vectors (from the teacher folder, or distilled from an encoder):
    /// the student then adds their weighted mean over a text's word pieces to its features (<see cref="StaticVectors"/>); null
    /// for an n-gram student.</param>
    /// <param name="cancellationToken">Checked between chunks; when cancelled, the best epoch's weights are returned (the
    /// weights at the stop when no epoch finished; <see cref="OperationCanceledException"/> when no chunk was trained).</param>
    /// <exception cref="UptrainException"><c>InvalidTrainingOption</c>, <c>NoLabels</c>, <c>NoTrainableExamples</c>, <c>UnknownPositiveLabel</c>;
    /// <c>TrainingDiverged</c> when the loss of an epoch is not a finite number (a learning rate far too high).</exception>
    public static StudentTrainingOutcome Train(
        IReadOnlyList<StudentExample> train,
        IReadOnlyList<StudentExample>? eval,
        StudentTrainingOptions options,
        IOutputWriter output,
        CancellationToken cancellationToken = default,
        TokenVectors? vectors = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        options.Check();
        var clock = Stopwatch.StartNew();
        var data = StudentTrainingData.Prepare(train, options, output, vectors, cancellationToken);
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

        // Scores on the training data are no guide to a temperature (they are the targets), and targets that are all known
        // labels have no teacher's scores to temper: then the first is used.
        var temperatures = evalSet.IsTraining || !data.UsesScores ? [options.Temperatures[0]] : options.Temperatures;
        var (model, run, random, temperatureScores) = TrainNgramPart(train, data, evalSet, temperatures, options, output, cancellationToken);
        var keptScore = run.KeptScore;
        if (options.Quantize)
        {
            model = model.Quantize();
            keptScore = evalSet.Score(model, options.PositiveLabel);
            output.WriteVerbose(Format(Messages.StudentQuantized, keptScore.ScoreDescription, run.KeptScore.Score, keptScore.Score));
        }

        var stopped = run.Stopped;
        var earlyStopped = run.EarlyStopped;
        EpochRun? wordOrder = null;
        if (options.WordOrderFilters > 0 && vectors is not null && data.Pieces is not null)
        {
            if (stopped)
            {
                output.WriteVerbose(Messages.WordOrderSkippedStop);
            }
            else
            {
                (model, wordOrder) = TrainWordOrder(data, model, vectors, evalSet, keptScore, options, random, output, cancellationToken);
                if (wordOrder is not null)
                {
                    keptScore = wordOrder.KeptScore;
                    stopped = wordOrder.Stopped;
                    earlyStopped |= wordOrder.EarlyStopped;
                }
                else
                {
                    stopped = cancellationToken.IsCancellationRequested;
                }
            }
        }

        return new StudentTrainingOutcome(model, run.History, run.KeptEpoch, keptScore, data.Count, data.Ignored, evalSet.Items.Count, evalSet.IsTraining, stopped, earlyStopped, clock.Elapsed,
            wordOrder?.History ?? [], wordOrder?.KeptEpoch ?? 0, data.Temperature, temperatureScores);
    }

    /// <summary>
    /// Trains the n-gram part once per temperature (from the same seed) and keeps the run whose kept epoch scores best on
    /// the eval data (the first of equal scores); <paramref name="data"/>'s targets are left at the kept temperature. A stop
    /// ends the search: the best run so far is kept, or the stopped one when it is the first. The scores are those of the runs
    /// that finished an epoch, empty when fewer than two did.
    /// </summary>
    private static (StudentModel Model, EpochRun Run, Random Random, IReadOnlyList<TemperatureScore> Scores) TrainNgramPart(
        IReadOnlyList<StudentExample> train,
        StudentTrainingData data,
        StudentEvaluation evalSet,
        IReadOnlyList<double> temperatures,
        StudentTrainingOptions options,
        IOutputWriter output,
        CancellationToken cancellationToken)
    {
        (StudentModel Model, EpochRun Run, Random Random, double Temperature)? best = null;
        var scores = new List<TemperatureScore>();
        for (var t = 0; t < temperatures.Count; t++)
        {
            var temperature = temperatures[t];
            data.Retarget(train, temperature);
            var random = new Random(options.Seed);
            var network = new StudentNetwork(data.Labels.Count, options.Dimension, options.Hidden, data.RowBuckets.Length, data.Static);
            Initialise(network, random);
            var model = new StudentModel(data.Labels, data.Exclusive, data.Featurizer, data.RowBuckets, network);
            var activity = Messages.StudentTrainingActivity;
            if (temperatures.Count > 1)
            {
                output.WriteVerbose(Format(Messages.StudentTemperatureStart, temperature, t + 1, temperatures.Count));
                activity = Format(Messages.StudentTemperatureActivity, temperature, t + 1, temperatures.Count);
            }

            var loop = new StudentTrainingLoop(data, model, evalSet, options, random);
            var progress = new TrainingProgress(activity, RunActivityId, EpochActivityId);
            EpochRun run;
            try
            {
                run = new EpochTrainer(options.Epochs, options.Patience, evalSet.Items.Count, progress, output).Run(loop, options.LearningRate, cancellationToken);
            }
            catch (OperationCanceledException) when (best is not null)
            {
                // Stopped before this temperature's first epoch: the best run so far stands.
                break;
            }

            if (run.KeptEpoch > 0)
            {
                scores.Add(new TemperatureScore(temperature, run.KeptEpoch, run.KeptScore));
            }

            if (temperatures.Count > 1)
            {
                output.WriteVerbose(Format(Messages.StudentTemperatureScore, temperature, run.KeptEpoch, run.KeptScore.ScoreDescription, run.KeptScore.Score));
            }

            if (best is null || (run.KeptEpoch > 0 && run.KeptScore.Score > best.Value.Run.KeptScore.Score))
            {
                best = (model, run, random, temperature);
            }

            if (run.Stopped)
            {
                break;
            }
        }

        var kept = best!.Value;
        data.Retarget(train, kept.Temperature);
        if (scores.Count > 1)
        {
            var others = string.Join(", ", scores.Where(s => s.Temperature != kept.Temperature).Select(s => Format("{0}: {1:0.0000}", s.Temperature, s.Score.Score)));
            output.WriteVerbose(Format(Messages.StudentTemperatureChosen, kept.Temperature, kept.Run.KeptScore.ScoreDescription, kept.Run.KeptScore.Score, others));
        }

        // A stop carries over: the kept run is reported as stopped when any run was.
        var stopped = cancellationToken.IsCancellationRequested;
        var keptRun = stopped && !kept.Run.Stopped ? kept.Run with { Stopped = true } : kept.Run;
        return (kept.Model, keptRun, kept.Random, scores.Count > 1 ? scores : []);
    }

    /// <summary>
    /// Trains the word-order part of <paramref name="student"/> (its n-gram part trained): the student with the part and the
    /// run, or <paramref name="student"/> as it is and null when a stop came before the part's first epoch finished.
    /// </summary>
    private static (StudentModel Model, EpochRun? Run) TrainWordOrder(
        StudentTrainingData data,
        StudentModel student,
        TokenVectors vectors,
        StudentEvaluation evalSet,
        TextcatScore ngramScore,
        StudentTrainingOptions options,
        Random random,
        IOutputWriter output,
        CancellationToken cancellationToken)
    {
        var table = WordOrderPart.FirstComponents(vectors, options.WordOrderDimension);
        var network = new ConvolutionNetwork(data.Labels.Count, options.WordOrderFilters, table.Dimension);
        network.Initialise(random);
        var part = new WordOrderPart(network, table);
        var withPart = student.WithWordOrder(part);
        output.WriteVerbose(Format(Messages.WordOrderTrainingStart, options.WordOrderFilters, table.Dimension, vectors.Dimension, data.Count, WordOrderPart.MaxPieces));
        var loop = new WordOrderTrainingLoop(data, withPart, part, evalSet, options, random);
        var progress = new TrainingProgress(Messages.WordOrderTrainingActivity, RunActivityId, EpochActivityId);
        EpochRun run;
        try
        {
            run = new EpochTrainer(options.Epochs, options.Patience, evalSet.Items.Count, progress, output).Run(loop, options.WordOrderLearningRate, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            output.WriteVerbose(Messages.WordOrderNotTrained);
            return (student, null);
        }

        if (run.KeptEpoch == 0)
        {
            output.WriteVerbose(Messages.WordOrderNotTrained);
            return (student, null);
        }

        output.WriteVerbose(Format(Messages.WordOrderKept, run.KeptEpoch, ngramScore.ScoreDescription, ngramScore.Score, run.KeptScore.Score));
        return (withPart, run);
    }

    /// <summary>Embedding rows uniform in ±1/dimension, hidden and output weights Glorot-uniform, biases 0.</summary>
    private static void Initialise(StudentNetwork network, Random random)
    {
        var bound = 1f / network.Dimension;
        var rows = network.Dense.Values;
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = ((2 * random.NextSingle()) - 1) * bound;
        }

        // The output layer starts random, not at 0 as in fastText: with the rows near 0 as well, a zero output layer passes
        // almost no gradient back to them in the first epoch (measured: bench/results/2026-12-03-defaults-measured.md).
        var outputBound = MathF.Sqrt(6f / (network.InputWidth + network.Labels));
        for (var i = 0; i < network.OutputWeights.Length; i++)
        {
            network.OutputWeights[i] = ((2 * random.NextSingle()) - 1) * outputBound;
        }

        if (network.Hidden > 0)
        {
            var glorot = MathF.Sqrt(6f / (network.InputDimension + network.Hidden));
            for (var i = 0; i < network.HiddenWeights.Length; i++)
            {
                network.HiddenWeights[i] = ((2 * random.NextSingle()) - 1) * glorot;
            }
        }
    }

}
