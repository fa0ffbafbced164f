using System.Text;

namespace Uptrain.Teacher.Onnx;

/// <summary>ONNX attribute kinds (<c>AttributeProto.AttributeType</c>); the numbers are the ones in onnx.proto.</summary>
public enum OnnxAttributeType
{
    /// <summary>Not set.</summary>
    Undefined = 0,

    /// <summary>One float (<see cref="OnnxAttribute.Float"/>).</summary>
    Float = 1,

    /// <summary>One integer (<see cref="OnnxAttribute.Int"/>).</summary>
    Int = 2,

    /// <summary>One string (<see cref="OnnxAttribute.String"/>).</summary>
    String = 3,

    /// <summary>A tensor (<see cref="OnnxAttribute.Tensor"/>).</summary>
    Tensor = 4,

    /// <summary>A subgraph (<see cref="OnnxAttribute.Graph"/>).</summary>
    Graph = 5,

    /// <summary>A list of floats (<see cref="OnnxAttribute.Floats"/>).</summary>
    Floats = 6,

    /// <summary>A list of integers (<see cref="OnnxAttribute.Ints"/>).</summary>
    Ints = 7,

    /// <summary>A list of strings (<see cref="OnnxAttribute.Strings"/>).</summary>
    Strings = 8,
}

/// <summary>A node attribute (<c>AttributeProto</c>): a name and one value of <see cref="Type"/>.</summary>
public sealed class OnnxAttribute
{
    private OnnxAttribute(string name, OnnxAttributeType type)
    {
        Name = name;
        Type = type;
    }

    /// <summary>The attribute's name, such as <c>axis</c>.</summary>
    public string Name { get; }

    /// <summary>Which of the value properties holds the value.</summary>
    public OnnxAttributeType Type { get; }

    /// <summary>The value of a <see cref="OnnxAttributeType.Float"/> attribute.</summary>
    public float Float { get; private set; }

    /// <summary>The value of an <see cref="OnnxAttributeType.Int"/> attribute.</summary>
    public long Int { get; private set; }

    /// <summary>The value of a <see cref="OnnxAttributeType.String"/> attribute.</summary>
    public string? String { get; private set; }

    /// <summary>The value of a <see cref="OnnxAttributeType.Tensor"/> attribute.</summary>
    public OnnxTensor? Tensor { get; private set; }

    /// <summary>The value of a <see cref="OnnxAttributeType.Graph"/> attribute.</summary>
    public OnnxGraph? Graph { get; private set; }

    /// <summary>The value of a <see cref="OnnxAttributeType.Floats"/> attribute.</summary>
    public IReadOnlyList<float> Floats { get; private set; } = [];

    /// <summary>The value of an <see cref="OnnxAttributeType.Ints"/> attribute.</summary>
    public IReadOnlyList<long> Ints { get; private set; } = [];

    /// <summary>The value of a <see cref="OnnxAttributeType.Strings"/> attribute.</summary>
    public IReadOnlyList<string> Strings { get; private set; } = [];

    /// <summary>An integer attribute.</summary>
    public static OnnxAttribute FromInt(string name, long value) => new(name, OnnxAttributeType.Int) { Int = value };

    /// <summary>A float attribute.</summary>
    public static OnnxAttribute FromFloat(string name, float value) => new(name, OnnxAttributeType.Float) { Float = value };

    /// <summary>A string attribute.</summary>
    public static OnnxAttribute FromString(string name, string value) => new(name, OnnxAttributeType.String) { String = value };

    /// <summary>A tensor attribute (as <c>Constant</c> nodes carry).</summary>
    public static OnnxAttribute FromTensor(string name, OnnxTensor value) => new(name, OnnxAttributeType.Tensor) { Tensor = value };

    /// <summary>A subgraph attribute.</summary>
    public static OnnxAttribute FromGraph(string name, OnnxGraph value) => new(name, OnnxAttributeType.Graph) { Graph = value };

    /// <summary>An integer-list attribute.</summary>
    public static OnnxAttribute FromInts(string name, params long[] values) => new(name, OnnxAttributeType.Ints) { Ints = values };

