using System.Runtime.ExceptionServices;
using Uptrain.Training;

namespace Uptrain.Student;

/// <summary>
/// The epochs of a student run as <see cref="EpochTrainer"/> drives them: shuffling, chunks of examples handed to the
/// threads, and per example a forward pass, the loss gradient and an SGD step at the linearly decaying learning rate.
/// A step, for progress and the stop rule, is one chunk of <see cref="StudentTrainer.ChunkSize"/> examples.
/// </summary>
internal sealed class StudentTrainingLoop : IEpochModel
{
    private readonly StudentTrainingData _data;
    private readonly StudentModel _model;
    private readonly StudentNetwork _network;
    private readonly StudentEvaluation _evaluation;
    private readonly string? _positiveLabel;
    private readonly Random _random;
    private readonly int[] _order;
    private readonly int _threads;
    private readonly double _learningRate;
    private readonly long _totalSteps;
    private readonly float _l2;
    private StudentNetwork? _kept;
    private long _step;

    public StudentTrainingLoop(StudentTrainingData data, StudentModel model, StudentEvaluation evaluation, StudentTrainingOptions options, Random random)
    {
        _data = data;
        _model = model;
        _network = model.Network;
        _evaluation = evaluation;
        _positiveLabel = options.PositiveLabel;
        _random = random;
        _order = Enumerable.Range(0, data.Count).ToArray();
        _threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        _learningRate = options.LearningRate;
        _totalSteps = (long)options.Epochs * data.Count;
        _l2 = (float)DecayPerStep(options.L2, data.Count);
    }

    /// <summary>
    /// The weight decay of a step: <paramref name="l2"/> for a run of up to <see cref="StudentTrainingOptions.L2Examples"/>
    /// examples, less in proportion for larger ones, so that the penalty weighs against the data as a fixed prior does
    /// (measured: a fixed 0.001 cost 2 points on 20,000 Debian descriptions, bench/results/2026-12-04-student-vectors.md).
    /// </summary>
    internal static double DecayPerStep(double l2, int examples) =>
        l2 * Math.Min(1.0, (double)StudentTrainingOptions.L2Examples / Math.Max(1, examples));

    /// <summary>Examples per epoch.</summary>
    public int Examples => _order.Length;

    /// <inheritdoc />
    public int StepsPerEpoch => Math.Max(1, (_order.Length + StudentTrainer.ChunkSize - 1) / StudentTrainer.ChunkSize);

    /// <summary>None: plain SGD starts at its full rate.</summary>
    public int WarmupSteps => 0;

    /// <summary>
    /// One pass over the shuffled examples: the threads take chunks in turn and train without locks (Hogwild); the calling
    /// thread, one of them, reports the chunks done after each of its own. The loss is the mean weighted loss of the
    /// examples trained. With one thread the pass is repeatable bit for bit.
    /// </summary>
    public EpochPass TrainEpoch(int epoch, Action<int, int, double> stepDone, CancellationToken cancellationToken)
    {
        _random.Shuffle(_order);
        var chunks = (_order.Length + StudentTrainer.ChunkSize - 1) / StudentTrainer.ChunkSize;
        var nextChunk = -1;
        var chunksDone = 0;
        var lossSum = 0.0;
        var trained = 0L;
        var gate = new object();
        void Work(bool report)
        {
            var buffers = new NetworkBuffers().Fit(_network);
            int chunk;
            while (!cancellationToken.IsCancellationRequested && (chunk = Interlocked.Increment(ref nextChunk)) < chunks)
            {
                var start = chunk * StudentTrainer.ChunkSize;
                var end = Math.Min(start + StudentTrainer.ChunkSize, _order.Length);
                var firstStep = Interlocked.Add(ref _step, end - start) - (end - start);
                var chunkLoss = 0.0;
                for (var i = start; i < end; i++)
                {
                    var rate = (float)(_learningRate * Math.Max(0.0, 1.0 - ((double)(firstStep + i - start) / _totalSteps)));
                    chunkLoss += Step(_order[i], buffers, rate);
                }

                int done;
                long examples;
                double mean;
                lock (gate)
                {
                    lossSum += chunkLoss;
                    trained += end - start;
                    done = ++chunksDone;
                    examples = trained;
                    mean = lossSum / trained;
                }

                if (report)
                {
                    stepDone(done, (int)examples, mean);
                }
            }
        }

        // The calling thread is one of the workers and the only one that reports, after each of its chunks.
        var workers = Math.Min(_threads, Math.Max(1, chunks));
        var others = Enumerable.Range(1, workers - 1).Select(_ => Task.Factory.StartNew(() => Work(report: false), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        try
        {
            Work(report: true);
        }
        finally
        {
            WaitAll(others);
        }

        var loss = trained == 0 ? 0 : lossSum / trained;
        return new EpochPass(loss, chunksDone, (int)trained, Cancelled: chunksDone < chunks);
    }

    /// <inheritdoc />
    public TextcatScore Evaluate() => _evaluation.Score(_model, _positiveLabel);

    /// <inheritdoc />
    public void KeepWeights()
    {
        _kept ??= new StudentNetwork(_network.Labels, _network.Dimension, _network.Hidden, _network.Rows, _network.Static);
        _kept.CopyFrom(_network);
    }

    /// <inheritdoc />
    public void RestoreKeptWeights()
    {
        if (_kept is not null)
        {
            _network.CopyFrom(_kept);
        }
    }

    private static void WaitAll(Task[] tasks)
    {
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
        }
    }

    /// <summary>Trains on example <paramref name="index"/>; its weighted loss before the step.</summary>
    private double Step(int index, NetworkBuffers buffers, float rate)
    {
        var rows = _data.Rows[index];
        var pieces = _data.Pieces is { } all ? all[index] : [];
        _network.Forward(rows, pieces, buffers);
        var labels = _network.Labels;
        var loss = StudentLoss.Gradient(buffers.Logits.AsSpan(0, labels), _data.Targets[index], _data.Weights[index], _data.Exclusive, buffers.Gradient.AsSpan(0, labels));
        _network.Backward(rows, buffers, rate, _l2);
        return loss;
    }
}
