using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Uptrain.Diagnostics;

namespace Uptrain.Teacher;

/// <summary>
/// The architecture of a BERT-family encoder, with Hugging Face <c>config.json</c>'s field names.
/// Read from <c>config.json</c>, or inferred from the weights' shapes when there is none (the bundled
/// MiniLM ONNX file carries no config).
/// </summary>
public sealed partial record BertConfig
{
    /// <summary>The config file name in a Hugging Face model folder.</summary>
    public const string FileName = "config.json";

    /// <summary>
    /// The head width assumed when neither a config.json nor the weights' source says: BERT's 64
    /// (bert-base: 768 = 12 × 64). The head count is the one size the weights' shapes cannot show.
    /// Not every BERT-family model has 64: all-MiniLM-L6-v2 has 12 heads of 32 (384 = 12 × 32),
    /// which its ONNX graph reveals (<see cref="BertWeights.AttentionHeadSize"/>).
    /// </summary>
    public const int DefaultHeadSize = 64;

    /// <summary>BERT's layer-norm epsilon (Hugging Face's default for <c>layer_norm_eps</c>).</summary>
    public const double DefaultLayerNormEps = 1e-12;

    /// <summary>BERT's dropout probability (Hugging Face's default for both dropout settings).</summary>
    public const double DefaultDropout = 0.1;

    /// <summary>Token vocabulary size (<c>vocab_size</c>).</summary>
    public required int VocabSize { get; init; }

    /// <summary>Width of every hidden state (<c>hidden_size</c>).</summary>
    public required int HiddenSize { get; init; }

    /// <summary>Number of transformer layers (<c>num_hidden_layers</c>).</summary>
    public required int NumHiddenLayers { get; init; }

    /// <summary>Attention heads per layer (<c>num_attention_heads</c>).</summary>
    public required int NumAttentionHeads { get; init; }

    /// <summary>Width of the feed-forward layer (<c>intermediate_size</c>).</summary>
    public required int IntermediateSize { get; init; }

    /// <summary>Longest sequence the position embeddings cover (<c>max_position_embeddings</c>).</summary>
    public required int MaxPositionEmbeddings { get; init; }

    /// <summary>Number of segment types (<c>type_vocab_size</c>).</summary>
    public int TypeVocabSize { get; init; } = 2;

    /// <summary>Layer-norm epsilon (<c>layer_norm_eps</c>).</summary>
    public double LayerNormEps { get; init; } = DefaultLayerNormEps;

    /// <summary>Feed-forward activation (<c>hidden_act</c>): <c>gelu</c> (exact, erf), <c>gelu_new</c> or
    /// <c>gelu_pytorch_tanh</c> (tanh approximation), or <c>relu</c>.</summary>
    public string HiddenAct { get; init; } = "gelu";

    /// <summary>Dropout after embeddings, attention output and feed-forward (<c>hidden_dropout_prob</c>).</summary>
    public double HiddenDropoutProb { get; init; } = DefaultDropout;

    /// <summary>Dropout on attention probabilities (<c>attention_probs_dropout_prob</c>).</summary>
    public double AttentionProbsDropoutProb { get; init; } = DefaultDropout;

    /// <summary>Width of one attention head.</summary>
    public int HeadSize => HiddenSize / NumAttentionHeads;

    /// <summary>The config of a model folder: its config.json when present, else inferred from <paramref name="weights"/>.</summary>
    public static BertConfig Load(string folder, BertWeights weights)
    {
        var path = Path.Combine(folder, FileName);
        return File.Exists(path) ? FromJson(File.ReadAllText(path), path) : Infer(weights);
    }

    /// <summary>Parses a Hugging Face config.json; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">A required size is missing or the sizes do not fit together.</exception>
    public static BertConfig FromJson(string json, string source = FileName)
    {
        using var document = ParseJson(json, source);
        var root = document.RootElement;
        int Required(string name) => root.TryGetProperty(name, out var value) && value.TryGetInt32(out var number)
            ? number
            : throw Invalid(source, UserMessage.Format(Messages.BertConfigNotInteger, name));
        int Optional(string name, int fallback) => root.TryGetProperty(name, out var value) && value.TryGetInt32(out var number) ? number : fallback;
        double Real(string name, double fallback) => root.TryGetProperty(name, out var value) && value.TryGetDouble(out var number) ? number : fallback;

        var config = new BertConfig
        {
            VocabSize = Required("vocab_size"),
            HiddenSize = Required("hidden_size"),
            NumHiddenLayers = Required("num_hidden_layers"),
            NumAttentionHeads = Required("num_attention_heads"),
            IntermediateSize = Required("intermediate_size"),
            MaxPositionEmbeddings = Required("max_position_embeddings"),
            TypeVocabSize = Optional("type_vocab_size", 2),
            LayerNormEps = Real("layer_norm_eps", DefaultLayerNormEps),
            HiddenAct = root.TryGetProperty("hidden_act", out var act) && act.ValueKind == JsonValueKind.String ? act.GetString()! : "gelu",
            HiddenDropoutProb = Real("hidden_dropout_prob", DefaultDropout),
            AttentionProbsDropoutProb = Real("attention_probs_dropout_prob", DefaultDropout),
        };
        config.Validate(source);
        return config;
    }

