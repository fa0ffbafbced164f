using Uptrain.Diagnostics;
using Uptrain.Models;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain;

/// <summary>
/// A model loaded for scoring (Import-UptrainModel; what <c>-Model</c> accepts): its card and the scorer of its kind
/// (for a teacher, its tokenizer and one ONNX Runtime session that every <see cref="Predict"/> reuses; for a student, its
/// tables, scored on the CPU by <see cref="Threads"/> threads), chosen once from the card's <see cref="ModelKind"/>. Load it
/// once, score many pipelines, dispose it to free the session. Safe to score from several threads at once.
/// </summary>
public sealed class TextcatModel : IDisposable
{
    /// <summary>The batch size when none is given: 64 texts.</summary>
    public const int DefaultBatchSize = 64;

    /// <summary>
    /// A window holds this many batches when none is given. Sorting 16 batches' worth of texts by length
    /// lets most batches hold texts of nearly one length, while memory stays bounded by the window.
    /// </summary>
    public const int DefaultWindowBatches = 16;

    private readonly ITextcatScorer _scorer;
    private readonly string[] _labels;
    private bool _disposed;

    private TextcatModel(ModelCard card, ModelKind kind, ITextcatScorer scorer)
    {
        Card = card;
        Kind = kind;
        _scorer = scorer;
        _labels = [.. card.Labels];
    }

    /// <summary>
    /// The model's card (uptrain-model.json). A method, not a property, so that ConvertTo-Json of a model stays shallow.
    /// </summary>
    public ModelCard GetCard() => Card;

    /// <summary>The model's card (uptrain-model.json).</summary>
    internal ModelCard Card { get; }

    /// <summary>Float32, or Int8 for a teacher's 8-bit graph (a student: Float32, whatever its rows are stored as).</summary>
    public ModelPrecision Precision => _scorer.Precision;

    /// <summary>The model folder (full path).</summary>
    public string Path => Card.Path!;

    /// <summary>The labels, in the order of the model's output columns.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>True: the scores are a softmax over mutually exclusive labels; false: one sigmoid per label.</summary>
    public bool Exclusive => Card.Exclusive;

    /// <summary>The device the model scores on: Cpu or Cuda (what Auto resolved to).</summary>
    public ComputeDevice Device => _scorer.Device;

    /// <summary>Teacher (a transformer in model.onnx) or Student (student.weights).</summary>
    public ModelKind Kind { get; }

    /// <summary>Texts are cut to this many word pieces, [CLS] and [SEP] included.</summary>
    public int MaxLength => Card.MaxLength;

    /// <summary>A teacher: ONNX Runtime's intra-op thread count. A student: the threads that score a window of texts.</summary>
    public int Threads => _scorer.Threads;

