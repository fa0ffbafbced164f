using System.Buffers.Binary;
using System.Text;

namespace Uptrain.Teacher.Onnx;

/// <summary>
/// Writes Protocol Buffers wire format to a stream. A nested message is written by
/// <see cref="WriteMessage"/>, which first runs the message's body on a counting writer to learn its
/// length, then writes the length and the body: nothing is buffered, so a model with hundreds of
/// megabytes of weights streams straight to its file.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly Stream? _stream;
    private readonly byte[] _scratch = new byte[10];

    /// <summary>A writer to <paramref name="stream"/>, or with <c>null</c> one that only counts bytes.</summary>
    public ProtoWriter(Stream? stream) => _stream = stream;

    /// <summary>Bytes written (or counted) so far.</summary>
    public long Length { get; private set; }

    public void WriteTag(int field, WireType wireType) => WriteVarint(((ulong)(uint)field << 3) | (uint)wireType);

    public void WriteVarint(ulong value)
    {
        var n = 0;
        while (value >= 0x80)
        {
            _scratch[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _scratch[n++] = (byte)value;
        WriteRaw(_scratch.AsSpan(0, n));
    }

    /// <summary>An int64 or int32 field (negative values take ten bytes, as Protocol Buffers requires).</summary>
    public void WriteInt64(int field, long value)
    {
        WriteTag(field, WireType.Varint);
        WriteVarint(unchecked((ulong)value));
    }

    public void WriteFloat(int field, float value)
    {
        WriteTag(field, WireType.Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(_scratch, value);
        WriteRaw(_scratch.AsSpan(0, 4));
    }

    /// <summary>A string field; nothing is written for <c>null</c>.</summary>
    public void WriteString(int field, string? value)
    {
        if (value is not null)
        {
            WriteBytes(field, Encoding.UTF8.GetBytes(value));
        }
    }

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)value.Length);
        WriteRaw(value);
    }

    /// <summary>A nested message whose fields <paramref name="body"/> writes.</summary>
    public void WriteMessage(int field, Action<ProtoWriter> body)
    {
        var counter = new ProtoWriter(null);
        body(counter);
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)counter.Length);
        if (_stream is null)
        {
            Length += counter.Length;
        }
        else
        {
            var start = Length;
            body(this);
            if (Length - start != counter.Length)
            {
                throw new InvalidOperationException("A Protocol Buffers message wrote a different length than it measured.");
            }
        }
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        _stream?.Write(bytes);
        Length += bytes.Length;
    }
}
