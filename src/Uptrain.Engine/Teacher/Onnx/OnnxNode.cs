namespace Uptrain.Teacher.Onnx;

/// <summary>One operator call in an ONNX graph (<c>NodeProto</c>).</summary>
public sealed class OnnxNode
{
    /// <summary>A node calling <paramref name="opType"/> on the named values.</summary>
    public OnnxNode(string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, string? name = null, IEnumerable<OnnxAttribute>? attributes = null)
    {
        OpType = opType;
        Inputs = [.. inputs];
        Outputs = [.. outputs];
        Name = name ?? string.Empty;
        Attributes = [.. attributes ?? []];
    }

    /// <summary>The operator, such as <c>MatMul</c>.</summary>
    public string OpType { get; set; }

    /// <summary>The operator set domain; empty for the standard <c>ai.onnx</c> one.</summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary>The node's name; may be empty.</summary>
    public string Name { get; set; }

    /// <summary>Names of the values the node reads, in order (an empty name skips an optional input).</summary>
    public List<string> Inputs { get; }

    /// <summary>Names of the values the node produces, in order.</summary>
    public List<string> Outputs { get; }

    /// <summary>The node's attributes.</summary>
    public List<OnnxAttribute> Attributes { get; }

    /// <summary>The attribute named <paramref name="name"/>, or <c>null</c>.</summary>
    public OnnxAttribute? Attribute(string name) => Attributes.Find(a => a.Name == name);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{OpType}({string.Join(", ", Inputs)}) -> {string.Join(", ", Outputs)}" +
        (Attributes.Count > 0 ? $" {{{string.Join(", ", Attributes)}}}" : string.Empty);

    // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7.
    internal static OnnxNode Read(ProtoReader reader)
    {
        var node = new OnnxNode(string.Empty, [], []);
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1:
                    node.Inputs.Add(reader.ReadString());
                    break;
                case 2:
                    node.Outputs.Add(reader.ReadString());
                    break;
                case 3:
                    node.Name = reader.ReadString();
                    break;
                case 4:
                    node.OpType = reader.ReadString();
                    break;
                case 5:
                    node.Attributes.Add(OnnxAttribute.Read(reader.ReadMessage()));
                    break;
                case 7:
                    node.Domain = reader.ReadString();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return node;
    }

    internal void Write(ProtoWriter writer)
    {
        foreach (var input in Inputs)
        {
            writer.WriteString(1, input);
        }

        foreach (var output in Outputs)
        {
            writer.WriteString(2, output);
        }

        if (Name.Length > 0)
        {
            writer.WriteString(3, Name);
        }

        writer.WriteString(4, OpType);
        foreach (var attribute in Attributes)
        {
            writer.WriteMessage(5, attribute.Write);
        }

        if (Domain.Length > 0)
        {
            writer.WriteString(7, Domain);
        }
    }
}
