using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Uptrain.Teacher;

// The blocks of a BERT encoder as TorchSharp modules. Field names are the Hugging Face checkpoint
// keys, so that named_parameters() yields exactly the names BertWeights holds (the C# field `@self`
// is named "self"). B = batch, T = sequence length, H = hidden size, N = heads, D = head size (H / N),
// I = intermediate size. In training mode the blocks that multiply matrices compute in the lower precision of
// IMixedPrecision.LowerPrecision when one is set (see MixedPrecision); eval mode is always float32.

/// <summary>A block whose matrix products can run in a lower precision while training.</summary>
internal interface IMixedPrecision
{
    /// <summary>The precision of the block's matrix products in training mode; null: float32.</summary>
    ScalarType? LowerPrecision { get; set; }
}

/// <summary>Word, position and token-type embeddings, summed, layer-normalised, dropped out.</summary>
public sealed class BertEmbeddings : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly TrainingDropout dropout;

    /// <summary>Embeddings sized by <paramref name="config"/>, randomly initialised.</summary>
    public BertEmbeddings(BertConfig config)
        : base(nameof(BertEmbeddings))
    {
        ArgumentNullException.ThrowIfNull(config);
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        token_type_embeddings = nn.Embedding(config.TypeVocabSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = new TrainingDropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <summary>The word embedding table, [vocab, H].</summary>
    public Parameter WordEmbeddings => word_embeddings.weight!;

    /// <summary>Token ids [B, T] and token types [B, T] (int64) → embeddings [B, T, H].</summary>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var positions = arange(inputIds.shape[1], dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0); // [1, T]
        var sum = word_embeddings.call(inputIds) + position_embeddings.call(positions) + token_type_embeddings.call(tokenTypeIds); // [B, T, H]
        return dropout.call(LayerNorm.call(sum)).MoveToOuterDisposeScope();
    }
}

/// <summary>Multi-head scaled dot-product self-attention (queries, keys and values from one input).</summary>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>, IMixedPrecision
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly TrainingDropout dropout;
    private readonly long _heads;
    private readonly long _headSize;
    private ScalarType? _lower;

    /// <summary>Attention sized by <paramref name="config"/>.</summary>
    public BertSelfAttention(BertConfig config)
        : base(nameof(BertSelfAttention))
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.NumAttentionHeads;
        _headSize = config.HeadSize;
        query = nn.Linear(config.HiddenSize, config.HiddenSize);
        key = nn.Linear(config.HiddenSize, config.HiddenSize);
        value = nn.Linear(config.HiddenSize, config.HiddenSize);
        dropout = new TrainingDropout(config.AttentionProbsDropoutProb);
        RegisterComponents();
    }

    /// <inheritdoc />
    ScalarType? IMixedPrecision.LowerPrecision { get => _lower; set => _lower = value; }

    /// <summary>Hidden states [B, T, H] and an additive mask [B, 1, 1, T] (0 keep, very negative drop) → context [B, T, H].</summary>
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var batch = hidden.shape[0];
        var length = hidden.shape[1];
        Tensor Heads(Tensor x) => x.view(batch, length, _heads, _headSize).transpose(1, 2); // [B, T, H] → [B, N, T, D]

        var lower = training ? _lower : null;
        Tensor q, k, v;
        if (training)
        {
            // One product for queries, keys and values (their weights side by side): on short texts three small
            // products cost more in overhead than in arithmetic. Eval keeps the three products the export has.
            var type = lower ?? ScalarType.Float32;
            var weight = cat([query.weight!, key.weight!, value.weight!], 0).to_type(type); // [3H, H]
            var bias = cat([query.bias!, key.bias!, value.bias!], 0).to_type(type); // [3H]
            var parts = nn.functional.linear(hidden.to_type(type), weight, bias) // [B, T, 3H]
                .view(batch, length, 3, _heads, _headSize).permute(2, 0, 3, 1, 4); // [3, B, N, T, D]
            (q, k, v) = (parts[0], parts[1], parts[2]);
        }
        else
        {
            q = Heads(query.call(hidden));
            k = Heads(key.call(hidden));
            v = Heads(value.call(hidden));
        }

        // Scores, mask and softmax in float32 whatever the products' precision.
        var scores = MixedPrecision.MatMul(q, k.transpose(-1, -2), lower).to_type(ScalarType.Float32).div(Math.Sqrt(_headSize)) + additiveMask; // [B, N, T, T]
        var probabilities = dropout.call(scores.softmax(-1)); // [B, N, T, T]
        var context = MixedPrecision.MatMul(probabilities, v, lower) // [B, N, T, D]
            .transpose(1, 2).contiguous() // [B, T, N, D]
            .view(batch, length, _heads * _headSize); // [B, T, H]
        return context.MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Dense projection back to the hidden size, dropout, residual connection and layer norm: the block
