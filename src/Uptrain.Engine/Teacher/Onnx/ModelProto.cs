using Google.Protobuf;
using Uptrain.Diagnostics;
using Uptrain.IO;

namespace Uptrain.Teacher.Onnx;

/// <summary>
/// An ONNX model file. The class is generated from <c>onnx.proto</c> (the part of ONNX's schema that
/// Uptrain uses); this half adds reading and writing files.
/// </summary>
public sealed partial class ModelProto
{
    /// <summary>IR version 8 (ONNX 1.10+), which every ONNX Runtime since 1.10 reads.</summary>
    public const long DefaultIrVersion = 8;

    /// <summary>
    /// Reads an .onnx file. It is parsed from the file stream, so the weights are held once (each
    /// tensor's <c>raw_data</c>), not a second time as the whole file.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a readable ONNX model.</exception>
    public static ModelProto Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(() => Parser.ParseFrom(stream), path);
    }

    /// <summary>Parses a serialised <c>ModelProto</c>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a readable ONNX model.</exception>
    public static ModelProto Parse(byte[] data) => Read(() => Parser.ParseFrom(data), "(in memory)");

    /// <summary>Writes the model to <paramref name="path"/> (through a temporary file moved into place).</summary>
    public void Save(string path)
    {
        AtomicFile.Write(path, this.WriteTo, bufferSize: 1 << 16);
    }

    private static ModelProto Read(Func<ModelProto> parse, string source)
    {
        ModelProto model;
        try
        {
            model = parse();
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException(UserMessage.Format(Messages.OnnxUnreadable, source, ex.Message), ex);
        }

        return model.Graph is null
            ? throw new InvalidDataException(UserMessage.Format(Messages.OnnxNoGraph, source))
            : model;
    }
}
