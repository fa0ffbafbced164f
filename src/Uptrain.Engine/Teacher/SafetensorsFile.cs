using System.Buffers.Binary;
using Uptrain.Diagnostics;
using Uptrain.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Uptrain.Teacher;

/// <summary>
/// Reads and writes Hugging Face's <c>.safetensors</c> format: an 8-byte little-endian header length,
/// a JSON header mapping each tensor name to <c>dtype</c>, <c>shape</c> and <c>data_offsets</c>
/// (relative to the end of the header), then the raw little-endian tensor bytes.
/// </summary>
public static class SafetensorsFile
{
    // A header larger than this is not a checkpoint header (the format's own readers cap it at 100 MB).
    private const long MaxHeaderBytes = 100_000_000;

    /// <summary>
    /// Reads every floating-point tensor (F32, F16 and BF16, all returned as float32). Integer and
    /// boolean tensors (buffers such as <c>position_ids</c>) are not weights and are skipped.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not valid safetensors.</exception>
    public static IReadOnlyDictionary<string, WeightTensor> Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> prefix = stackalloc byte[8];
        try
        {
            stream.ReadExactly(prefix);
        }
        catch (EndOfStreamException)
        {
            throw Invalid(path, Messages.SafetensorsTooShort);
        }

        var headerLength = BinaryPrimitives.ReadInt64LittleEndian(prefix);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || 8 + headerLength > stream.Length)
        {
            throw Invalid(path, UserMessage.Format(Messages.SafetensorsHeaderLength, headerLength));
        }

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var dataStart = 8 + headerLength;
        var dataLength = stream.Length - dataStart;

        var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        using var json = ParseHeader(header, path);
        foreach (var entry in json.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                continue;
            }

            var dtype = entry.Value.GetProperty("dtype").GetString() ?? string.Empty;
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
            {
                throw Invalid(path, UserMessage.Format(Messages.SafetensorsOffsets, entry.Name));
            }

            var elementSize = dtype switch
            {
                "F32" => 4,
                "F16" or "BF16" => 2,
                _ => 0,
            };
            if (elementSize == 0)
            {
                continue;
            }

            var count = shape.Aggregate(1L, (product, dim) => product * dim);
            if (count * elementSize != offsets[1] - offsets[0])
            {
                throw Invalid(path, UserMessage.Format(Messages.SafetensorsSize, entry.Name, offsets[1] - offsets[0], dtype, string.Join(", ", shape)));
            }

            var bytes = new byte[offsets[1] - offsets[0]];
            stream.Position = dataStart + offsets[0];
            stream.ReadExactly(bytes);
            tensors[entry.Name] = new WeightTensor(shape, ToFloats(dtype, bytes));
        }

        return tensors;
    }

    /// <summary>Writes float32 tensors (dtype F32) in name order, with optional <c>__metadata__</c>.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, WeightTensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var ordered = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is not null)
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, tensor) in ordered)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (var dim in tensor.Shape)
                {
                    json.WriteNumberValue(dim);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += tensor.Data.Length * 4L;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        // The header is padded with spaces so that the data starts 8-byte aligned.
        while (header.Length % 8 != 0)
        {
            header.WriteByte((byte)' ');
        }

        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(prefix, header.Length);
            stream.Write(prefix);
            header.Position = 0;
            header.CopyTo(stream);
            foreach (var (_, tensor) in ordered)
            {
                LittleEndian.Write(stream, tensor.Data);
            }
        }, bufferSize: 1 << 16);
    }

    private static JsonDocument ParseHeader(byte[] header, string path)
    {
        try
        {
            var document = JsonDocument.Parse(header);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw Invalid(path, Messages.SafetensorsHeaderNotObject);
            }

            return document;
        }
        catch (JsonException e)
        {
            throw Invalid(path, e.Message);
        }
    }

    private static float[] ToFloats(string dtype, byte[] bytes)
    {
        if (dtype == "F32")
        {
            var values = new float[bytes.Length / 4];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
            }

            return values;
        }

        var halves = new float[bytes.Length / 2];
        for (var i = 0; i < halves.Length; i++)
        {
            var bits = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i * 2));

            // bfloat16 is the top half of a float32; F16 is IEEE binary16.
            halves[i] = dtype == "BF16" ? BitConverter.Int32BitsToSingle(bits << 16) : (float)BitConverter.UInt16BitsToHalf(bits);
        }

        return halves;
    }

    private static InvalidDataException Invalid(string path, string reason) =>
        new(UserMessage.Format(Messages.SafetensorsInvalid, path, reason));
}
