using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Teacher.Onnx;
using DataType = Uptrain.Teacher.Onnx.TensorProto.Types.DataType;

namespace Uptrain.Teacher;

/// <summary>
/// The weights of a BERT-family encoder, keyed by Hugging Face <c>BertModel</c> names
/// (<c>embeddings.word_embeddings.weight</c>, <c>encoder.layer.0.attention.self.query.weight</c>, …)
/// and laid out as Hugging Face keeps them (a linear layer's weight is <c>[out, in]</c>). Read from
/// a <c>model.safetensors</c> checkpoint or from an ONNX export such as the bundled MiniLM.
/// </summary>
public sealed class BertWeights : IReadOnlyDictionary<string, WeightTensor>
{
    /// <summary>The checkpoint file looked for first in a model folder.</summary>
    public const string SafetensorsFileName = "model.safetensors";

    /// <summary>The ONNX file looked for in a model folder when there is no checkpoint.</summary>
    public const string OnnxFileName = ModelFolder.OnnxFileName;

    private const string TransposedSuffix = ".T";

    private readonly Dictionary<string, WeightTensor> _tensors;

    /// <summary>Weights from tensors already named with Hugging Face keys (normalised by <see cref="NormalizeKey"/>).</summary>
    public BertWeights(IEnumerable<KeyValuePair<string, WeightTensor>> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        _tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        foreach (var (key, tensor) in tensors)
        {
            _tensors[NormalizeKey(key)] = tensor;
        }
    }

    /// <summary>
    /// The layer-norm epsilon found in the source, when it says (an ONNX export carries it as a
    /// constant; a safetensors checkpoint does not, its config.json does).
    /// </summary>
    public double? LayerNormEpsilon { get; private init; }

    /// <summary>
    /// The width of one attention head, when the source shows it. The weights' shapes cannot (12 heads
    /// of 32 and 6 heads of 64 have the same matrices), but an ONNX graph scales the attention scores by
    /// 1/√(head size), which gives it away: all-MiniLM-L6-v2 divides by √32, so it has 12 heads.
    /// </summary>
    public int? AttentionHeadSize { get; private init; }

    /// <inheritdoc/>
    public int Count => _tensors.Count;

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _tensors.Keys;

    /// <inheritdoc/>
    public IEnumerable<WeightTensor> Values => _tensors.Values;

    /// <inheritdoc/>
    public WeightTensor this[string key] => _tensors.TryGetValue(key, out var tensor)
        ? tensor
        : throw new KeyNotFoundException(UserMessage.Format(Messages.WeightMissing, key));