    /// <summary>A float-list attribute.</summary>
    public static OnnxAttribute FromFloats(string name, params float[] values) => new(name, OnnxAttributeType.Floats) { Floats = values };

    /// <summary>A string-list attribute.</summary>
    public static OnnxAttribute FromStrings(string name, params string[] values) => new(name, OnnxAttributeType.Strings) { Strings = values };

    /// <inheritdoc/>
    public override string ToString() => Type switch
    {
        OnnxAttributeType.Float => $"{Name}={Float}",
        OnnxAttributeType.Int => $"{Name}={Int}",
        OnnxAttributeType.String => $"{Name}='{String}'",
        OnnxAttributeType.Tensor => $"{Name}={Tensor}",
        OnnxAttributeType.Floats => $"{Name}=[{string.Join(", ", Floats)}]",
        OnnxAttributeType.Ints => $"{Name}=[{string.Join(", ", Ints)}]",
        OnnxAttributeType.Strings => $"{Name}=[{string.Join(", ", Strings)}]",
        _ => $"{Name}:{Type}",
    };

    // AttributeProto: name = 1, f = 2, i = 3, s = 4, t = 5, g = 6, floats = 7, ints = 8, strings = 9,
    // type = 20. Tensor and graph lists, sparse tensors and type protos are skipped.
    internal static OnnxAttribute Read(ProtoReader reader)
    {
        var name = string.Empty;
        var type = OnnxAttributeType.Undefined;
        float f = 0;
        long i = 0;
        string? s = null;
        OnnxTensor? t = null;
        OnnxGraph? g = null;
        List<float>? floats = null;
        List<long>? ints = null;
        List<string>? strings = null;
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1:
                    name = reader.ReadString();
                    break;
                case 2:
                    f = reader.ReadFloat();
                    break;
                case 3:
                    i = reader.ReadInt64();
                    break;
                case 4:
                    s = reader.ReadString();
                    break;
                case 5:
                    t = OnnxTensor.Read(reader.ReadMessage());
                    break;
                case 6:
                    g = OnnxGraph.Read(reader.ReadMessage());
                    break;
                case 7:
                    reader.ReadFloats(wire, floats ??= []);
                    break;
                case 8:
                    reader.ReadInt64s(wire, ints ??= []);
                    break;
                case 9:
                    (strings ??= []).Add(reader.ReadString());
                    break;
                case 20:
                    type = (OnnxAttributeType)reader.ReadInt32();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return new OnnxAttribute(name, type)
        {
            Float = f,
            Int = i,
            String = s,
            Tensor = t,
            Graph = g,
            Floats = (IReadOnlyList<float>?)floats ?? [],
            Ints = (IReadOnlyList<long>?)ints ?? [],
            Strings = (IReadOnlyList<string>?)strings ?? [],
        };
    }

    internal void Write(ProtoWriter writer)
    {
        writer.WriteString(1, Name);
        writer.WriteInt64(20, (int)Type);
        switch (Type)
        {
            case OnnxAttributeType.Float:
                writer.WriteFloat(2, Float);
                break;
            case OnnxAttributeType.Int:
                writer.WriteInt64(3, Int);
                break;
            case OnnxAttributeType.String:
                writer.WriteBytes(4, Encoding.UTF8.GetBytes(String ?? string.Empty));
                break;
            case OnnxAttributeType.Tensor:
                writer.WriteMessage(5, Tensor!.Write);
                break;
            case OnnxAttributeType.Graph:
                writer.WriteMessage(6, Graph!.Write);
                break;
            case OnnxAttributeType.Floats:
                foreach (var value in Floats)
                {
                    writer.WriteFloat(7, value);
                }

                break;
            case OnnxAttributeType.Ints:
                foreach (var value in Ints)
                {
                    writer.WriteInt64(8, value);
                }

                break;
            case OnnxAttributeType.Strings:
                foreach (var value in Strings)
                {
                    writer.WriteString(9, value);
                }

                break;
            default:
                throw new NotSupportedException($"ONNX attribute '{Name}' of type {Type} cannot be written.");
        }
    }
}
