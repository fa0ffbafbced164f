using Microsoft.ML.OnnxRuntime;
using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Text;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Inference;

/// <summary>
/// A teacher's scorer: its WordPiece tokenizer and one ONNX Runtime session on its graph (fp32 or 8-bit). A window's
/// texts are encoded, sorted by token count so that each batch is padded only to its own longest text, and scored batch
/// by batch.
/// </summary>
internal sealed class OnnxTeacherScorer(ScoringSession session, WordPieceTokenizer tokenizer, int maxLength, ModelPrecision precision, string path) : ITextcatScorer
{
    /// <inheritdoc />
    public ComputeDevice Device => session.Device;

    /// <inheritdoc />
    public int Threads => session.Threads;

    /// <inheritdoc />
    public ModelPrecision Precision => precision;

    /// <summary>
    /// Opens the teacher of <paramref name="card"/>: the fp32 graph, or the 8-bit one (on the CPU, with a warning when
    /// Cuda was asked for) where <see cref="ScorerRequest.Precision"/> is Int8.
    /// </summary>
    /// <exception cref="UptrainException"><c>QuantizedModelNotFound</c>, <c>ModelNotFound</c>, <c>ModelFileChanged</c>,
    /// <c>InvalidModel</c>, <c>CudaUnavailable</c>.</exception>
    public static OnnxTeacherScorer Open(ModelCard card, ScorerRequest request, IOutputWriter output)
    {
        var weightsName = card.Weights;
        var device = request.Device;
        if (request.Precision == ModelPrecision.Int8)
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
        if (request.Verify)
        {
            ModelFolder.Verify(card, output);
        }

        var tokenizer = LoadTokenizer(vocab, card.Tokenizer.LowerCase);
        var session = ScoringSession.Open(weights, card.Labels.Count, device, request.Threads, output);
        return new OnnxTeacherScorer(session, tokenizer, card.MaxLength, request.Precision, card.Path!);
    }

    /// <inheritdoc />
    public void Score(IReadOnlyList<string> texts, int batchSize, float[] scores, bool[] truncated, CancellationToken cancellationToken)
    {
        var count = texts.Count;
        if (count == 0)
        {
            return;
        }

        var labelCount = session.LabelCount;
        var encoded = new int[count][];
        var order = new int[count];
        var longest = 0;
        for (var i = 0; i < count; i++)
        {
            var ids = tokenizer.Encode(texts[i], maxLength, out truncated[i]);
            encoded[i] = ids as int[] ?? [.. ids];
            order[i] = i;
            longest = Math.Max(longest, encoded[i].Length);
        }

        // Shortest first, ties in input order: neighbours in `order` have nearly equal lengths.
        Array.Sort(order, Comparer<int>.Create((a, b) => encoded[a].Length != encoded[b].Length ? encoded[a].Length.CompareTo(encoded[b].Length) : a.CompareTo(b)));
        var buffers = new ScoringBuffers(Math.Min(batchSize, count), longest, labelCount, tokenizer.PadId);
        using var runOptions = new RunOptions();
        using var stop = cancellationToken.Register(() => runOptions.Terminate = true);
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
    }

    /// <summary>Frees the ONNX Runtime session.</summary>
    public void Dispose() => session.Dispose();

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
            session.Run(buffers, rows, length, runOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new UptrainException("ScoringFailed", ErrorKind.InvalidOperation, Format(Messages.ScoringFailed, rows, length, ex.Message), path, ex);
        }
    }

    private static string ModelFile(ModelCard card, string name, string role)
    {
        var path = Path.Combine(card.Path!, name);
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
}

/// <summary>Opens teacher folders (<see cref="ModelKind.Teacher"/>) as <see cref="OnnxTeacherScorer"/>s.</summary>
internal sealed class TeacherScorerKind : IScorerKind
{
    /// <inheritdoc />
    public ModelKind Kind => ModelKind.Teacher;

    /// <inheritdoc />
    public ITextcatScorer Open(ModelCard card, ScorerRequest request, IOutputWriter output) => OnnxTeacherScorer.Open(card, request, output);
}
