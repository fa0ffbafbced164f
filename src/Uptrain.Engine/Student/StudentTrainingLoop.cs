namespace Uptrain.Student;

/// <summary>
/// The epochs of a student run: shuffling, chunks handed to the threads, and per example a forward pass, the loss
/// gradient and an SGD step at the linearly decaying learning rate.
/// </summary>
internal sealed class StudentTrainingLoop
{
    private readonly StudentTrainingData _data;
    private readonly StudentNetwork _network;
    private readonly Random _random;
    private readonly int[] _order;
    private readonly int _threads;
    private readonly double _learningRate;
    private readonly long _totalSteps;
    private long _step;

    public StudentTrainingLoop(StudentTrainingData data, StudentNetwork network, StudentTrainingOptions options, Random random)
    {
        _data = data;
        _network = network;
        _random = random;
        _order = Enumerable.Range(0, data.Count).ToArray();
        _threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        _learningRate = options.LearningRate;
        _totalSteps = (long)options.Epochs * data.Count;
    }

    /// <summary>Examples per epoch.</summary>
    public int Examples => _order.Length;

    /// <summary>One pass over the shuffled examples; the mean weighted loss of the examples trained.</summary>
    public double RunEpoch(CancellationToken cancellationToken)
    {
        _random.Shuffle(_order);
        var chunks = (_order.Length + StudentTrainer.ChunkSize - 1) / StudentTrainer.ChunkSize;
        var nextChunk = -1;
        var lossSum = 0.0;
        var trained = 0L;
        var gate = new object();
        var workers = Math.Min(_threads, chunks);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
        {
            var buffers = new NetworkBuffers().Fit(_network);
            var localLoss = 0.0;
            var localCount = 0L;
            int chunk;
            while (!cancellationToken.IsCancellationRequested && (chunk = Interlocked.Increment(ref nextChunk)) < chunks)
            {
                var start = chunk * StudentTrainer.ChunkSize;
                var end = Math.Min(start + StudentTrainer.ChunkSize, _order.Length);
                var firstStep = Interlocked.Add(ref _step, end - start) - (end - start);
                for (var i = start; i < end; i++)
                {
                    var rate = (float)(_learningRate * Math.Max(0.0, 1.0 - ((double)(firstStep + i - start) / _totalSteps)));
                    localLoss += Step(_order[i], buffers, rate);
                }

                localCount += end - start;
            }

            lock (gate)
            {
                lossSum += localLoss;
                trained += localCount;
            }
        });

        return trained == 0 ? 0 : lossSum / trained;
    }

    /// <summary>Trains on example <paramref name="index"/>; its weighted loss before the step.</summary>
    private double Step(int index, NetworkBuffers buffers, float rate)
    {
        var rows = _data.Rows[index];
        _network.Forward(rows, buffers);
        var labels = _network.Labels;
        var loss = StudentLoss.Gradient(buffers.Logits.AsSpan(0, labels), _data.Targets[index], _data.Weights[index], _data.Exclusive, buffers.Gradient.AsSpan(0, labels));
        _network.Backward(rows, buffers, rate);
        return loss;
    }
}
