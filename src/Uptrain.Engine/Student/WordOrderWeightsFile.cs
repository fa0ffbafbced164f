using Uptrain.Diagnostics;
using Uptrain.IO;
using Uptrain.Models;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Student;

/// <summary>
/// The weights file of a student's word-order part (<see cref="WordOrderPart.WeightsFileName"/>); its token vectors are
/// the folder's <see cref="WordOrderPart.VectorsFileName"/>.
/// </summary>
/// <remarks>
/// <para>All numbers little-endian. Layout of version 1:</para>
/// <code>
/// header   8 bytes magic "UPWORDCN", int32 version (1), int64 payload length
/// payload  int32 labels L, filters F, dimension D, most word pieces read, window widths W;
///          int32[W] the widths (2, 3, 4);
///          per width k: float32[F × k × D] the filters; per width: float32[F] their biases;
///          float32[L × W·F] and float32[L] the output layer
/// trailer  32 bytes SHA-256 of the payload
/// </code>
/// </remarks>
internal static class WordOrderWeightsFile
{
    /// <summary>The version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    private static ReadOnlySpan<byte> Magic => "UPWORDCN"u8;

    /// <summary>Writes the part's network to <paramref name="path"/> (through a temporary file beside it).</summary>
    public static void Write(ConvolutionNetwork network, string path)
    {
        using var buffer = new MemoryStream();
        LittleEndian.Write(buffer, [network.Labels, network.Filters, network.Dimension, WordOrderPart.MaxPieces, ConvolutionNetwork.Widths.Length]);
        LittleEndian.Write(buffer, ConvolutionNetwork.Widths);
        foreach (var parameter in network.Parameters())
        {
            LittleEndian.Write(buffer, parameter);
        }

        ChecksummedFile.Write(path, Magic, CurrentVersion, buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    /// <summary>Reads the part in <paramref name="path"/> over the token vectors <paramref name="table"/>.</summary>
    /// <exception cref="UptrainException">
    /// <c>ModelNotFound</c>, <c>UnsupportedStudentWeights</c>, <c>InvalidStudentWeights</c> (damaged, or not fitting
    /// <paramref name="labels"/> or the table). The message names the file.
    /// </exception>
    public static WordOrderPart Read(string path, TokenVectors table, int labels)
    {
        var payload = StudentWeightsFile.ReadChecked(path, Magic, CurrentVersion, CurrentVersion, out _);
        try
        {
            var reader = new PayloadReader(payload.Span, Messages.StudentWeightsValue);
            reader.Int(labels, labels, "labels");
            var filters = reader.Int(1, 1 << 14, "filters");
            var dimension = reader.Int(1, 1 << 14, "dimension");
            if (dimension != table.Dimension)
            {
                throw new FormatException(Format(Messages.WordOrderVectorsDimension, WordOrderPart.VectorsFileName, table.Dimension, dimension));
            }

            reader.Int(WordOrderPart.MaxPieces, WordOrderPart.MaxPieces, "word pieces read");
            reader.Int(ConvolutionNetwork.Widths.Length, ConvolutionNetwork.Widths.Length, "widths");
            foreach (var width in ConvolutionNetwork.Widths)
            {
                reader.Int(width, width, "width");
            }

            var network = new ConvolutionNetwork(labels, filters, dimension);
            foreach (var parameter in network.Parameters())
            {
                reader.Floats(parameter);
                if (Array.Exists(parameter, v => !float.IsFinite(v)))
                {
                    throw new FormatException(Format(Messages.StudentWeightsValue, "weights"));
                }
            }

            reader.End();
            return new WordOrderPart(network, table);
        }
        catch (FormatException ex)
        {
            throw StudentWeightsFile.Invalid(path, Format(Messages.StudentWeightsDamaged, path, ex.Message));
        }
    }
}
