using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using Uptrain.Diagnostics;

namespace Uptrain.Teacher.Onnx;

// The generated ONNX classes, made pleasant to build and read: factories for the values Uptrain's
// export writes, and typed access to tensor data whichever field holds it.

/// <summary>An ONNX tensor: a graph initializer or an attribute value.</summary>
public sealed partial class TensorProto
{
    /// <summary>The element type as the enum.</summary>
    public Types.DataType ElementType => (Types.DataType)DataType;

    /// <summary>The number of elements (the product of the dimensions; 1 for a scalar).</summary>
    public long ElementCount => Dims.Aggregate(1L, (product, dim) => product * dim);

    /// <summary>A float32 tensor; the values are copied once, into <c>raw_data</c>.</summary>
    public static TensorProto FromFloats(string name, IEnumerable<long> dims, ReadOnlySpan<float> values) =>
        FromRaw(name, Types.DataType.Float, dims, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>An int64 tensor.</summary>
    public static TensorProto FromInt64s(string name, IEnumerable<long> dims, ReadOnlySpan<long> values) =>
        FromRaw(name, Types.DataType.Int64, dims, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>The values of a float32 tensor, from <c>raw_data</c> or <c>float_data</c>.</summary>
    /// <exception cref="InvalidOperationException">The tensor is not float32.</exception>
    public float[] ToFloatArray() => Values(Types.DataType.Float, FloatData);

    /// <summary>The values of an int64 tensor, from <c>raw_data</c> or <c>int64_data</c>.</summary>
    /// <exception cref="InvalidOperationException">The tensor is not int64.</exception>
    public long[] ToInt64Array() => Values(Types.DataType.Int64, Int64Data);

    private static TensorProto FromRaw(string name, Types.DataType type, IEnumerable<long> dims, byte[] raw)
    {
        // The array is the tensor's own, so ByteString may wrap it instead of copying it again.
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = UnsafeByteOperations.UnsafeWrap(raw) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private T[] Values<T>(Types.DataType expected, IReadOnlyList<T> typed)
        where T : unmanaged
    {
        if (ElementType != expected)
        {
            throw new InvalidOperationException(UserMessage.Format(Messages.OnnxTensorType, Name, ElementType, expected));
        }

        if (DataLocation == Types.DataLocation.External)
        {
            throw new InvalidDataException(UserMessage.Format(Messages.OnnxExternalData, Name));
        }

        var values = HasRawData ? MemoryMarshal.Cast<byte, T>(RawData.Span).ToArray() : [.. typed];
        return values.Length == ElementCount
            ? values
            : throw new InvalidDataException(UserMessage.Format(Messages.OnnxTensorSize, Name, values.Length, string.Join(", ", Dims)));
    }
}

/// <summary>A node attribute: a name and one value of the kind <see cref="Type"/> says.</summary>
public sealed partial class AttributeProto
{
    /// <summary>The value of a string attribute, decoded from UTF-8.</summary>
    public string StringValue => S.ToStringUtf8();

    /// <summary>An integer attribute.</summary>
    public static AttributeProto FromInt(string name, long value) => new() { Name = name, Type = Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static AttributeProto FromFloat(string name, float value) => new() { Name = name, Type = Types.AttributeType.Float, F = value };

    /// <summary>A string attribute.</summary>
    public static AttributeProto FromString(string name, string value) => new() { Name = name, Type = Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>A tensor attribute (as <c>Constant</c> nodes carry).</summary>
    public static AttributeProto FromTensor(string name, TensorProto value) => new() { Name = name, Type = Types.AttributeType.Tensor, T = value };

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto FromInts(string name, params long[] values) => new() { Name = name, Type = Types.AttributeType.Ints, Ints = { values } };

    /// <summary>A float-list attribute.</summary>
    public static AttributeProto FromFloats(string name, params float[] values) => new() { Name = name, Type = Types.AttributeType.Floats, Floats = { values } };

    /// <summary>A string-list attribute.</summary>
    public static AttributeProto FromStrings(string name, params string[] values) =>
        new() { Name = name, Type = Types.AttributeType.Strings, Strings = { values.Select(ByteString.CopyFromUtf8) } };
}

/// <summary>One operator call in an ONNX graph.</summary>
public sealed partial class NodeProto
{
    /// <summary>A node calling <paramref name="opType"/> on the named values.</summary>
    public static NodeProto Create(string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, string? name = null, IEnumerable<AttributeProto>? attributes = null)
    {
        var node = new NodeProto { OpType = opType, Input = { inputs }, Output = { outputs }, Attribute = { attributes ?? [] } };
        if (!string.IsNullOrEmpty(name))
        {
            node.Name = name;
        }

        return node;
    }

    /// <summary>The attribute named <paramref name="name"/>, or <c>null</c>.</summary>
    public AttributeProto? FindAttribute(string name) => Attribute.FirstOrDefault(a => a.Name == name);
}

/// <summary>A typed graph input, output or intermediate value.</summary>
public sealed partial class ValueInfoProto
{
    /// <summary>The tensor type's element type.</summary>
    public TensorProto.Types.DataType ElementType => (TensorProto.Types.DataType)(Type?.TensorType?.ElemType ?? 0);

    /// <summary>The tensor type's dimensions, or <c>null</c> when the rank is unknown.</summary>
    public IReadOnlyList<TensorShapeProto.Types.Dimension>? Shape => Type?.TensorType?.Shape?.Dim;

    /// <summary>A tensor value of <paramref name="elementType"/>; <paramref name="shape"/> <c>null</c> when unknown.</summary>
    public static ValueInfoProto Tensor(string name, TensorProto.Types.DataType elementType, IEnumerable<TensorShapeProto.Types.Dimension>? shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)elementType };
        if (shape is not null)
        {
            tensor.Shape = new TensorShapeProto { Dim = { shape } };
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}

/// <summary>The dimensions of a tensor type.</summary>
public sealed partial class TensorShapeProto
{
    /// <summary>Nested types of <see cref="TensorShapeProto"/>.</summary>
    public static partial class Types
    {
        /// <summary>One dimension: a fixed size or a named, dynamic one.</summary>
        public sealed partial class Dimension
        {
            /// <summary>A dimension of fixed size.</summary>
            public static Dimension Fixed(long value) => new() { DimValue = value };

            /// <summary>A dynamic dimension, named so that equal names mean equal sizes.</summary>
            public static Dimension Dynamic(string param) => new() { DimParam = param };
        }
    }
}

/// <summary>An ONNX computation graph: nodes in topological order, initializers (the weights), inputs and outputs.</summary>
public sealed partial class GraphProto
{
    /// <summary>The nodes that read the value <paramref name="name"/>.</summary>
    public IEnumerable<NodeProto> Consumers(string name) => Node.Where(n => n.Input.Contains(name));
}
