namespace Uptrain.Teacher.Onnx;

/// <summary>An operator set a model uses (<c>OperatorSetIdProto</c>).</summary>
/// <param name="Domain">The domain; empty for the standard <c>ai.onnx</c> operators.</param>
/// <param name="Version">The operator set version.</param>
public sealed record OnnxOpsetImport(string Domain, long Version);

/// <summary>
/// An ONNX model file (<c>ModelProto</c>), read and written by a small Protocol Buffers codec of our
/// own: the parts a transformer's export needs (IR version, operator sets, producer, one graph of
/// nodes, attributes, initializers and typed inputs and outputs). Fields it does not know (training
/// info, functions, sparse initializers, metadata) are skipped on reading.
/// </summary>
public sealed class OnnxModel
{
    /// <summary>IR version 8 (ONNX 1.10+), which every ONNX Runtime since 1.10 reads.</summary>
    public const long DefaultIrVersion = 8;

    /// <summary>The IR version the file follows.</summary>
    public long IrVersion { get; set; } = DefaultIrVersion;

    /// <summary>The operator sets the graph binds against.</summary>
    public List<OnnxOpsetImport> OpsetImports { get; } = [];

    /// <summary>The tool that wrote the model.</summary>
    public string ProducerName { get; set; } = string.Empty;

    /// <summary>The version of the tool that wrote the model.</summary>
    public string ProducerVersion { get; set; } = string.Empty;

    /// <summary>The model's domain (reverse-DNS style).</summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary>The model's own version number.</summary>
    public long ModelVersion { get; set; }

    /// <summary>Documentation.</summary>
    public string DocString { get; set; } = string.Empty;

    /// <summary>The model's graph.</summary>
    public OnnxGraph Graph { get; set; } = new();

    /// <summary>Reads an .onnx file. The file is read whole; tensors refer to that one buffer.</summary>
    public static OnnxModel Load(string path) => Parse(File.ReadAllBytes(path));

    /// <summary>Parses a serialised <c>ModelProto</c>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a readable ONNX model.</exception>
    public static OnnxModel Parse(ReadOnlyMemory<byte> data)
    {
        // ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, domain = 4,
        // model_version = 5, doc_string = 6, graph = 7, opset_import = 8.
        var reader = new ProtoReader(data);
        var model = new OnnxModel();
        var hasGraph = false;
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1:
                    model.IrVersion = reader.ReadInt64();
                    break;
                case 2:
                    model.ProducerName = reader.ReadString();
                    break;
                case 3:
                    model.ProducerVersion = reader.ReadString();
                    break;
                case 4:
                    model.Domain = reader.ReadString();
                    break;
                case 5:
                    model.ModelVersion = reader.ReadInt64();
                    break;
                case 6:
                    model.DocString = reader.ReadString();
                    break;
                case 7:
                    model.Graph = OnnxGraph.Read(reader.ReadMessage());
                    hasGraph = true;
                    break;
                case 8:
                    model.OpsetImports.Add(ReadOpset(reader.ReadMessage()));
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (!hasGraph)
        {
            throw new InvalidDataException("The ONNX model has no graph.");
        }

        return model;
    }

    /// <summary>Writes the model to <paramref name="path"/> (through a temporary file moved into place).</summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                WriteTo(stream);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Serialises the model as a <c>ModelProto</c>.</summary>
    public void WriteTo(Stream stream)
    {
        var writer = new ProtoWriter(stream);
        writer.WriteInt64(1, IrVersion);
        writer.WriteString(2, ProducerName);
        writer.WriteString(3, ProducerVersion);
        writer.WriteString(4, Domain);
        writer.WriteInt64(5, ModelVersion);
        writer.WriteString(6, DocString);
        writer.WriteMessage(7, Graph.Write);
        foreach (var opset in OpsetImports)
        {
            writer.WriteMessage(8, w =>
            {
                w.WriteString(1, opset.Domain);
                w.WriteInt64(2, opset.Version);
            });
        }
    }

    /// <summary>The serialised model.</summary>
    public byte[] ToArray()
    {
        using var stream = new MemoryStream();
        WriteTo(stream);
        return stream.ToArray();
    }

    private static OnnxOpsetImport ReadOpset(ProtoReader reader)
    {
        var domain = string.Empty;
        long version = 0;
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1:
                    domain = reader.ReadString();
                    break;
                case 2:
                    version = reader.ReadInt64();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return new OnnxOpsetImport(domain, version);
    }
}
