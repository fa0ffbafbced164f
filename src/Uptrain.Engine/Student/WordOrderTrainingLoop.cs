using Uptrain.Training;

namespace Uptrain.Student;

/// <summary>
/// The epochs of a student's word-order part as <see cref="EpochTrainer"/> drives them: shuffled batches of
/// <see cref="BatchSize"/> texts, the soft-target loss of <see cref="StudentLoss"/> (gold labels and the teacher's
/// probabilities, as the n-gram part learns them), and an Adam step per batch. The eval score is that of the whole
/// student: the mean of the trained n-gram part's probabilities and this part's.
/// </summary>
/// <remarks>
/// A batch is cut into <see cref="Slices"/> fixed slices whose gradients are summed in slice order, whatever thread
/// computed them: the run is the same bit for bit on one thread or many.
/// </remarks>
internal sealed class WordOrderTrainingLoop : IEpochModel
{
    /// <summary>Texts per Adam step (as measured: bench/results/2026-12-06-student-cnn.md).</summary>
    public const int BatchSize = 32;

    /// <summary>Slices of a batch that threads take; their gradients are summed in this order.</summary>
    public const int Slices = 4;

    /// <summary>Batches between progress reports.</summary>
    private const int ReportEvery = 8;

    private readonly StudentTrainingData _data;
    private readonly WordOrderPart _part;
    private readonly StudentModel _student;
    private readonly StudentEvaluation _evaluation;
    private readonly string? _positiveLabel;
    private readonly Random _random;
    private readonly int _threads;
    private readonly int[] _order;
    private readonly ConvolutionAdam _adam;
    private readonly ConvolutionGradients[] _gradients;
    private readonly WordOrderBuffers[] _buffers;
    private readonly float[][] _logitGradients;
    private readonly double[] _losses;
    private float[][]? _kept;

    /// <param name="data">The prepared training data, with word pieces.</param>
    /// <param name="student">The trained n-gram student with <paramref name="part"/> as its word-order part.</param>
    /// <param name="part">The part to train, its network initialised.</param>
    /// <param name="evaluation">The texts scored after every epoch.</param>
    /// <param name="options">The run's settings (threads, positive label, learning rate of the part).</param>
    /// <param name="random">Shuffles the batches.</param>
    public WordOrderTrainingLoop(StudentTrainingData data, StudentModel student, WordOrderPart part, StudentEvaluation evaluation, StudentTrainingOptions options, Random random)
    {
        _data = data;
        _part = part;
        _student = student;
        _evaluation = evaluation;
        _positiveLabel = options.PositiveLabel;
        _random = random;
        _threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        _order = [.. Enumerable.Range(0, data.Count)];
        _adam = new ConvolutionAdam(part.Network, options.WordOrderLearningRate);
        _gradients = [.. Enumerable.Range(0, Slices).Select(_ => new ConvolutionGradients(part.Network))];
        _buffers = [.. Enumerable.Range(0, Slices).Select(_ => new WordOrderBuffers())];
        _logitGradients = [.. Enumerable.Range(0, Slices).Select(_ => new float[part.Labels])];
        _losses = new double[Slices];
    }

    /// <inheritdoc />
    public int StepsPerEpoch => Math.Max(1, (_order.Length + BatchSize - 1) / BatchSize);

    /// <summary>None: Adam starts at its full rate.</summary>
    public int WarmupSteps => 0;

    /// <inheritdoc />
    public EpochPass TrainEpoch(int epoch, Action<int, int, double> stepDone, CancellationToken cancellationToken)
    {
        _random.Shuffle(_order);
        var batches = StepsPerEpoch;
        var lossSum = 0.0;
        var trained = 0;
        var done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Min(_threads, Slices) };
        for (var batch = 0; batch < batches && !cancellationToken.IsCancellationRequested; batch++)
        {
            var start = batch * BatchSize;
            var end = Math.Min(start + BatchSize, _order.Length);
            var size = end - start;
            var sliceSize = (size + Slices - 1) / Slices;
            if (parallel.MaxDegreeOfParallelism > 1 && size > Slices)
            {
                Parallel.For(0, Slices, parallel, s => Slice(s, start + (s * sliceSize), Math.Min(start + ((s + 1) * sliceSize), end), size));
            }
            else
            {
                for (var s = 0; s < Slices; s++)
                {
                    Slice(s, start + (s * sliceSize), Math.Min(start + ((s + 1) * sliceSize), end), size);
                }
            }

            var total = _gradients[0];
            for (var s = 1; s < Slices; s++)
            {
                Add(total, _gradients[s]);
            }

            _adam.Step(total);
            for (var s = 0; s < Slices; s++)
            {
                lossSum += _losses[s];
            }

            trained += size;
            done++;
            if (done % ReportEvery == 0 || done == batches)
            {
                stepDone(done, trained, lossSum / trained);
            }
        }

        return new EpochPass(trained == 0 ? 0 : lossSum / trained, done, trained, Cancelled: done < batches);
    }

    /// <inheritdoc />
    public TextcatScore Evaluate() => _evaluation.Score(_student, _positiveLabel);

    /// <inheritdoc />
    public void KeepWeights()
    {
        _kept ??= [.. _part.Network.Parameters().Select(p => new float[p.Length])];
        var i = 0;
        foreach (var parameter in _part.Network.Parameters())
        {
            parameter.CopyTo(_kept[i++], 0);
        }
    }

    /// <inheritdoc />
    public void RestoreKeptWeights()
    {
        if (_kept is null)
        {
            return;
        }

        var i = 0;
        foreach (var parameter in _part.Network.Parameters())
        {
            _kept[i++].CopyTo(parameter, 0);
        }
    }

    /// <summary>
    /// The gradients of the batch positions <paramref name="from"/> to <paramref name="to"/> into slice <paramref name="slice"/>'s
    /// buffers (cleared first), each text's loss weighted by its weight over the batch size; the slice's loss sum.
    /// </summary>
    private void Slice(int slice, int from, int to, int batchSize)
    {
        var gradients = _gradients[slice];
        var buffers = _buffers[slice];
        var logitGradient = _logitGradients[slice];
        var network = _part.Network;
        gradients.Clear();
        var loss = 0.0;
        for (var b = from; b < to; b++)
        {
            var i = _order[b];
            var count = _part.Fill(_data.OrderedPieces![i], buffers);
            network.Forward(buffers.Input, count, buffers.Convolution);
            var weight = _data.Weights[i];
            loss += StudentLoss.Gradient(buffers.Convolution.Logits.AsSpan(0, network.Labels), _data.Targets[i], weight / batchSize, _data.Exclusive, logitGradient) * batchSize;
            network.Backward(buffers.Input, logitGradient, buffers.Convolution, gradients);
        }

        _losses[slice] = loss;
    }

    private static void Add(ConvolutionGradients total, ConvolutionGradients more)
    {
        using var targets = total.Arrays().GetEnumerator();
        foreach (var array in more.Arrays())
        {
            targets.MoveNext();
            System.Numerics.Tensors.TensorPrimitives.Add(targets.Current, array, targets.Current);
        }
    }
}
