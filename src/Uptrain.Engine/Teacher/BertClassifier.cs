using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Uptrain.Teacher;

/// <summary>How a text's token states become one vector for the classifier.</summary>
public enum PoolingMode
{
    /// <summary>The mean of the real (unpadded) tokens' last hidden states: what sentence-transformers
    /// models such as all-MiniLM-L6-v2 were trained with, and the default for them.</summary>
    Mean,

    /// <summary>The last hidden state of the first token, [CLS]: BERT's classification convention.</summary>
    Cls,
}

/// <summary>
/// A sequence classifier: a BERT encoder, pooling, dropout and one linear layer giving a logit per
/// label. Parameter names follow Hugging Face's <c>BertForSequenceClassification</c>
/// (<c>bert.…</c>, <c>classifier.weight</c>, <c>classifier.bias</c>). Softmax or sigmoid is applied
/// by the loss in training and by the exported graph in scoring, never here.
/// </summary>
public sealed class BertClassifier : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    /// <summary>Standard deviation of the classifier's initial weights (Hugging Face BERT's initializer_range).</summary>
    public const double InitializerRange = 0.02;

    /// <summary>The start of the head's parameter names (<c>classifier.weight</c>, <c>classifier.bias</c>).</summary>
    public const string HeadPrefix = "classifier.";

    private readonly BertModel bert;
    private readonly TrainingDropout dropout;
    private readonly Linear classifier;

    /// <summary>A classifier on <paramref name="encoder"/> (usually pretrained) with a new, randomly initialised head.</summary>
    /// <param name="encoder">The encoder; the classifier owns it from now on.</param>
    /// <param name="labelCount">Number of labels (outputs).</param>
    /// <param name="pooling">How token states are pooled.</param>
    /// <param name="dropout">Dropout before the head; the encoder's hidden dropout when not given.</param>
    public BertClassifier(BertModel encoder, int labelCount, PoolingMode pooling = PoolingMode.Mean, double? dropout = null)
        : base(nameof(BertClassifier))
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentOutOfRangeException.ThrowIfLessThan(labelCount, 1);
        bert = encoder;
        Pooling = pooling;
        LabelCount = labelCount;
        this.dropout = new TrainingDropout(dropout ?? encoder.Config.HiddenDropoutProb);
        classifier = nn.Linear(encoder.Config.HiddenSize, labelCount);
        using (no_grad())
        {
            nn.init.normal_(classifier.weight!, 0, InitializerRange);
            nn.init.zeros_(classifier.bias!);
        }

        RegisterComponents();
    }

    /// <summary>
    /// Sets the head's bias, one value per label: the trainer starts it at the labels' prior log-odds, so that the
    /// first steps need not move every text's logits towards the labels' frequencies (see <see cref="TeacherTargets.PriorLogits"/>).
    /// </summary>
    public void SetHeadBias(IReadOnlyList<float> bias)
    {
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentOutOfRangeException.ThrowIfNotEqual(bias.Count, LabelCount);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            classifier.bias!.copy_(tensor(bias.ToArray(), device: classifier.bias!.device));
        }
    }

    /// <summary>
    /// Multiplies the head's weights and bias by <paramref name="factor"/>, so that every logit is multiplied by it: how a
    /// fitted inverse temperature (<see cref="Training.TemperatureScaling"/>) becomes part of the model and its export.
    /// </summary>
    public void ScaleHead(double factor)
    {
        using (no_grad())
        {
            classifier.weight!.mul_(factor);
            classifier.bias!.mul_(factor);
        }
    }

    /// <summary>
    /// Sets how training steps compute: the encoder's matrix products in <paramref name="lowerPrecision"/> (null: float32; see
    /// <see cref="MixedPrecision"/>), and every dropout's masks drawn afresh from <paramref name="seed"/>, one stream per
    /// dropout module in the order the modules were registered (<paramref name="libTorchDropout"/>: from libtorch's
    /// generator instead, only for the benchmark). Eval mode is unaffected: it always computes float32 without dropout.
    /// </summary>
    public void ConfigureTraining(ScalarType? lowerPrecision, long seed, bool libTorchDropout = false)
    {
        var stream = 0;
        foreach (var module in modules())
        {
            if (module is IMixedPrecision block)
            {
                block.LowerPrecision = lowerPrecision;
            }
            else if (module is TrainingDropout dropoutModule)
            {
                dropoutModule.Reseed(seed, stream++, libTorchDropout);
            }
        }
    }

    /// <summary>The encoder.</summary>
    public BertModel Encoder => bert;

    /// <summary>How token states are pooled.</summary>
    public PoolingMode Pooling { get; }

    /// <summary>Number of labels.</summary>
    public int LabelCount { get; }

    /// <summary>Token ids, attention mask and token types, each int64 [B, T] → logits [B, labels].</summary>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var hidden = bert.call(inputIds, attentionMask, tokenTypeIds); // [B, T, H]
        var pooled = Pool(hidden, attentionMask, Pooling); // [B, H]
        return classifier.call(dropout.call(pooled)).MoveToOuterDisposeScope(); // [B, labels]
    }

    /// <summary>Pools hidden states [B, T, H] with the attention mask [B, T] into [B, H].</summary>
    public static Tensor Pool(Tensor hidden, Tensor attentionMask, PoolingMode mode)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var scope = NewDisposeScope();
        var pooled = mode switch
        {
            PoolingMode.Cls => hidden[.., 0], // [B, H]
            _ => MeanOfRealTokens(hidden, attentionMask),
        };
        return pooled.MoveToOuterDisposeScope();
    }

    private static Tensor MeanOfRealTokens(Tensor hidden, Tensor attentionMask)
    {
        var weights = attentionMask.to_type(hidden.dtype).unsqueeze(-1); // [B, T, 1]
        var sum = (hidden * weights).sum(1); // [B, H]
        var count = weights.sum(1).clamp_min(1e-9); // [B, 1]: sentence-transformers' floor against empty rows
        return sum / count;
    }
}