    /// <summary>
    /// Infers the architecture from the weights' shapes: vocabulary, hidden and position sizes from the
    /// embedding tables, the layer count from the <c>encoder.layer.N</c> keys, the feed-forward width
    /// from <c>intermediate.dense</c>. The head count is hidden / <see cref="BertWeights.AttentionHeadSize"/>
    /// where the source shows the head width (an ONNX graph does: MiniLM-L6 has 12 heads of 32), else
    /// hidden / 64 (<see cref="DefaultHeadSize"/>, BERT's); a checkpoint with other heads needs its config.json.
    /// </summary>
    /// <exception cref="InvalidDataException">The weights lack the embeddings or layers of a BERT.</exception>
    public static BertConfig Infer(BertWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        WeightTensor Get(string key) => weights.TryGetValue(key, out var tensor) && tensor.Shape.Count == 2
            ? tensor
            : throw Invalid(Messages.BertConfigSourceWeights, UserMessage.Format(Messages.WeightMissing, key));

        var words = Get("embeddings.word_embeddings.weight");
        var layers = weights.Keys
            .Select(k => LayerKey().Match(k))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .DefaultIfEmpty(-1)
            .Max() + 1;
        var hidden = (int)words.Shape[1];
        var config = new BertConfig
        {
            VocabSize = (int)words.Shape[0],
            HiddenSize = hidden,
            NumHiddenLayers = layers,
            NumAttentionHeads = Math.Max(1, hidden / (weights.AttentionHeadSize ?? DefaultHeadSize)),
            IntermediateSize = (int)Get("encoder.layer.0.intermediate.dense.weight").Shape[0],
            MaxPositionEmbeddings = (int)Get("embeddings.position_embeddings.weight").Shape[0],
            TypeVocabSize = weights.TryGetValue("embeddings.token_type_embeddings.weight", out var types) ? (int)types.Shape[0] : 2,
            LayerNormEps = weights.LayerNormEpsilon ?? DefaultLayerNormEps,
        };
        config.Validate("the weights");
        return config;
    }

    /// <summary>Writes the config as Hugging Face config.json text (model_type bert).</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("model_type", "bert");
            json.WriteNumber("vocab_size", VocabSize);
            json.WriteNumber("hidden_size", HiddenSize);
            json.WriteNumber("num_hidden_layers", NumHiddenLayers);
            json.WriteNumber("num_attention_heads", NumAttentionHeads);
            json.WriteNumber("intermediate_size", IntermediateSize);
            json.WriteNumber("max_position_embeddings", MaxPositionEmbeddings);
            json.WriteNumber("type_vocab_size", TypeVocabSize);
            json.WriteNumber("layer_norm_eps", LayerNormEps);
            json.WriteString("hidden_act", HiddenAct);
            json.WriteNumber("hidden_dropout_prob", HiddenDropoutProb);
            json.WriteNumber("attention_probs_dropout_prob", AttentionProbsDropoutProb);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private void Validate(string source)
    {
        if (VocabSize <= 0 || HiddenSize <= 0 || NumHiddenLayers <= 0 || NumAttentionHeads <= 0 || IntermediateSize <= 0 || MaxPositionEmbeddings <= 0 || TypeVocabSize <= 0)
        {
            throw Invalid(source, Messages.BertConfigSizes);
        }

        if (HiddenSize % NumAttentionHeads != 0)
        {
            throw Invalid(source, UserMessage.Format(Messages.BertConfigHeads, HiddenSize, NumAttentionHeads));
        }

        if (HiddenAct is not ("gelu" or "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" or "relu"))
        {
            throw Invalid(source, UserMessage.Format(Messages.UnsupportedActivation, HiddenAct));
        }
    }

    private static JsonDocument ParseJson(string json, string source)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Invalid(source, e.Message);
        }
    }

    private static InvalidDataException Invalid(string source, string reason) =>
        new(UserMessage.Format(Messages.BertConfigInvalid, source, reason));

    [GeneratedRegex(@"^encoder\.layer\.(\d+)\.")]
    private static partial Regex LayerKey();
}