    /// <summary>
    /// Loads the model in <paramref name="folder"/> for scoring on <paramref name="device"/>.
    /// </summary>
    /// <param name="folder">A folder with uptrain-model.json, the weights and (a teacher) the vocabulary.</param>
    /// <param name="device">
    /// Cpu; Cuda (needs the GPU build of the module, else <c>CudaUnavailable</c>); Auto: CUDA when the build has it
    /// and it starts, else the CPU, with the reason on the verbose stream. A student always scores on the CPU (a
    /// warning says so when Cuda is asked for), and so does a teacher's 8-bit graph.
    /// </param>
    /// <param name="intraOpThreads">Threads ONNX Runtime uses inside one operator (a student: threads scoring texts at
    /// once); the processor count when not given.</param>
    /// <param name="output">Where the verbose lines about device choice go; nowhere when not given.</param>
    /// <param name="precision">
    /// Float32 (default); Int8: a teacher's 8-bit graph (<see cref="QuantizedCard"/>), on the CPU (a warning says so when
    /// Cuda is asked for); <c>QuantizedModelNotFound</c> where the teacher has none. A student scores as it was stored.
    /// </param>
    /// <exception cref="UptrainException">
    /// <c>ModelNotFound</c> (no folder, card, weights or vocabulary), <c>InvalidModelCard</c>, <c>UnsupportedModelFormat</c>,
    /// <c>UnsupportedModelKind</c>, <c>ModelFileChanged</c> (a file differs from the checksum the card records),
    /// <c>InvalidModel</c> (the vocabulary or the weights cannot be loaded, or they do not fit the card), <c>CudaUnavailable</c>,
    /// <c>QuantizedModelNotFound</c>.
    /// </exception>
    public static TextcatModel Load(string folder, ComputeDevice device = ComputeDevice.Auto, int? intraOpThreads = null, IOutputWriter? output = null, ModelPrecision precision = ModelPrecision.Float32)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (intraOpThreads is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(intraOpThreads), intraOpThreads, Format(Messages.NumberTooSmall, nameof(intraOpThreads), intraOpThreads));
        }

        var card = ModelCard.Read(folder);
        return Open(card, new ScorerRequest(device, intraOpThreads ?? Environment.ProcessorCount, precision, Verify: true), output ?? NullOutputWriter.Instance);
    }

    /// <summary>
    /// The model whose <paramref name="card"/> is in hand (its <see cref="ModelCard.Path"/> set), opened by the scorer of
    /// its kind. A trainer scores a folder it has not sealed yet with <see cref="ScorerRequest.Verify"/> false.
    /// </summary>
    /// <exception cref="UptrainException"><c>UnsupportedModelKind</c> and the kind's load errors.</exception>
    internal static TextcatModel Open(ModelCard card, ScorerRequest request, IOutputWriter output)
    {
        if (!ModelKinds.TryParse(card.Kind, out var kind))
        {
            throw new UptrainException("UnsupportedModelKind", ErrorKind.InvalidData, Format(Messages.UnsupportedModelKind, card.Path, card.Kind), card.Path);
        }

        var scorer = ScorerKinds.Of(kind).Open(card, request, output);
        output.WriteVerbose(Format(Messages.ModelLoaded, card.Kind, card.Path, scorer.Device, scorer.Threads));
        return new TextcatModel(card, kind, scorer);
    }

    /// <summary>
    /// Scores <paramref name="inputs"/> and yields one prediction per input, in input order, lazily: it reads a window of
    /// inputs, has the model's scorer score it (a teacher sorts the window by token count so that each batch is padded
    /// only to its own longest text) and yields the window's predictions before reading the next. Memory is bounded by
    /// the window, whatever the number of inputs.
    /// </summary>
    /// <param name="inputs">The examples to score; their labels, meta and provenance are carried into the predictions.</param>
    /// <param name="batchSize">Texts per ONNX Runtime call (a student scores text by text).</param>
    /// <param name="window">Inputs read and scored at a time; <see cref="DefaultWindowBatches"/> batches when not given.</param>
    /// <param name="cancellationToken">Checked before every batch; a cancelled token also stops a running batch.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled; predictions already yielded stand.</exception>
    /// <exception cref="UptrainException"><c>ScoringFailed</c>: ONNX Runtime failed on a batch.</exception>
    public IEnumerable<TextcatPrediction> Predict(IEnumerable<TextcatExample> inputs, int batchSize = DefaultBatchSize, int? window = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        CheckPositive(batchSize, nameof(batchSize));
        var windowSize = window ?? batchSize * DefaultWindowBatches;
        CheckPositive(windowSize, nameof(window));
        ObjectDisposedException.ThrowIf(_disposed, this);
        return PredictLazily(inputs, batchSize, windowSize, cancellationToken);
    }

    /// <summary>
    /// Scores <paramref name="texts"/> as one batch padded to the longest (one window, no batches within it):
    /// <c>[texts, labels]</c> probabilities in <see cref="Labels"/> order. For benchmarks and small jobs.
    /// </summary>
    public float[,] ScoreBatch(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = new float[texts.Count, _labels.Length];
        if (texts.Count == 0)
        {
            return result;
        }

        var scores = new float[result.Length];
        _scorer.Score(texts, texts.Count, scores, new bool[texts.Count], CancellationToken.None);
        Buffer.BlockCopy(scores, 0, result, 0, scores.Length * sizeof(float));
        return result;
    }

    /// <summary>Frees the scorer (a teacher's ONNX Runtime session).</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _scorer.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Card} on {Device}";

    /// <summary>The one batching loop of every kind: read a window, score it, yield its predictions.</summary>
    private IEnumerable<TextcatPrediction> PredictLazily(IEnumerable<TextcatExample> inputs, int batchSize, int windowSize, CancellationToken cancellationToken)
    {
        var labelCount = _labels.Length;
        var capacity = Math.Min(windowSize, 1 << 16);
        var examples = new List<TextcatExample>(capacity);
        var texts = new List<string>(capacity);
        var scores = new float[capacity * labelCount];
        var truncated = new bool[capacity];
        using var enumerator = inputs.GetEnumerator();
        var position = 0L;
        var more = true;
        while (more)
        {
            cancellationToken.ThrowIfCancellationRequested();
            examples.Clear();
            texts.Clear();
            while (examples.Count < windowSize && (more = enumerator.MoveNext()))
            {
                var example = enumerator.Current ?? throw new ArgumentException(Format(Messages.NullInput, position), nameof(inputs));
                examples.Add(example);
                texts.Add(example.Text);
                position++;
            }

            var count = examples.Count;
            if (count == 0)
            {
                yield break;
            }

            if (truncated.Length < count)
            {
                scores = new float[count * labelCount];
                truncated = new bool[count];
            }

            Array.Clear(truncated, 0, count);
            _scorer.Score(texts, batchSize, scores, truncated, cancellationToken);
            for (var i = 0; i < count; i++)
            {
                var row = new Dictionary<string, double>(labelCount, StringComparer.Ordinal);
                for (var label = 0; label < labelCount; label++)
                {
                    row[_labels[label]] = scores[(i * labelCount) + label];
                }

                yield return new TextcatPrediction(examples[i], row, Card) { Truncated = truncated[i] };
            }
        }
    }

    private static void CheckPositive(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, Format(Messages.NumberTooSmall, name, value));
        }
    }
}
