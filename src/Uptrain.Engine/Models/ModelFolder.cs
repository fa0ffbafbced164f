using Uptrain.Diagnostics;
using Uptrain.IO;
using Uptrain.Text;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Models;

/// <summary>
/// The layout of a model folder, shared by the trainers that write one and the scorer that reads one: the card,
/// the weights and tokenizer file names, and the names of a transformer graph's inputs and output.
/// </summary>
public static class ModelFolder
{
    /// <summary>The card's file name (<c>uptrain-model.json</c>).</summary>
    public const string CardFileName = "uptrain-model.json";

    /// <summary>A teacher's weights: an ONNX graph that ONNX Runtime scores.</summary>
    public const string OnnxFileName = "model.onnx";

    /// <summary>A teacher's 8-bit graph, beside <see cref="OnnxFileName"/> when it was trained with -Quantize.</summary>
    public const string QuantizedOnnxFileName = "model.int8.onnx";

    /// <summary>The WordPiece vocabulary, one word piece a line (the tokenizer's own file name).</summary>
    public const string VocabFileName = WordPieceTokenizer.VocabFileName;

    /// <summary>The tokenizer settings (Hugging Face's file name; <c>do_lower_case</c> is what Uptrain reads).</summary>
    public const string TokenizerConfigFileName = WordPieceTokenizer.ConfigFileName;

    /// <summary>Graph input: word piece ids, int64 [batch, sequence].</summary>
    public const string InputIds = "input_ids";

    /// <summary>Graph input: 1 for real tokens, 0 for padding, int64 [batch, sequence].</summary>
    public const string AttentionMask = "attention_mask";

    /// <summary>Graph input: segment ids (all 0 for one text), int64 [batch, sequence].</summary>
    public const string TokenTypeIds = "token_type_ids";

    /// <summary>Graph output: probabilities, float [batch, labels], in the card's label order.</summary>
    public const string ScoresOutput = "scores";

    /// <summary>The graph's input names, in order.</summary>
    public static IReadOnlyList<string> InputNames { get; } = [InputIds, AttentionMask, TokenTypeIds];

    /// <summary>True when <paramref name="folder"/> holds a model card, that is, it is an Uptrain model folder.</summary>
    public static bool IsModelFolder(string folder) =>
        Directory.Exists(folder) && File.Exists(Path.Combine(folder, CardFileName));

    /// <summary>The prefix of a checksum in the card: the algorithm, then the lower-case hex digest.</summary>
    public const string ChecksumPrefix = Sha256Digest.Prefix;

    /// <summary><c>sha256:</c> and the hex SHA-256 of <paramref name="file"/>'s bytes.</summary>
    public static string Checksum(string file) => Sha256Digest.OfFile(file);

    /// <summary>
    /// Records the checksum of every file in <paramref name="folder"/> but the card itself in <paramref name="card"/>
    /// (<see cref="ModelCard.Files"/>, by name relative to the folder with <c>/</c> between folders) and writes the card
    /// there. Call it once every other file of the model is in place.
    /// </summary>
    public static void Seal(string folder, ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(card);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
            if (!string.Equals(name, CardFileName, StringComparison.Ordinal))
            {
                files[name] = Checksum(file);
            }
        }

        card.Files = new Dictionary<string, string>(files, StringComparer.Ordinal);
        card.Write(folder);
    }

    /// <summary>
    /// Checks every file the card of a loaded model lists against its checksum. A card without checksums (written
    /// before Uptrain recorded them) is accepted, with a verbose line saying that nothing was verified.
    /// </summary>
    /// <exception cref="UptrainException"><c>ModelNotFound</c> (a listed file is gone), <c>ModelFileChanged</c>.</exception>
    public static void Verify(ModelCard card, IOutputWriter output)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(output);
        var folder = card.Path ?? throw new ArgumentException(Messages.CardWithoutFolder, nameof(card));
        if (card.Files is not { Count: > 0 } files)
        {
            output.WriteVerbose(Format(Messages.ModelNotVerified, folder, CardFileName));
            return;
        }

        foreach (var (name, expected) in files)
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path))
            {
                throw new UptrainException("ModelNotFound", ErrorKind.ObjectNotFound, Format(Messages.ModelFileMissing, folder, name, Messages.ModelFileListed), path);
            }

            var actual = Checksum(path);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new UptrainException("ModelFileChanged", ErrorKind.InvalidData, Format(Messages.ModelFileChanged, path, expected, actual), path);
            }
        }
    }
}