/// after self-attention (Hugging Face's BertSelfOutput, input width H) and after the feed-forward
/// expansion (BertOutput, input width I). One class serves both; the weight keys come from the field
/// names of the blocks that hold it (<c>attention.output.*</c>, <c>output.*</c>).
/// </summary>
public sealed class BertOutputBlock : nn.Module<Tensor, Tensor, Tensor>, IMixedPrecision
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly TrainingDropout dropout;
    private ScalarType? _lower;

    /// <summary>The block from <paramref name="inputSize"/> features to the hidden size of <paramref name="config"/>.</summary>
    public BertOutputBlock(int inputSize, BertConfig config)
        : base(nameof(BertOutputBlock))
    {
        ArgumentNullException.ThrowIfNull(config);
        dense = nn.Linear(inputSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = new TrainingDropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <inheritdoc />
    ScalarType? IMixedPrecision.LowerPrecision { get => _lower; set => _lower = value; }

    /// <summary>Features [B, T, in] and the residual [B, T, H] → [B, T, H] (float32: the residual sum and layer norm are).</summary>
    public override Tensor forward(Tensor features, Tensor residual)
    {
        using var scope = NewDisposeScope();
        var projected = dropout.call(MixedPrecision.Linear(dense, features, training ? _lower : null));
        return LayerNorm.call(projected.to_type(ScalarType.Float32) + residual).MoveToOuterDisposeScope();
    }
}

/// <summary>Self-attention followed by its output block.</summary>
public sealed class BertAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertSelfAttention @self;
    private readonly BertOutputBlock output;

    /// <summary>The block sized by <paramref name="config"/>.</summary>
    public BertAttention(BertConfig config)
        : base(nameof(BertAttention))
    {
        @self = new BertSelfAttention(config);
        output = new BertOutputBlock(config.HiddenSize, config);
        RegisterComponents();
    }

    /// <summary>Hidden states [B, T, H] and additive mask [B, 1, 1, T] → [B, T, H].</summary>
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        return output.call(@self.call(hidden, additiveMask), hidden).MoveToOuterDisposeScope();
    }
}

/// <summary>The feed-forward expansion: linear to the intermediate size, then the activation.</summary>
public sealed class BertIntermediate : nn.Module<Tensor, Tensor>, IMixedPrecision
{
    private readonly Linear dense;
    private readonly string _activation;
    private ScalarType? _lower;

    /// <summary>The block sized by <paramref name="config"/>, with its <see cref="BertConfig.HiddenAct"/>.</summary>
    public BertIntermediate(BertConfig config)
        : base(nameof(BertIntermediate))
    {
        ArgumentNullException.ThrowIfNull(config);
        dense = nn.Linear(config.HiddenSize, config.IntermediateSize);
        _activation = config.HiddenAct;
        RegisterComponents();
    }

    /// <inheritdoc />
    ScalarType? IMixedPrecision.LowerPrecision { get => _lower; set => _lower = value; }

    /// <summary>[B, T, H] → [B, T, I] (in the lower precision, when training with one).</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var x = MixedPrecision.Linear(dense, hidden, training ? _lower : null); // [B, T, I]
        var activated = _activation switch
        {
            // Exact GELU, x·Φ(x) with the erf (what BERT's "gelu" means and what the MiniLM ONNX graph computes).
            "gelu" => x.gelu(),
            "relu" => x.relu(),

            // GELU's tanh approximation (Hugging Face's gelu_new and gelu_pytorch_tanh).
            _ => x * 0.5 * (1.0 + ((x + (x.pow(3) * 0.044715)) * Math.Sqrt(2.0 / Math.PI)).tanh()),
        };
        return activated.MoveToOuterDisposeScope();
    }
}

/// <summary>One transformer layer: attention, then feed-forward.</summary>
public sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertOutputBlock output;

    /// <summary>A layer sized by <paramref name="config"/>.</summary>
    public BertLayer(BertConfig config)
        : base(nameof(BertLayer))
    {
        attention = new BertAttention(config);
        intermediate = new BertIntermediate(config);
        output = new BertOutputBlock(config.IntermediateSize, config);
        RegisterComponents();
    }

    /// <summary>Hidden states [B, T, H] and additive mask [B, 1, 1, T] → [B, T, H].</summary>
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var attended = attention.call(hidden, additiveMask); // [B, T, H]
        return output.call(intermediate.call(attended), attended).MoveToOuterDisposeScope();
    }
}

/// <summary>The stack of transformer layers (<c>encoder.layer.N</c>).</summary>
public sealed class BertEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<BertLayer> layer;

    /// <summary><see cref="BertConfig.NumHiddenLayers"/> layers sized by <paramref name="config"/>.</summary>
    public BertEncoder(BertConfig config)
        : base(nameof(BertEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        layer = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config)).ToArray());
        RegisterComponents();
    }

    /// <summary>Hidden states [B, T, H] and additive mask [B, 1, 1, T] → [B, T, H].</summary>
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        foreach (var block in layer)
        {
            hidden = block.call(hidden, additiveMask);
        }

        return hidden.MoveToOuterDisposeScope();
    }
}
