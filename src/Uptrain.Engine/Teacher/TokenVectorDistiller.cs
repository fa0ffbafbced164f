using System.Text;
using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Text;
using static TorchSharp.torch;

namespace Uptrain.Teacher;

/// <summary>
/// Static token vectors from a BERT encoder (the Model2Vec recipe): every vocabulary entry alone goes through the
/// encoder as <c>[CLS] entry [SEP]</c>, the mean of the three output states is its vector, and PCA over the whole
/// vocabulary keeps the <see cref="DefaultDimension"/> directions of most variance. The result is
/// <see cref="TokenVectors"/>, which a student uses without the encoder.
/// </summary>
public static class TokenVectorDistiller
{
    /// <summary>Default dimension after PCA (MiniLM-L6's 384 states keep most of their variance in 256).</summary>
    public const int DefaultDimension = 256;

    /// <summary>Vocabulary entries per forward pass.</summary>
    internal const int BatchSize = 1024;

    /// <summary>The progress activity id of a distillation.</summary>
    public const int ActivityId = 3;

    /// <summary>
    /// The token vectors of the encoder in <paramref name="folder"/>: a teacher folder (its <c>model.onnx</c>, the
    /// fine-tuned encoder) or a base model folder (<c>model.safetensors</c> or <c>model.onnx</c>), with its
    /// <c>vocab.txt</c> and tokenizer settings.
    /// </summary>
    /// <exception cref="UptrainException"><c>BaseModelNotFound</c> when the folder has no vocabulary or weights;
    /// <c>TeacherRuntimeMissing</c> and <c>TeacherRuntimeDamaged</c> without LibTorch (see <see cref="TeacherRuntime.Require"/>).</exception>
    public static TokenVectors FromFolder(string folder, string source, IOutputWriter output, int dimension = DefaultDimension, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(output);
        // The encoder runs in TorchSharp.
        TeacherRuntime.Require();
        if (!TeacherModels.IsBaseModelFolder(folder))
        {
            throw new UptrainException("BaseModelNotFound", ErrorKind.ObjectNotFound, UserMessage.Format(Messages.BaseModelNotFound, folder), folder);
        }

        var tokenizer = WordPieceTokenizer.FromFolder(folder);
        var vocabulary = ReadVocabulary(Path.Combine(folder, ModelFolder.VocabFileName));
        using var encoder = BertModel.FromPretrained(folder);
        return Distill(encoder, vocabulary, tokenizer.LowerCase, tokenizer.ClsId, tokenizer.SepId, dimension, source, output, cancellationToken);
    }

    /// <summary>The token vectors of <paramref name="encoder"/> for <paramref name="vocabulary"/> (id order).</summary>
    /// <param name="encoder">The encoder; put in eval mode for the passes and left so.</param>
    /// <param name="vocabulary">The word pieces, in id order.</param>
    /// <param name="lowerCase">Whether the vocabulary is lower case (recorded in the table).</param>
    /// <param name="clsId">The id of <c>[CLS]</c>.</param>
    /// <param name="sepId">The id of <c>[SEP]</c>.</param>
    /// <param name="dimension">Dimensions kept by PCA (at most the encoder's hidden size).</param>
    /// <param name="source">Recorded in the table: where the vectors came from.</param>
    /// <param name="output">Progress, per batch.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    public static TokenVectors Distill(BertModel encoder, IReadOnlyList<string> vocabulary, bool lowerCase, int clsId, int sepId, int dimension, string source, IOutputWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var count = vocabulary.Count;
        var hiddenSize = encoder.Config.HiddenSize;
        dimension = Math.Min(dimension, hiddenSize);
        var states = new float[(long)count * hiddenSize];
        var activity = UserMessage.Format(Messages.TokenVectorsActivity, count);
        encoder.eval();
        using (no_grad())
        {
            for (var start = 0; start < count; start += BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = Math.Min(BatchSize, count - start);
                var ids = new long[batch * 3];
                for (var i = 0; i < batch; i++)
                {
                    ids[3 * i] = clsId;
                    ids[(3 * i) + 1] = start + i;
                    ids[(3 * i) + 2] = sepId;
                }

                using var scope = NewDisposeScope();
                var input = tensor(ids, [batch, 3]);
                var mask = ones([batch, 3], ScalarType.Int64);
                var types = zeros([batch, 3], ScalarType.Int64);
                var mean = encoder.call(input, mask, types).mean([1]).to_type(ScalarType.Float32).contiguous();
                mean.data<float>().CopyTo(states.AsSpan(start * hiddenSize, batch * hiddenSize));
                output.WriteProgress(new ProgressInfo(ActivityId, activity, UserMessage.Format(Messages.TokenVectorsStatus, start + batch, count), (int)(100L * (start + batch) / count)));
            }
        }

        output.WriteProgress(new ProgressInfo(ActivityId, activity, string.Empty, 100, Completed: true));
        var reduced = Pca(states, count, hiddenSize, dimension);
        output.WriteVerbose(UserMessage.Format(Messages.TokenVectorsDistilled, count, hiddenSize, dimension, source));
        return TokenVectors.Quantize(vocabulary, lowerCase, dimension, reduced, source);
    }

    /// <summary>
    /// The rows of <paramref name="values"/> ([rows × width]) centred on their mean and projected on the
    /// <paramref name="dimension"/> eigenvectors of their covariance with the largest eigenvalues, largest first; each
    /// eigenvector's sign is chosen so that its largest component is positive, so that a table repeats.
    /// </summary>
    internal static float[] Pca(float[] values, int rows, int width, int dimension)
    {
        using var scope = NewDisposeScope();
        var x = tensor(values, [rows, width], ScalarType.Float64);
        var centred = x - x.mean([0], keepdim: true);
        var covariance = centred.t().mm(centred) / rows;
        var (_, vectors) = linalg.eigh(covariance); // ascending eigenvalues, eigenvectors as columns
        var top = vectors.flip([1]).narrow(1, 0, dimension); // [width, dimension], largest first
        var largest = top.abs().argmax(0, keepdim: true);
        var signs = top.gather(0, largest).sign();
        signs = where(signs.eq(0), ones_like(signs), signs);
        var projected = centred.mm(top * signs).to_type(ScalarType.Float32).contiguous();
        return projected.data<float>().ToArray();
    }

    /// <summary>The lines of a vocab.txt: entry i is word piece id i.</summary>
    internal static string[] ReadVocabulary(string path) =>
        File.ReadAllLines(path, Encoding.UTF8).Select(line => line.TrimEnd('\r')).ToArray();
}
