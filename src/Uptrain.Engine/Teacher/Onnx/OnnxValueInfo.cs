namespace Uptrain.Teacher.Onnx;

/// <summary>One dimension of a graph input or output: a fixed size or a named, dynamic one.</summary>
/// <param name="Value">The size, when fixed.</param>
/// <param name="Param">The symbolic name (such as <c>batch</c>), when dynamic.</param>
public readonly record struct OnnxDimension(long? Value, string? Param)
{
    /// <summary>A dimension of fixed size.</summary>
    public static OnnxDimension Fixed(long value) => new(value, null);

    /// <summary>A dynamic dimension, named so that equal names mean equal sizes.</summary>
    public static OnnxDimension Dynamic(string param) => new(null, param);

    /// <inheritdoc/>
    public override string ToString() => Param ?? Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}

/// <summary>A typed graph input, output or intermediate value (<c>ValueInfoProto</c> with a tensor type).</summary>
public sealed class OnnxValueInfo
{
    /// <summary>A tensor value of <paramref name="elementType"/>; <paramref name="shape"/> <c>null</c> when unknown.</summary>
    public OnnxValueInfo(string name, OnnxDataType elementType, IEnumerable<OnnxDimension>? shape)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape is null ? null : [.. shape];
    }

    /// <summary>The value's name.</summary>
    public string Name { get; }

    /// <summary>The tensor's element type.</summary>
    public OnnxDataType ElementType { get; }

    /// <summary>The tensor's dimensions, or <c>null</c> when the rank is unknown.</summary>
    public IReadOnlyList<OnnxDimension>? Shape { get; }

    /// <inheritdoc/>
    public override string ToString() => Shape is null ? $"{Name}: {ElementType}" : $"{Name}: {ElementType}[{string.Join(", ", Shape)}]";

    // ValueInfoProto: name = 1, type = 2. TypeProto: tensor_type = 1. TypeProto.Tensor: elem_type = 1,
    // shape = 2. TensorShapeProto: dim = 1. Dimension: dim_value = 1, dim_param = 2.
    internal static OnnxValueInfo Read(ProtoReader reader)
    {
        var name = string.Empty;
        var elementType = OnnxDataType.Undefined;
        List<OnnxDimension>? shape = null;
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1)
            {
                name = reader.ReadString();
            }
            else if (field == 2)
            {
                var type = reader.ReadMessage();
                while (type.TryReadTag(out var typeField, out var typeWire))
                {
                    if (typeField != 1)
                    {
                        type.Skip(typeWire);
                        continue;
                    }

                    var tensor = type.ReadMessage();
                    while (tensor.TryReadTag(out var tensorField, out var tensorWire))
                    {
                        if (tensorField == 1)
                        {
                            elementType = (OnnxDataType)tensor.ReadInt32();
                        }
                        else if (tensorField == 2)
                        {
                            shape = ReadShape(tensor.ReadMessage());
                        }
                        else
                        {
                            tensor.Skip(tensorWire);
                        }
                    }
                }
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return new OnnxValueInfo(name, elementType, shape);
    }

    internal void Write(ProtoWriter writer)
    {
        writer.WriteString(1, Name);
        writer.WriteMessage(2, type => type.WriteMessage(1, tensor =>
        {
            tensor.WriteInt64(1, (int)ElementType);
            if (Shape is not null)
            {
                tensor.WriteMessage(2, shape =>
                {
                    foreach (var dim in Shape)
                    {
                        shape.WriteMessage(1, d =>
                        {
                            if (dim.Param is not null)
                            {
                                d.WriteString(2, dim.Param);
                            }
                            else if (dim.Value is long value)
                            {
                                d.WriteInt64(1, value);
                            }
                        });
                    }
                });
            }
        }));
    }

    private static List<OnnxDimension> ReadShape(ProtoReader reader)
    {
        var dims = new List<OnnxDimension>();
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field != 1)
            {
                reader.Skip(wire);
                continue;
            }

            var dim = reader.ReadMessage();
            long? value = null;
            string? param = null;
            while (dim.TryReadTag(out var dimField, out var dimWire))
            {
                switch (dimField)
                {
                    case 1:
                        value = dim.ReadInt64();
                        break;
                    case 2:
                        param = dim.ReadString();
                        break;
                    default:
                        dim.Skip(dimWire);
                        break;
                }
            }

            dims.Add(new OnnxDimension(value, param));
        }

        return dims;
    }
}
