using System.Globalization;
using Google.Protobuf;
using DataType = Uptrain.Teacher.Onnx.TensorProto.Types.DataType;

namespace Uptrain.Teacher.Onnx;

/// <summary>
/// Dynamic 8-bit quantisation of an fp32 ONNX graph for CPU scoring: every <c>MatMul</c> whose second input is a
/// 2-D float initializer (a weight matrix [in, out]) becomes ONNX Runtime's <c>com.microsoft.DynamicQuantizeMatMul</c>,
/// with the weights stored as int8, symmetric (zero point 0), one scale per output column; the activations are
/// quantised to uint8 per call at run time, by the operator itself. Where the <c>MatMul</c>'s only consumer adds a
/// 1-D float initializer (a linear layer's bias), the bias moves into the operator. Everything else (embeddings,
/// layer norms, attention's activation-by-activation products, the weights <see cref="Quantize"/> is told to keep)
/// stays as it was.
/// </summary>
/// <remarks>
/// The contrib operator, not the standard opset's <c>DynamicQuantizeLinear</c> + <c>MatMulInteger</c> + <c>Cast</c> +
/// <c>Mul</c>: ONNX Runtime fuses the latter into the former when it optimises the graph, so both score at one speed
/// (measured: bench/results/2026-11-30-teacher-int8.md), and the contrib node is one node where the other is four,
/// with the bias folded in. ONNX Runtime pairs uint8 activations with int8 weights (U8S8), the fast path of AVX-VNNI
/// and AMX-INT8.
/// </remarks>
public static class OnnxQuantizer
{
    /// <summary>The operator set domain of ONNX Runtime's own operators.</summary>
    public const string MicrosoftDomain = "com.microsoft";

    /// <summary>The quantised matrix product (<c>com.microsoft</c>, version 1).</summary>
    public const string QuantizedMatMul = "DynamicQuantizeMatMul";

    /// <summary>The suffix of a quantised weight's initializer (int8, [in, out]); its scales end in <see cref="ScaleSuffix"/>.</summary>
    public const string WeightSuffix = ".int8";

    /// <summary>The suffix of a quantised weight's scales (float, [out]).</summary>
    public const string ScaleSuffix = ".scale";

    /// <summary>The largest magnitude of a symmetric int8 value: -127..127, so that zero is exact and the range even.</summary>
    private const float Int8Limit = 127f;

    /// <summary>
    /// The quantised copy of <paramref name="model"/> (which is left unchanged). Weights named in
    /// <paramref name="keepFloat"/> stay fp32.
    /// </summary>
    /// <returns>The new model and the number of matrix products it quantised.</returns>
    public static (ModelProto Model, int Quantized) Quantize(ModelProto model, IReadOnlyCollection<string>? keepFloat = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        keepFloat ??= [];
        var result = model.Clone();
        var graph = result.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var consumers = Consumers(graph);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var replaced = new HashSet<NodeProto>();
        var quantizedWeights = new HashSet<string>(StringComparer.Ordinal);
        var nodes = new List<NodeProto>(graph.Node.Count);
        foreach (var node in graph.Node)
        {
            if (replaced.Contains(node))
            {
                continue;
            }

            if (!IsWeightMatMul(node, initializers, keepFloat, out var weight))
            {
                nodes.Add(node);
                continue;
            }

            var bias = FoldableBias(node, consumers, outputs, initializers);
            if (quantizedWeights.Add(weight.Name))
            {
                graph.Initializer.AddRange(QuantizeColumns(weight));
            }

            string[] inputs = bias is null
                ? [node.Input[0], weight.Name + WeightSuffix, weight.Name + ScaleSuffix]
                : [node.Input[0], weight.Name + WeightSuffix, weight.Name + ScaleSuffix, string.Empty, bias.Value.Bias];
            var output = bias is null ? node.Output[0] : bias.Value.Add.Output[0];
            var name = string.Create(CultureInfo.InvariantCulture, $"{QuantizedMatMul}_{quantizedWeights.Count}_{nodes.Count}");
            nodes.Add(new NodeProto { OpType = QuantizedMatMul, Domain = MicrosoftDomain, Name = name, Input = { inputs }, Output = { output } });
            if (bias is not null)
            {
                replaced.Add(bias.Value.Add);
            }
        }

        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        RemoveUnused(graph);
        if (!result.OpsetImport.Any(o => o.Domain == MicrosoftDomain))
        {
            result.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        }

        return (result, quantizedWeights.Count);
    }

