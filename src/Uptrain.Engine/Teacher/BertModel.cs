using TorchSharp;
using Uptrain.Diagnostics;
using static TorchSharp.torch;

namespace Uptrain.Teacher;

/// <summary>What <see cref="BertModel.LoadWeights"/> found.</summary>
/// <param name="Loaded">Parameters set from the weights.</param>
/// <param name="Unused">Weights the model has no parameter for (a pooler, a task head), left alone.</param>
public sealed record BertLoadReport(IReadOnlyList<string> Loaded, IReadOnlyList<string> Unused);

/// <summary>
/// A BERT encoder (Hugging Face <c>BertModel</c> without the pooler) in TorchSharp: token ids,
/// attention mask and token types in, the last hidden state out. Parameter names are the Hugging Face
/// keys, so a checkpoint loads by name.
/// </summary>
public sealed class BertModel : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;

    /// <summary>A randomly initialised encoder of the given architecture.</summary>
    public BertModel(BertConfig config)
        : base(nameof(BertModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        embeddings = new BertEmbeddings(config);
        encoder = new BertEncoder(config);
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public BertConfig Config { get; }

    /// <summary>
    /// The pretrained encoder of a model folder (<c>config.json</c> when present, else sizes inferred
    /// from the weights; weights from <c>model.safetensors</c> or <c>model.onnx</c>).
    /// </summary>
    public static BertModel FromPretrained(string folder)
    {
        var weights = BertWeights.Load(folder);
        var model = new BertModel(BertConfig.Load(folder, weights));
        model.LoadWeights(weights);
        return model;
    }

    /// <summary>
    /// Token ids, attention mask (1 real, 0 padding) and token types, each int64 [B, T], → the last
    /// hidden state [B, T, H]. Padded positions get values too; pooling must mask them out.
    /// </summary>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var hidden = embeddings.call(inputIds, tokenTypeIds); // [B, T, H]

        // Padding gets the most negative float added to its attention scores, so that softmax gives it
        // exactly zero weight (as Hugging Face does with finfo(dtype).min).
        var additiveMask = attentionMask.eq(0).to_type(hidden.dtype).mul(float.MinValue) // [B, T]
            .view(attentionMask.shape[0], 1, 1, attentionMask.shape[1]); // [B, 1, 1, T]
        return encoder.call(hidden, additiveMask).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Sets every parameter from the weight of the same name. Weights without a parameter (a pooler, a
    /// task head) are reported and left alone.
    /// </summary>
    /// <exception cref="InvalidDataException">A parameter has no weight, or one of another shape.</exception>
    public BertLoadReport LoadWeights(BertWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var loaded = new List<string>();
        var missing = new List<string>();
        using (no_grad())
        {
            foreach (var (name, parameter) in named_parameters())
            {
                if (!weights.TryGetValue(name, out var weight))
                {
                    missing.Add(name);
                    continue;
                }

                if (!weight.Shape.SequenceEqual(parameter.shape))
                {
                    throw new InvalidDataException(UserMessage.Format(
                        Messages.WeightShapeMismatch, name, string.Join(", ", weight.Shape), string.Join(", ", parameter.shape)));
                }

                using var source = tensor(weight.Data, [.. weight.Shape], dtype: parameter.dtype, device: parameter.device);
                parameter.copy_(source);
                loaded.Add(name);
            }
        }

        if (missing.Count > 0)
        {
            throw new InvalidDataException(UserMessage.Format(Messages.WeightsMissingForModel, string.Join(", ", missing)));
        }

        var unused = weights.Keys.Except(loaded, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new BertLoadReport(loaded, unused);
    }

    /// <summary>
    /// Freezes (or thaws) the word embedding table. Fine-tuning on a small set barely moves it, and
    /// leaving it out of the backward pass and the optimizer roughly halves the cost of a step.
    /// </summary>
    public void FreezeWordEmbeddings(bool frozen = true) => embeddings.WordEmbeddings.requires_grad = !frozen;
}
