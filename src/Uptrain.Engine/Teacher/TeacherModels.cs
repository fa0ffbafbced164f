using System.Text.Json;
using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Text;

namespace Uptrain.Teacher;

/// <summary>Finds base models: the bundled MiniLM-L6 or a BERT-family folder the user gives.</summary>
public static class TeacherModels
{
    /// <summary>The name of the bundled base model (all-MiniLM-L6-v2).</summary>
    public const string BundledName = "MiniLM-L6";

    /// <summary>The bundled model's folder, relative to the folder that holds it (<c>models/minilm-l6</c>).</summary>
    public static readonly string BundledRelativePath = Path.Combine("models", "minilm-l6");

    /// <summary>True when <paramref name="baseModel"/> names the bundled model (null, empty or <see cref="BundledName"/>).</summary>
    public static bool IsBundled(string? baseModel) =>
        string.IsNullOrWhiteSpace(baseModel) || string.Equals(baseModel, BundledName, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The full path of a usable base model folder. Null or <see cref="BundledName"/>: <c>models/minilm-l6</c> beside
    /// the engine assembly or the application, or one folder up (the PowerShell module keeps the engine in
    /// <c>Dependencies/</c> and <c>models/</c> beside it). Otherwise the given folder, which must hold
    /// <c>vocab.txt</c> and <c>model.safetensors</c> or <c>model.onnx</c>.
    /// </summary>
    /// <exception cref="UptrainException"><c>TeacherRuntimeMissing</c> (see <see cref="TeacherRuntime.Require"/>),
    /// <c>BaseModelNotFound</c> (ObjectNotFound).</exception>
    public static string Resolve(string? baseModel)
    {
        // Every base model is read with TorchSharp: without LibTorch, say that first.
        TeacherRuntime.Require();
        if (IsBundled(baseModel))
        {
            foreach (var root in SearchRoots())
            {
                var candidate = Path.GetFullPath(Path.Combine(root, BundledRelativePath));
                if (IsBaseModelFolder(candidate))
                {
                    return candidate;
                }
            }

            throw new UptrainException(
                "BaseModelNotFound",
                ErrorKind.ObjectNotFound,
                UserMessage.Format(Messages.BundledModelNotFound, BundledName, string.Join(", ", SearchRoots().Select(r => Path.Combine(r, BundledRelativePath)))),
                BundledName);
        }

        var folder = Path.GetFullPath(baseModel!);
        if (!IsBaseModelFolder(folder))
        {
            throw new UptrainException(
                "BaseModelNotFound",
                ErrorKind.ObjectNotFound,
                UserMessage.Format(Messages.BaseModelNotFound, folder),
                baseModel);
        }

        return folder;
    }

    /// <summary>
    /// The encoder of the base model in <paramref name="folder"/> (a folder <see cref="Resolve"/> returned), with its
    /// weights from <c>model.safetensors</c>, else <c>model.onnx</c>.
    /// </summary>
    /// <exception cref="UptrainException"><c>InvalidBaseModel</c>: the weights or config.json cannot be read; names the weights file.</exception>
    public static BertModel LoadEncoder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var safetensors = Path.Combine(folder, BertWeights.SafetensorsFileName);
        var weights = File.Exists(safetensors) ? safetensors : Path.Combine(folder, BertWeights.OnnxFileName);
        try
        {
            return BertModel.FromPretrained(folder);
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or KeyNotFoundException or EndOfStreamException)
        {
            throw new UptrainException("InvalidBaseModel", ErrorKind.InvalidData, UserMessage.Format(Messages.InvalidBaseModel, weights, ex.Message), weights, ex);
        }
    }

    /// <summary>The WordPiece tokenizer of the base model in <paramref name="folder"/>.</summary>
    /// <exception cref="UptrainException"><c>InvalidBaseModel</c>: the vocabulary or tokenizer_config.json cannot be used; names the file.</exception>
    public static WordPieceTokenizer LoadTokenizer(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        try
        {
            return WordPieceTokenizer.FromFolder(folder);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or InvalidDataException or JsonException)
        {
            var file = ex is JsonException ? Path.Combine(folder, WordPieceTokenizer.ConfigFileName) : Path.Combine(folder, WordPieceTokenizer.VocabFileName);
            throw new UptrainException("InvalidBaseModel", ErrorKind.InvalidData, UserMessage.Format(Messages.InvalidBaseModel, file, ex.Message), file, ex);
        }
    }

    /// <summary>
    /// True when <paramref name="folder"/> holds a vocabulary and weights, as a base model must (an Uptrain model folder,
    /// with its card, is <see cref="ModelFolder.IsModelFolder"/>).
    /// </summary>
    public static bool IsBaseModelFolder(string folder) =>
        Directory.Exists(folder)
        && File.Exists(Path.Combine(folder, ModelFolder.VocabFileName))
        && (File.Exists(Path.Combine(folder, BertWeights.SafetensorsFileName)) || File.Exists(Path.Combine(folder, BertWeights.OnnxFileName)));

    // The engine's folders and an installed runtime's, each with its parent (the module keeps the engine in
    // Dependencies/ and models/ beside it).
    private static IEnumerable<string> SearchRoots() =>
        TeacherRuntime.EngineFolders()
            .Append(Path.GetFullPath(TeacherRuntime.InstalledPath))
            .SelectMany(here => new[] { here, Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(here)) })
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);
}
