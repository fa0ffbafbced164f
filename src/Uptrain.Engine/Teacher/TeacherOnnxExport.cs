using System.Globalization;
using TorchSharp.Modules;
using Uptrain.Models;
using Uptrain.Teacher.Onnx;
using DataType = Uptrain.Teacher.Onnx.TensorProto.Types.DataType;
using Dimension = Uptrain.Teacher.Onnx.TensorShapeProto.Types.Dimension;
using static TorchSharp.torch;

namespace Uptrain.Teacher;

/// <summary>
/// Writes a trained <see cref="BertClassifier"/> as a standard-opset ONNX graph that ONNX Runtime
/// scores without TorchSharp: inputs <c>input_ids</c>, <c>attention_mask</c> and
/// <c>token_type_ids</c> (int64 [batch, sequence], both axes dynamic), one output
/// <c>scores</c> (float [batch, labels]): softmax probabilities for exclusive labels, independent
/// sigmoid probabilities for multilabel. The graph is built node by node from the module's weights
/// (it mirrors <see cref="BertModel.forward"/> and <see cref="BertClassifier.forward"/>), not traced.
/// </summary>
public static class TeacherOnnxExport
{
    /// <summary>The graph's output name.</summary>
    public const string ScoresOutput = ModelFolder.ScoresOutput;

    /// <summary>Opset 17: the first with LayerNormalization; ONNX Runtime has run it since 1.14.</summary>
    public const long Opset = 17;

    /// <summary>The graph's input names, in order.</summary>
    public static IReadOnlyList<string> InputNames => ModelFolder.InputNames;

    /// <summary>Writes the ONNX model to <paramref name="path"/>.</summary>
    public static void Save(BertClassifier model, bool exclusive, string path) => Build(model, exclusive).Save(path);