    /// <summary>
    /// The matrix products of <paramref name="model"/> that still multiply by a float weight initializer: what
    /// <see cref="Quantize"/> leaves in fp32 (the weights it was told to keep, and nothing else).
    /// </summary>
    public static IReadOnlyList<string> FloatWeightMatMuls(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        return [.. model.Graph.Node.Where(n => IsWeightMatMul(n, initializers, [], out _)).Select(n => n.Input[1])];
    }

    private static bool IsWeightMatMul(NodeProto node, Dictionary<string, TensorProto> initializers, IReadOnlyCollection<string> keepFloat, out TensorProto weight)
    {
        weight = null!;
        return node.OpType == "MatMul"
            && string.IsNullOrEmpty(node.Domain)
            && node.Input.Count == 2
            && initializers.TryGetValue(node.Input[1], out weight!)
            && weight.ElementType == DataType.Float
            && weight.Dims.Count == 2
            && !keepFloat.Contains(weight.Name);
    }

    /// <summary>The <c>Add</c> of a 1-D float initializer that alone consumes the product, with that initializer's name; or null.</summary>
    private static (NodeProto Add, string Bias)? FoldableBias(NodeProto matMul, Dictionary<string, List<NodeProto>> consumers, HashSet<string> outputs, Dictionary<string, TensorProto> initializers)
    {
        var product = matMul.Output[0];
        if (outputs.Contains(product) || !consumers.TryGetValue(product, out var users) || users.Count != 1)
        {
            return null;
        }

        var add = users[0];
        if (add.OpType != "Add" || !string.IsNullOrEmpty(add.Domain) || add.Input.Count != 2)
        {
            return null;
        }

        var other = add.Input[0] == product ? add.Input[1] : add.Input[0];
        return initializers.TryGetValue(other, out var bias) && bias.ElementType == DataType.Float && bias.Dims.Count == 1
            ? (add, other)
            : null;
    }

    /// <summary>
    /// The int8 weights ([in, out], as the float ones) and the scales ([out]) of <paramref name="weight"/>: per column,
    /// scale = max |w| / 127 and q = round(w / scale); an all-zero column gets scale 1.
    /// </summary>
    internal static TensorProto[] QuantizeColumns(TensorProto weight)
    {
        var rows = (int)weight.Dims[0];
        var columns = (int)weight.Dims[1];
        var values = weight.ToFloatArray();
        var scales = new float[columns];
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                scales[column] = Math.Max(scales[column], Math.Abs(values[(row * columns) + column]));
            }
        }

        for (var column = 0; column < columns; column++)
        {
            scales[column] = scales[column] > 0 ? scales[column] / Int8Limit : 1f;
        }

        var quantized = new byte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var q = MathF.Round(values[i] / scales[i % columns], MidpointRounding.ToEven);
            quantized[i] = unchecked((byte)(sbyte)Math.Clamp(q, -Int8Limit, Int8Limit));
        }

        var int8 = new TensorProto { Name = weight.Name + WeightSuffix, DataType = (int)DataType.Int8, RawData = UnsafeByteOperations.UnsafeWrap(quantized) };
        int8.Dims.AddRange(weight.Dims);
        return [int8, TensorProto.FromFloats(weight.Name + ScaleSuffix, [columns], scales)];
    }

    private static Dictionary<string, List<NodeProto>> Consumers(GraphProto graph)
    {
        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var input in node.Input.Where(i => i.Length > 0))
            {
                if (!consumers.TryGetValue(input, out var list))
                {
                    consumers[input] = list = [];
                }

                list.Add(node);
            }
        }

        return consumers;
    }

    /// <summary>Drops the initializers no node reads any more (the float weights that were quantised).</summary>
    private static void RemoveUnused(GraphProto graph)
    {
        var used = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        var kept = graph.Initializer.Where(t => used.Contains(t.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(kept);
    }
}
