using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Uptrain.Diagnostics;
using Uptrain.Inference;
using Uptrain.Models;
using Uptrain.Student;
using Uptrain.Text;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain;

/// <summary>
/// A model loaded for scoring (Import-UptrainModel; what <c>-Model</c> accepts): its card and, for a teacher, its
/// tokenizer and one ONNX Runtime session that every <see cref="Predict"/> reuses; for a student, the
/// <see cref="StudentModel"/>, scored on the CPU by <see cref="Threads"/> threads. Load it once, score many pipelines,
/// dispose it to free the session. Safe to score from several threads at once.
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

    private readonly ScoringSession? _session;
    private readonly WordPieceTokenizer? _tokenizer;
    private readonly StudentModel? _student;
    private readonly int _studentThreads;
    private readonly string[] _labels;
    private bool _disposed;

    private TextcatModel(ModelCard card, ScoringSession session, WordPieceTokenizer tokenizer, ModelPrecision precision)
    {
        Card = card;
        Precision = precision;
        _session = session;
        _tokenizer = tokenizer;
        _labels = [.. card.Labels];
    }

    private TextcatModel(ModelCard card, StudentModel student, int threads)
    {
        Card = card;
        _student = student;
        _studentThreads = threads;
        _labels = [.. card.Labels];
    }

    /// <summary>The model's card (uptrain-model.json).</summary>
    public ModelCard Card { get; }

    /// <summary>Float32, or Int8 for a teacher's 8-bit graph (a student: Float32, whatever its rows are stored as).</summary>
    public ModelPrecision Precision { get; }

    /// <summary>The model folder (full path).</summary>
    public string Path => Card.Path!;

    /// <summary>The labels, in the order of the model's output columns.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>True: the scores are a softmax over mutually exclusive labels; false: one sigmoid per label.</summary>
    public bool Exclusive => Card.Exclusive;

    /// <summary>The device the model scores on: Cpu or Cuda (what Auto resolved to).</summary>
    public ComputeDevice Device => _session?.Device ?? ComputeDevice.Cpu;

    /// <summary><c>teacher</c> (a transformer in model.onnx) or <c>student</c> (hashed n-grams in student.weights).</summary>
    public string Kind => Card.Kind;

    /// <summary>Texts are cut to this many word pieces, [CLS] and [SEP] included.</summary>
    public int MaxLength => Card.MaxLength;

    /// <summary>A teacher: ONNX Runtime's intra-op thread count. A student: the threads that score a window of texts.</summary>
    public int Threads => _session?.Threads ?? _studentThreads;

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

        output ??= NullOutputWriter.Instance;
        var card = ModelCard.Read(folder);
        if (string.Equals(card.Kind, ModelKind.Student, StringComparison.OrdinalIgnoreCase))
        {
            if (precision == ModelPrecision.Int8)
            {
                output.WriteVerbose(Format(Messages.StudentPrecisionAsStored, card.Path));
            }

            return LoadStudent(card, device, intraOpThreads ?? Environment.ProcessorCount, output);
        }

        if (!string.Equals(card.Kind, ModelKind.Teacher, StringComparison.OrdinalIgnoreCase))
        {
            throw new UptrainException("UnsupportedModelKind", ErrorKind.InvalidData, Format(Messages.UnsupportedModelKind, card.Path, card.Kind), card.Path);
        }

        return LoadTeacher(card, device, intraOpThreads ?? Environment.ProcessorCount, output, precision, verify: true);
    }

    /// <summary>
    /// A teacher whose <paramref name="card"/> is in hand (its <see cref="ModelCard.Path"/> set) and whose folder is not
    /// sealed yet: the trainer scores its graphs before it writes the card. Nothing is verified against checksums.
    /// </summary>
    internal static TextcatModel LoadTeacher(ModelCard card, ComputeDevice device, int threads, IOutputWriter output, ModelPrecision precision, bool verify)
    {
        var weightsName = card.Weights;
        if (precision == ModelPrecision.Int8)
        {
            weightsName = card.Quantized?.Weights
                ?? throw new UptrainException("QuantizedModelNotFound", ErrorKind.ObjectNotFound, Format(Messages.QuantizedModelNotFound, card.Path, ModelFolder.QuantizedOnnxFileName), card.Path);
            if (device == ComputeDevice.Cuda)
            {
                output.WriteWarning(Format(Messages.QuantizedScoresOnCpu, card.Path));
            }

            device = ComputeDevice.Cpu;
        }

        var weights = ModelFile(card, weightsName, Messages.ModelFileWeights);
        var vocab = ModelFile(card, card.Tokenizer.Vocab ?? ModelFolder.VocabFileName, Messages.ModelFileVocab);
        if (verify)
        {
            ModelFolder.Verify(card, output);
        }

        var tokenizer = LoadTokenizer(vocab, card.Tokenizer.LowerCase);
        var session = ScoringSession.Open(weights, card.Labels.Count, device, threads, output);
        output.WriteVerbose(Format(Messages.ModelLoaded, card.Kind, card.Path, session.Device, session.Threads));
        return new TextcatModel(card, session, tokenizer, precision);
    }

    /// <summary>
    /// Scores <paramref name="inputs"/> and yields one prediction per input, in input order, lazily: it reads
    /// a window of inputs, sorts it by token count so that each batch is padded only to its own longest text,
    /// scores the window batch by batch and yields the window's predictions before reading the next.
    /// Memory is bounded by the window, whatever the number of inputs.
    /// </summary>
    /// <param name="inputs">The examples to score; their labels, meta and provenance are carried into the predictions.</param>
    /// <param name="batchSize">Texts per ONNX Runtime call.</param>
    /// <param name="window">Inputs read and sorted at a time; <see cref="DefaultWindowBatches"/> batches when not given.</param>
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
        return _student is null
            ? PredictLazily(inputs, batchSize, windowSize, cancellationToken)
            : PredictStudent(_student, inputs, windowSize, cancellationToken);
    }

    /// <summary>
    /// Scores <paramref name="texts"/> as one batch padded to the longest (no sorting, no windows):
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

        if (_student is not null)
        {
            var flat = MemoryMarshal.CreateSpan(ref result[0, 0], result.Length);
            for (var i = 0; i < texts.Count; i++)
            {
                _student.Score(texts[i], flat.Slice(i * _labels.Length, _labels.Length));
            }

            return result;
        }

        var encoded = new int[texts.Count][];
        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] = Encode(texts[i], out _);
        }

        var order = Enumerable.Range(0, encoded.Length).ToArray();
        var buffers = new ScoringBuffers(encoded.Length, encoded.Max(e => e.Length), _labels.Length, _tokenizer!.PadId);
        using var runOptions = new RunOptions();
        RunBatch(encoded, order, 0, encoded.Length, buffers, runOptions, CancellationToken.None);
        buffers.Scores.AsSpan(0, result.Length).CopyTo(MemoryMarshal.CreateSpan(ref result[0, 0], result.Length));
        return result;
    }

    /// <summary>Frees the ONNX Runtime session.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _session?.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Card} on {Device}";

    private IEnumerable<TextcatPrediction> PredictLazily(IEnumerable<TextcatExample> inputs, int batchSize, int windowSize, CancellationToken cancellationToken)
    {
        var labelCount = _labels.Length;
        var examples = new List<TextcatExample>(Math.Min(windowSize, 1 << 16));
        var encoded = new int[windowSize][];
        var truncated = new bool[windowSize];
        var order = new int[windowSize];
        var scores = new float[windowSize * labelCount];
        var buffers = new ScoringBuffers(Math.Min(batchSize, windowSize), MaxLength, labelCount, _tokenizer!.PadId);
        var lengths = Comparer<int>.Create((a, b) => encoded[a].Length != encoded[b].Length ? encoded[a].Length.CompareTo(encoded[b].Length) : a.CompareTo(b));
        using var runOptions = new RunOptions();
        using var stop = cancellationToken.Register(() => runOptions.Terminate = true);
        using var enumerator = inputs.GetEnumerator();
        var position = 0L;
        var more = true;
        while (more)
        {
            cancellationToken.ThrowIfCancellationRequested();
            examples.Clear();
            while (examples.Count < windowSize && (more = enumerator.MoveNext()))
            {
                var example = enumerator.Current ?? throw new ArgumentException(Format(Messages.NullInput, position), nameof(inputs));
                encoded[examples.Count] = Encode(example.Text, out truncated[examples.Count]);
                order[examples.Count] = examples.Count;
                examples.Add(example);
                position++;
            }

            var count = examples.Count;
            if (count == 0)
            {
                yield break;
            }

            // Shortest first, ties in input order: neighbours in `order` have nearly equal lengths.
            Array.Sort(order, 0, count, lengths);
            for (var start = 0; start < count; start += buffers.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rows = Math.Min(buffers.BatchSize, count - start);
                RunBatch(encoded, order, start, rows, buffers, runOptions, cancellationToken);
                for (var row = 0; row < rows; row++)
                {
                    buffers.Scores.AsSpan(row * labelCount, labelCount).CopyTo(scores.AsSpan(order[start + row] * labelCount, labelCount));
                }
            }

            for (var i = 0; i < count; i++)
            {
                var row = new Dictionary<string, double>(labelCount, StringComparer.Ordinal);
                for (var label = 0; label < labelCount; label++)
                {
                    row[_labels[label]] = scores[(i * labelCount) + label];
                }

                encoded[i] = null!; // let the window's token arrays go while its predictions are consumed
                yield return new TextcatPrediction(examples[i], row, Card) { Truncated = truncated[i] };
            }
        }
    }

    private static TextcatModel LoadStudent(ModelCard card, ComputeDevice device, int threads, IOutputWriter output)
    {
        if (device == ComputeDevice.Cuda)
        {
            output.WriteWarning(Format(Messages.StudentScoresOnCpu, card.Path));
        }

        var student = StudentFolder.Load(card, output);
        output.WriteVerbose(Format(Messages.ModelLoaded, card.Kind, card.Path, ComputeDevice.Cpu, threads));
        return new TextcatModel(card, student, threads);
    }

    /// <summary>
    /// A student's predictions, in input order: a window of inputs is read, its texts are scored by up to
    /// <see cref="Threads"/> threads at once, then the window's predictions are yielded.
    /// </summary>
    private IEnumerable<TextcatPrediction> PredictStudent(StudentModel student, IEnumerable<TextcatExample> inputs, int windowSize, CancellationToken cancellationToken)
    {
        var labelCount = _labels.Length;
        var examples = new List<TextcatExample>(Math.Min(windowSize, 1 << 16));
        var scores = new float[Math.Min(windowSize, 1 << 16) * labelCount];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _studentThreads, CancellationToken = cancellationToken };
        var position = 0L;
        using var enumerator = inputs.GetEnumerator();
        var more = true;
        while (more)
        {
            cancellationToken.ThrowIfCancellationRequested();
            examples.Clear();
            while (examples.Count < windowSize && (more = enumerator.MoveNext()))
            {
                examples.Add(enumerator.Current ?? throw new ArgumentException(Format(Messages.NullInput, position), nameof(inputs)));
                position++;
            }

            if (examples.Count == 0)
            {
                yield break;
            }

            if (scores.Length < examples.Count * labelCount)
            {
                scores = new float[examples.Count * labelCount];
            }

            var window = scores;
            Parallel.For(0, examples.Count, parallel, i => student.Score(examples[i].Text, window.AsSpan(i * labelCount, labelCount)));
            for (var i = 0; i < examples.Count; i++)
            {
                var row = new Dictionary<string, double>(labelCount, StringComparer.Ordinal);
                for (var label = 0; label < labelCount; label++)
                {
                    row[_labels[label]] = scores[(i * labelCount) + label];
                }

                yield return new TextcatPrediction(examples[i], row, Card);
            }
        }
    }

    /// <summary>Scores the texts <c>order[start..start+rows]</c> as one batch padded to the longest of them.</summary>
    private void RunBatch(int[][] encoded, int[] order, int start, int rows, ScoringBuffers buffers, RunOptions runOptions, CancellationToken cancellationToken)
    {
        var length = 0;
        for (var row = 0; row < rows; row++)
        {
            length = Math.Max(length, encoded[order[start + row]].Length);
        }

        for (var row = 0; row < rows; row++)
        {
            buffers.SetRow(row, length, encoded[order[start + row]]);
        }

        try
        {
            _session!.Run(buffers, rows, length, runOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new UptrainException("ScoringFailed", ErrorKind.InvalidOperation, Format(Messages.ScoringFailed, rows, length, ex.Message), Path, ex);
        }
    }

    private int[] Encode(string text, out bool truncated)
    {
        var ids = _tokenizer!.Encode(text, MaxLength, out truncated);
        return ids as int[] ?? [.. ids];
    }

    private static string ModelFile(ModelCard card, string name, string role)
    {
        var path = System.IO.Path.Combine(card.Path!, name);
        if (!File.Exists(path))
        {
            throw new UptrainException("ModelNotFound", ErrorKind.ObjectNotFound, Format(Messages.ModelFileMissing, card.Path, name, role), path);
        }

        return path;
    }

    /// <summary>The tokenizer on the model's vocabulary, which must hold word pieces and BERT's special tokens.</summary>
    private static WordPieceTokenizer LoadTokenizer(string vocab, bool lowerCase)
    {
        try
        {
            return WordPieceTokenizer.FromVocab(vocab, lowerCase);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or InvalidDataException or IOException)
        {
            // The tokenizer library says only what it missed ("[UNK]", an empty vocabulary), not in which file.
            throw new UptrainException("InvalidModel", ErrorKind.InvalidData, Format(Messages.InvalidVocab, vocab, ex.Message), vocab, ex);
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