    /// <summary>
    /// Builds the ONNX model. Linear weights are stored transposed for <c>MatMul</c> ([in, out]) and named
    /// <c>&lt;Hugging Face key&gt;.T</c>; every other initializer keeps its Hugging Face key.
    /// </summary>
    public static ModelProto Build(BertClassifier model, bool exclusive)
    {
        ArgumentNullException.ThrowIfNull(model);
        var config = model.Encoder.Config;
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var graph = new GraphProto { Name = "uptrain_teacher" };
        var onnx = new ModelProto
        {
            IrVersion = ModelProto.DefaultIrVersion,
            ProducerName = "Uptrain",
            ProducerVersion = typeof(TeacherOnnxExport).Assembly.GetName().Version?.ToString() ?? string.Empty,
            OpsetImport = { new OperatorSetIdProto { Domain = string.Empty, Version = Opset } },
            Graph = graph,
        };
        foreach (var input in InputNames)
        {
            graph.Input.Add(ValueInfoProto.Tensor(input, DataType.Int64, [Dimension.Dynamic("batch"), Dimension.Dynamic("sequence")]));
        }

        graph.Output.Add(ValueInfoProto.Tensor(ScoresOutput, DataType.Float, [Dimension.Dynamic("batch"), Dimension.Fixed(model.LabelCount)]));
        var g = new GraphBuilder(graph, parameters);

        // Embeddings: word + position (rows 0..T-1 of the table) + token type, then LayerNorm.
        var length = g.Node("Slice", [g.Node("Shape", [ModelFolder.InputIds]), g.Int64s("one", 1), g.Int64s("two", 2)]); // [1] = T
        var words = g.Node("Gather", [g.Weight("bert.embeddings.word_embeddings.weight"), ModelFolder.InputIds]); // [B, T, H]
        var types = g.Node("Gather", [g.Weight("bert.embeddings.token_type_embeddings.weight"), ModelFolder.TokenTypeIds]); // [B, T, H]
        var positions = g.Node("Slice", [g.Weight("bert.embeddings.position_embeddings.weight"), g.Int64s("zero", 0), length, g.Int64s("zero", 0)]); // [T, H]
        var hidden = g.LayerNorm(g.Node("Add", [g.Node("Add", [words, types]), positions]), "bert.embeddings.LayerNorm", config.LayerNormEps);

        // Additive attention mask [B, 1, 1, T]: 0 for real tokens, the most negative float for padding.
        var mask = g.Node("Cast", [ModelFolder.AttentionMask], AttributeProto.FromInt("to", (long)DataType.Float)); // [B, T]
        var additive = g.Node("Unsqueeze", [g.Node("Mul", [g.Node("Sub", [g.Float("one_f", 1f), mask]), g.Float("min_f", float.MinValue)]), g.Int64s("axes_1_2", 1, 2)]);

        var headShape = g.Int64s("head_shape", 0, 0, config.NumAttentionHeads, config.HeadSize); // [B, T, N, D]
        var hiddenShape = g.Int64s("hidden_shape", 0, 0, config.HiddenSize); // [B, T, H]
        var scale = g.Float("sqrt_head_size", (float)Math.Sqrt(config.HeadSize));
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"bert.encoder.layer.{layer}.");
            var q = g.Node("Transpose", [g.Node("Reshape", [g.Linear(hidden, prefix + "attention.self.query"), headShape])], AttributeProto.FromInts("perm", 0, 2, 1, 3)); // [B, N, T, D]
            var k = g.Node("Transpose", [g.Node("Reshape", [g.Linear(hidden, prefix + "attention.self.key"), headShape])], AttributeProto.FromInts("perm", 0, 2, 3, 1)); // [B, N, D, T]
            var v = g.Node("Transpose", [g.Node("Reshape", [g.Linear(hidden, prefix + "attention.self.value"), headShape])], AttributeProto.FromInts("perm", 0, 2, 1, 3)); // [B, N, T, D]
            var scores = g.Node("Add", [g.Node("Div", [g.Node("MatMul", [q, k]), scale]), additive]); // [B, N, T, T]
            var probabilities = g.Node("Softmax", [scores], AttributeProto.FromInt("axis", -1));
            var context = g.Node("Reshape", [g.Node("Transpose", [g.Node("MatMul", [probabilities, v])], AttributeProto.FromInts("perm", 0, 2, 1, 3)), hiddenShape]); // [B, T, H]
            var attended = g.LayerNorm(g.Node("Add", [g.Linear(context, prefix + "attention.output.dense"), hidden]), prefix + "attention.output.LayerNorm", config.LayerNormEps);
            var intermediate = g.Activation(g.Linear(attended, prefix + "intermediate.dense"), config.HiddenAct); // [B, T, I]
            hidden = g.LayerNorm(g.Node("Add", [g.Linear(intermediate, prefix + "output.dense"), attended]), prefix + "output.LayerNorm", config.LayerNormEps);
        }

        string pooled;
        if (model.Pooling == PoolingMode.Cls)
        {
            pooled = g.Node("Gather", [hidden, g.Int64Scalar("first", 0)], AttributeProto.FromInt("axis", 1)); // [B, H]
        }
        else
        {
            var weights = g.Node("Unsqueeze", [mask, g.Int64s("axes_2", 2)]); // [B, T, 1]
            var axis1 = g.Int64s("axes_1", 1);
            var sum = g.Node("ReduceSum", [g.Node("Mul", [hidden, weights]), axis1], AttributeProto.FromInt("keepdims", 0)); // [B, H]
            var count = g.Node("Max", [g.Node("ReduceSum", [weights, axis1], AttributeProto.FromInt("keepdims", 0)), g.Float("count_floor", 1e-9f)]); // [B, 1]
            pooled = g.Node("Div", [sum, count]);
        }

        var logits = g.Linear(pooled, "classifier"); // [B, labels]
        graph.Node.Add(exclusive
            ? NodeProto.Create("Softmax", [logits], [ScoresOutput], "scores_softmax", [AttributeProto.FromInt("axis", -1)])
            : NodeProto.Create("Sigmoid", [logits], [ScoresOutput], "scores_sigmoid"));
        return onnx;
    }

    /// <summary>Adds nodes and initializers with unique names.</summary>
    private sealed class GraphBuilder(GraphProto graph, IReadOnlyDictionary<string, Parameter> parameters)
    {
        private readonly HashSet<string> _initializers = [];
        private int _count;

        public string Node(string op, string[] inputs, params AttributeProto[] attributes)
        {
            var output = string.Create(CultureInfo.InvariantCulture, $"{op}_{_count++}");
            graph.Node.Add(NodeProto.Create(op, inputs, [output], output, attributes));
            return output;
        }

        /// <summary>A module parameter as an initializer named by its Hugging Face key (the bert. prefix dropped).</summary>
        public string Weight(string key, bool transpose = false)
        {
            var name = (key.StartsWith("bert.", StringComparison.Ordinal) ? key["bert.".Length..] : key) + (transpose ? ".T" : string.Empty);
            if (_initializers.Add(name))
            {
                using var scope = NewDisposeScope();
                var tensor = parameters[key].detach();
                if (transpose)
                {
                    tensor = tensor.t();
                }

                tensor = tensor.contiguous().cpu().to_type(ScalarType.Float32);
                graph.Initializer.Add(TensorProto.FromFloats(name, tensor.shape, tensor.data<float>().ToArray()));
            }

            return name;
        }

        public string Int64s(string name, params long[] values)
        {
            if (_initializers.Add(name))
            {
                graph.Initializer.Add(TensorProto.FromInt64s(name, [values.Length], values));
            }

            return name;
        }

        public string Int64Scalar(string name, long value)
        {
            if (_initializers.Add(name))
            {
                graph.Initializer.Add(TensorProto.FromInt64s(name, [], [value]));
            }

            return name;
        }

        public string Float(string name, float value)
        {
            if (_initializers.Add(name))
            {
                graph.Initializer.Add(TensorProto.FromFloats(name, [], [value]));
            }

            return name;
        }

        /// <summary>x · Wᵀ + b for the Linear module <paramref name="prefix"/>.</summary>
        public string Linear(string input, string prefix) =>
            Node("Add", [Node("MatMul", [input, Weight(prefix + ".weight", transpose: true)]), Weight(prefix + ".bias")]);

        public string LayerNorm(string input, string prefix, double epsilon) =>
            Node("LayerNormalization", [input, Weight(prefix + ".weight"), Weight(prefix + ".bias")], AttributeProto.FromInt("axis", -1), AttributeProto.FromFloat("epsilon", (float)epsilon));

        public string Activation(string x, string kind)
        {
            switch (kind)
            {
                case "gelu":
                    // x · ½ · (1 + erf(x / √2)), exact.
                    var erf = Node("Erf", [Node("Div", [x, Float("sqrt_2", MathF.Sqrt(2f))])]);
                    return Node("Mul", [Node("Mul", [x, Node("Add", [erf, Float("one_f", 1f)])]), Float("half", 0.5f)]);
                case "relu":
                    return Node("Relu", [x]);
                default:
                    // x · ½ · (1 + tanh(√(2/π) · (x + 0.044715 x³))), the tanh approximation.
                    var cube = Node("Mul", [Node("Pow", [x, Float("three", 3f)]), Float("gelu_c", 0.044715f)]);
                    var tanh = Node("Tanh", [Node("Mul", [Node("Add", [x, cube]), Float("sqrt_2_over_pi", (float)Math.Sqrt(2 / Math.PI))])]);
                    return Node("Mul", [Node("Mul", [x, Node("Add", [tanh, Float("one_f", 1f)])]), Float("half", 0.5f)]);
            }
        }
    }
}
