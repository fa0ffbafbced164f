namespace Uptrain.Teacher.Onnx;

/// <summary>An ONNX computation graph (<c>GraphProto</c>): nodes in topological order, initializers
/// (the weights), and the typed inputs and outputs.</summary>
public sealed class OnnxGraph
{
    /// <summary>The graph's name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The nodes, sorted topologically.</summary>
    public List<OnnxNode> Nodes { get; } = [];

    /// <summary>Constant tensors the nodes read by name: the weights.</summary>
    public List<OnnxTensor> Initializers { get; } = [];

    /// <summary>The graph's inputs.</summary>
    public List<OnnxValueInfo> Inputs { get; } = [];

    /// <summary>The graph's outputs.</summary>
    public List<OnnxValueInfo> Outputs { get; } = [];

    /// <summary>Types of intermediate values, where known.</summary>
    public List<OnnxValueInfo> ValueInfo { get; } = [];

    /// <summary>The nodes that read the value <paramref name="name"/>.</summary>
    public IEnumerable<OnnxNode> Consumers(string name) => Nodes.Where(n => n.Inputs.Contains(name));

    // GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12, value_info = 13.
    internal static OnnxGraph Read(ProtoReader reader)
    {
        var graph = new OnnxGraph();
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1:
                    graph.Nodes.Add(OnnxNode.Read(reader.ReadMessage()));
                    break;
                case 2:
                    graph.Name = reader.ReadString();
                    break;
                case 5:
                    graph.Initializers.Add(OnnxTensor.Read(reader.ReadMessage()));
                    break;
                case 11:
                    graph.Inputs.Add(OnnxValueInfo.Read(reader.ReadMessage()));
                    break;
                case 12:
                    graph.Outputs.Add(OnnxValueInfo.Read(reader.ReadMessage()));
                    break;
                case 13:
                    graph.ValueInfo.Add(OnnxValueInfo.Read(reader.ReadMessage()));
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return graph;
    }

    internal void Write(ProtoWriter writer)
    {
        foreach (var node in Nodes)
        {
            writer.WriteMessage(1, node.Write);
        }

        writer.WriteString(2, Name);
        foreach (var initializer in Initializers)
        {
            writer.WriteMessage(5, initializer.Write);
        }

        foreach (var input in Inputs)
        {
            writer.WriteMessage(11, input.Write);
        }

        foreach (var output in Outputs)
        {
            writer.WriteMessage(12, output.Write);
        }

        foreach (var info in ValueInfo)
        {
            writer.WriteMessage(13, info.Write);
        }
    }
}