    /// <summary>
    /// Reads the weights of a model folder: <c>model.safetensors</c> when present, else <c>model.onnx</c>.
    /// A path to either file is accepted as well.
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither file is there.</exception>
    public static BertWeights Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            return path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? FromOnnx(ModelProto.Load(path)) : FromSafetensors(path);
        }

        var safetensors = Path.Combine(path, SafetensorsFileName);
        if (File.Exists(safetensors))
        {
            return FromSafetensors(safetensors);
        }

        var onnx = Path.Combine(path, OnnxFileName);
        if (File.Exists(onnx))
        {
            return FromOnnx(ModelProto.Load(onnx));
        }

        throw new FileNotFoundException(UserMessage.Format(Messages.ModelWeightsNotFound, path), safetensors);
    }

    /// <summary>Reads a Hugging Face <c>model.safetensors</c> checkpoint (F32, F16 or BF16).</summary>
    public static BertWeights FromSafetensors(string path) => new(SafetensorsFile.Read(path));

    /// <summary>
    /// Recovers the Hugging Face weights from a BERT exported to ONNX by PyTorch. Embeddings, biases
    /// and layer-norm parameters keep their names in such a graph, but constant folding leaves each
    /// linear layer's weight as an anonymous initializer (such as <c>927</c>, shape <c>[in, out]</c>)
    /// that feeds a <c>MatMul</c>. The <c>Add</c> that follows that <c>MatMul</c> adds the layer's named
    /// bias, so <c>X.bias</c> identifies the weight as <c>X.weight</c>; it is transposed to
    /// <c>[out, in]</c>. A <c>Gemm</c> (the pooler) names both its weight and its bias. Uptrain's own
    /// export (<see cref="TeacherOnnxExport"/>) names such a weight <c>&lt;key&gt;.T</c>, which is read
    /// back the same way; its head comes back as <c>classifier.weight</c> and <c>classifier.bias</c>.
    /// </summary>
    /// <exception cref="InvalidDataException">The graph holds a float matrix this mapping cannot name.</exception>
    public static BertWeights FromOnnx(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);

        foreach (var initializer in graph.Initializer)
        {
            if (initializer.ElementType != DataType.Float || !IsBertKey(initializer.Name))
            {
                continue;
            }

            // Uptrain's own export names a MatMul weight "<key>.T": the key's tensor, transposed.
            var tensor = new WeightTensor(initializer.Dims, initializer.ToFloatArray());
            if (initializer.Name.EndsWith(TransposedSuffix, StringComparison.Ordinal) && tensor.Shape.Count == 2)
            {
                tensors[initializer.Name[..^TransposedSuffix.Length]] = tensor.Transpose();
            }
            else
            {
                tensors[initializer.Name] = tensor;
            }
        }

        foreach (var matMul in graph.Node.Where(n => n.OpType == "MatMul" && n.Input.Count == 2))
        {
            if (!initializers.TryGetValue(matMul.Input[1], out var weight) || IsBertKey(weight.Name))
            {
                continue;
            }

            var bias = graph.Consumers(matMul.Output[0])
                .Where(n => n.OpType == "Add")
                .SelectMany(n => n.Input)
                .FirstOrDefault(name => name.EndsWith(".bias", StringComparison.Ordinal) && initializers.ContainsKey(name));
            if (bias is null || weight.ElementType != DataType.Float || weight.Dims.Count != 2)
            {
                throw new InvalidDataException(UserMessage.Format(Messages.OnnxWeightUnnamed, weight.Name, matMul.Output[0]));
            }

            var key = string.Concat(bias.AsSpan(0, bias.Length - ".bias".Length), ".weight");
            tensors[key] = new WeightTensor(weight.Dims, weight.ToFloatArray()).Transpose();
        }

        return new BertWeights(tensors)
        {
            LayerNormEpsilon = FindLayerNormEpsilon(graph),
            AttentionHeadSize = FindAttentionHeadSize(graph),
        };
    }

    /// <summary>
    /// Maps the key spellings of Hugging Face checkpoints onto <c>BertModel</c>'s: drops the
    /// <c>bert.</c> prefix of task models (<c>BertForSequenceClassification</c> and the like) and
    /// renames the TensorFlow-era layer-norm <c>gamma</c>/<c>beta</c> to <c>weight</c>/<c>bias</c>.
    /// </summary>
    public static string NormalizeKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.StartsWith("bert.", StringComparison.Ordinal))
        {
            key = key["bert.".Length..];
        }

        if (key.Contains("LayerNorm.", StringComparison.Ordinal))
        {
            if (key.EndsWith(".gamma", StringComparison.Ordinal))
            {
                key = key[..^".gamma".Length] + ".weight";
            }
            else if (key.EndsWith(".beta", StringComparison.Ordinal))
            {
                key = key[..^".beta".Length] + ".bias";
            }
        }

        return key;
    }

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _tensors.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out WeightTensor value) => _tensors.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, WeightTensor>> GetEnumerator() => _tensors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static bool IsBertKey(string name) =>
        name.StartsWith("embeddings.", StringComparison.Ordinal) ||
        name.StartsWith("encoder.", StringComparison.Ordinal) ||
        name.StartsWith("pooler.", StringComparison.Ordinal) ||
        name.StartsWith("classifier.", StringComparison.Ordinal);

    /// <summary>
    /// A decomposed LayerNorm in an ONNX graph computes <c>Sqrt(ReduceMean(d²) + eps)</c>: eps is the
    /// scalar constant added just before the first <c>Sqrt</c>. A fused <c>LayerNormalization</c> node
    /// carries it as its <c>epsilon</c> attribute.
    /// </summary>
    private static double? FindLayerNormEpsilon(GraphProto graph)
    {
        var fused = graph.Node.FirstOrDefault(n => n.OpType == "LayerNormalization")?.FindAttribute("epsilon");
        if (fused is not null)
        {
            return fused.F;
        }

        var sqrt = graph.Node.FirstOrDefault(n => n.OpType == "Sqrt");
        var add = sqrt is null ? null : Producer(graph, sqrt.Input[0]);
        return add?.OpType == "Add" ? add.Input.Select(i => Scalar(graph, i)).FirstOrDefault(v => v is not null) : null;
    }

    /// <summary>
    /// Attention computes <c>Softmax(Q·Kᵀ / √d + mask)</c>. Walking back from the first <c>Softmax</c>
    /// through the mask's <c>Add</c> reaches the scaling: a <c>Div</c> by √d or a <c>Mul</c> by 1/√d.
    /// </summary>
    private static int? FindAttentionHeadSize(GraphProto graph)
    {
        var value = graph.Node.FirstOrDefault(n => n.OpType == "Softmax")?.Input[0];
        for (var depth = 0; depth < 4 && value is not null; depth++)
        {
            var producer = Producer(graph, value);
            if (producer is null)
            {
                return null;
            }

            if (producer.OpType is "Div" or "Mul" && producer.Input.Count == 2 && Scalar(graph, producer.Input[1]) is double scale and > 0)
            {
                var size = producer.OpType == "Div" ? scale * scale : 1 / (scale * scale);
                return (int)Math.Round(size);
            }

            value = producer.Input[0];
        }

        return null;
    }

    private static NodeProto? Producer(GraphProto graph, string value) => graph.Node.FirstOrDefault(n => n.Output.Contains(value));

    /// <summary>The value of a one-element float constant (a <c>Constant</c> node or an initializer).</summary>
    private static double? Scalar(GraphProto graph, string name)
    {
        var tensor = Producer(graph, name) is { OpType: "Constant" } constant
            ? constant.FindAttribute("value")?.T
            : graph.Initializer.FirstOrDefault(t => t.Name == name);
        return tensor is { ElementType: DataType.Float, ElementCount: 1 } ? tensor.ToFloatArray()[0] : null;
    }
}
