using System.Runtime.InteropServices;

namespace Uptrain.Teacher.Onnx;

/// <summary>ONNX element types (<c>TensorProto.DataType</c>); the numbers are the ones in onnx.proto.</summary>
public enum OnnxDataType
{
    /// <summary>Not set.</summary>
    Undefined = 0,

    /// <summary>32-bit float.</summary>
    Float = 1,

    /// <summary>8-bit unsigned integer.</summary>
    UInt8 = 2,

    /// <summary>8-bit signed integer.</summary>
    Int8 = 3,

    /// <summary>16-bit unsigned integer.</summary>
    UInt16 = 4,

    /// <summary>16-bit signed integer.</summary>
    Int16 = 5,

    /// <summary>32-bit signed integer.</summary>
    Int32 = 6,

    /// <summary>64-bit signed integer.</summary>
    Int64 = 7,

    /// <summary>UTF-8 string.</summary>
    String = 8,

    /// <summary>Boolean.</summary>
    Bool = 9,

    /// <summary>IEEE 16-bit float.</summary>
    Float16 = 10,

    /// <summary>64-bit float.</summary>
    Double = 11,

    /// <summary>32-bit unsigned integer.</summary>
    UInt32 = 12,

    /// <summary>64-bit unsigned integer.</summary>
    UInt64 = 13,

    /// <summary>bfloat16.</summary>
    BFloat16 = 16,
}

/// <summary>
/// An ONNX tensor (<c>TensorProto</c>): a graph initializer or an attribute value. The values are kept
/// as little-endian raw bytes whatever field they were read from (<c>raw_data</c>, <c>float_data</c>,
/// <c>int32_data</c>, <c>int64_data</c>, <c>double_data</c>), and are always written as <c>raw_data</c>.
/// </summary>
public sealed class OnnxTensor
{
    /// <summary>A tensor of <paramref name="dataType"/> with the given dimensions and raw little-endian bytes.</summary>
    public OnnxTensor(string name, OnnxDataType dataType, IReadOnlyList<long> dims, ReadOnlyMemory<byte> rawData)
    {
        Name = name;
        DataType = dataType;
        Dims = [.. dims];
        RawData = rawData;
    }

    /// <summary>The tensor's name (an initializer's name is how nodes refer to it).</summary>
    public string Name { get; set; }

    /// <summary>The element type.</summary>
    public OnnxDataType DataType { get; }

    /// <summary>The dimensions; empty for a scalar.</summary>
    public IReadOnlyList<long> Dims { get; }

    /// <summary>The values as little-endian bytes.</summary>
    public ReadOnlyMemory<byte> RawData { get; }

    /// <summary>The number of elements (the product of the dimensions; 1 for a scalar).</summary>
    public long ElementCount => Dims.Aggregate(1L, (product, dim) => product * dim);

    /// <summary>A float32 tensor.</summary>
    public static OnnxTensor FromFloats(string name, IReadOnlyList<long> dims, ReadOnlySpan<float> values) =>
        new(name, OnnxDataType.Float, dims, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>An int64 tensor.</summary>
    public static OnnxTensor FromInt64s(string name, IReadOnlyList<long> dims, ReadOnlySpan<long> values) =>
        new(name, OnnxDataType.Int64, dims, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>The values of a float32 tensor.</summary>
    /// <exception cref="InvalidOperationException">The tensor is not float32.</exception>
    public float[] ToFloatArray() => Cast<float>(OnnxDataType.Float);

    /// <summary>The values of an int64 tensor.</summary>
    /// <exception cref="InvalidOperationException">The tensor is not int64.</exception>
    public long[] ToInt64Array() => Cast<long>(OnnxDataType.Int64);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {DataType}[{string.Join(", ", Dims)}]";

    private T[] Cast<T>(OnnxDataType expected)
        where T : unmanaged
    {
        if (DataType != expected)
        {
            throw new InvalidOperationException($"ONNX tensor '{Name}' holds {DataType}, not {expected}.");
        }

        var values = MemoryMarshal.Cast<byte, T>(RawData.Span).ToArray();
        if (values.Length != ElementCount)
        {
            throw new InvalidDataException($"ONNX tensor '{Name}' has {values.Length} values for dimensions [{string.Join(", ", Dims)}].");
        }

        return values;
    }

    // TensorProto: dims = 1 (repeated int64), data_type = 2, float_data = 4 (packed), int32_data = 5
    // (packed), int64_data = 7 (packed), name = 8, raw_data = 9, double_data = 10 (packed),
    // external_data = 13, data_location = 14.
    internal static OnnxTensor Read(ProtoReader reader)
    {
        var dims = new List<long>();
        var dataType = OnnxDataType.Undefined;
        var name = string.Empty;
        ReadOnlyMemory<byte>? raw = null;
        List<float>? floats = null;
        List<long>? integers = null;
        List<double>? doubles = null;
        var external = false;
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1:
                    reader.ReadInt64s(wire, dims);
                    break;
                case 2:
                    dataType = (OnnxDataType)reader.ReadInt32();
                    break;
                case 4:
                    reader.ReadFloats(wire, floats ??= []);
                    break;
                case 5:
                case 7:
                    reader.ReadInt64s(wire, integers ??= []);
                    break;
                case 8:
                    name = reader.ReadString();
                    break;
                case 9:
                    raw = reader.ReadBytes();
                    break;
                case 10:
                    reader.ReadDoubles(wire, doubles ??= []);
                    break;
                case 14:
                    external = reader.ReadInt32() == 1;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (external)
        {
            throw new NotSupportedException($"ONNX tensor '{name}' keeps its data in an external file, which is not supported.");
        }

        var data = raw ?? (dataType switch
        {
            OnnxDataType.Float => MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(floats)).ToArray(),
            OnnxDataType.Double => MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(doubles)).ToArray(),
            OnnxDataType.Int64 => MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(integers)).ToArray(),
            OnnxDataType.Int32 => MemoryMarshal.AsBytes((integers ?? []).Select(i => (int)i).ToArray().AsSpan()).ToArray(),
            _ when floats is null && integers is null && doubles is null => ReadOnlyMemory<byte>.Empty,
            _ => throw new NotSupportedException($"ONNX tensor '{name}' stores {dataType} in a typed field, which is not supported."),
        });
        return new OnnxTensor(name, dataType, dims, data);
    }

    internal void Write(ProtoWriter writer)
    {
        foreach (var dim in Dims)
        {
            writer.WriteInt64(1, dim);
        }

        writer.WriteInt64(2, (int)DataType);
        writer.WriteString(8, Name);
        writer.WriteBytes(9, RawData.Span);
    }
}
