using System.Buffers.Binary;
using System.Text;

namespace Uptrain.Teacher.Onnx;

/// <summary>Protocol Buffers wire types (the low three bits of a field's tag).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}

/// <summary>
/// Reads one Protocol Buffers message from memory: just the wire format (tags, varints, fixed
/// numbers, length-delimited slices), without any schema. Nested messages are read by
/// <see cref="ReadMessage"/>, which returns a reader over the slice; bytes fields are slices of the
/// same memory, never copies.
/// </summary>
internal sealed class ProtoReader
{
    private readonly ReadOnlyMemory<byte> _data;
    private int _position;

    public ProtoReader(ReadOnlyMemory<byte> data) => _data = data;

    /// <summary>Reads the next field's tag; false at the end of the message.</summary>
    public bool TryReadTag(out int field, out WireType wireType)
    {
        if (_position >= _data.Length)
        {
            field = 0;
            wireType = default;
            return false;
        }

        var tag = ReadVarint();
        field = checked((int)(tag >> 3));
        wireType = (WireType)(tag & 7);
        if (field == 0)
        {
            throw new InvalidDataException("Protocol Buffers field number 0 is not valid.");
        }

        return true;
    }

    public ulong ReadVarint()
    {
        var span = _data.Span;
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= span.Length)
            {
                throw new InvalidDataException("Protocol Buffers data ends inside a varint.");
            }

            var b = span[_position++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new InvalidDataException("Protocol Buffers varint is longer than 10 bytes.");
    }

    /// <summary>int64 and int32 (negative int32 values are sign-extended to ten bytes).</summary>
    public long ReadInt64() => unchecked((long)ReadVarint());

    public int ReadInt32() => unchecked((int)ReadVarint());

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4).Span);

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8).Span);

    public ReadOnlyMemory<byte> ReadBytes() => Take(checked((int)ReadVarint()));

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes().Span);

    public ProtoReader ReadMessage() => new(ReadBytes());

    /// <summary>A repeated int64 field, whether the writer packed it or wrote one value per tag.</summary>
    public void ReadInt64s(WireType wireType, List<long> values)
    {
        if (wireType == WireType.LengthDelimited)
        {
            var packed = ReadMessage();
            while (!packed.AtEnd)
            {
                values.Add(packed.ReadInt64());
            }
        }
        else
        {
            Expect(wireType, WireType.Varint);
            values.Add(ReadInt64());
        }
    }

    /// <summary>A repeated float field, packed or not.</summary>
    public void ReadFloats(WireType wireType, List<float> values)
    {
        if (wireType == WireType.LengthDelimited)
        {
            var packed = ReadBytes().Span;
            for (var i = 0; i + 4 <= packed.Length; i += 4)
            {
                values.Add(BinaryPrimitives.ReadSingleLittleEndian(packed[i..]));
            }
        }
        else
        {
            Expect(wireType, WireType.Fixed32);
            values.Add(ReadFloat());
        }
    }

    /// <summary>A repeated double field, packed or not.</summary>
    public void ReadDoubles(WireType wireType, List<double> values)
    {
        if (wireType == WireType.LengthDelimited)
        {
            var packed = ReadBytes().Span;
            for (var i = 0; i + 8 <= packed.Length; i += 8)
            {
                values.Add(BinaryPrimitives.ReadDoubleLittleEndian(packed[i..]));
            }
        }
        else
        {
            Expect(wireType, WireType.Fixed64);
            values.Add(ReadDouble());
        }
    }

    public bool AtEnd => _position >= _data.Length;

    /// <summary>Skips a field this reader does not know.</summary>
    public void Skip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                Take(8);
                break;
            case WireType.LengthDelimited:
                ReadBytes();
                break;
            case WireType.Fixed32:
                Take(4);
                break;
            default:
                throw new InvalidDataException($"Protocol Buffers wire type {(int)wireType} is not supported.");
        }
    }

    public static void Expect(WireType actual, WireType expected)
    {
        if (actual != expected)
        {
            throw new InvalidDataException($"Protocol Buffers field has wire type {actual}, expected {expected}.");
        }
    }

    private ReadOnlyMemory<byte> Take(int length)
    {
        if (length < 0 || _position + length > _data.Length)
        {
            throw new InvalidDataException("Protocol Buffers data ends inside a field.");
        }

        var slice = _data.Slice(_position, length);
        _position += length;
        return slice;
    }
}
