using System.Globalization;
using Uptrain.Diagnostics;
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
    /// <exception cref="UptrainException"><c>BaseModelNotFound</c> (ObjectNotFound).</exception>
    public static string Resolve(string? baseModel)
    {
        if (IsBundled(baseModel))
        {
            foreach (var root in SearchRoots())
            {
                var candidate = Path.GetFullPath(Path.Combine(root, BundledRelativePath));
                if (IsModelFolder(candidate))
                {
                    return candidate;
                }
            }

            throw new UptrainException(
                "BaseModelNotFound",
                ErrorKind.ObjectNotFound,
                string.Format(CultureInfo.CurrentCulture, Messages.BundledModelNotFound, BundledName, string.Join(", ", SearchRoots().Select(r => Path.Combine(r, BundledRelativePath)))),
                BundledName);
        }

        var folder = Path.GetFullPath(baseModel!);
        if (!IsModelFolder(folder))
        {
            throw new UptrainException(
                "BaseModelNotFound",
                ErrorKind.ObjectNotFound,
                string.Format(CultureInfo.CurrentCulture, Messages.BaseModelNotFound, folder),
                baseModel);
        }

        return folder;
    }

    /// <summary>True when <paramref name="folder"/> holds a vocabulary and weights.</summary>
    public static bool IsModelFolder(string folder) =>
        Directory.Exists(folder)
        && File.Exists(Path.Combine(folder, WordPieceTokenizer.VocabFileName))
        && (File.Exists(Path.Combine(folder, BertWeights.SafetensorsFileName)) || File.Exists(Path.Combine(folder, BertWeights.OnnxFileName)));

    private static IEnumerable<string> SearchRoots()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string?[] starts = [Path.GetDirectoryName(typeof(TeacherModels).Assembly.Location), AppContext.BaseDirectory];
        foreach (var start in starts)
        {
            if (string.IsNullOrEmpty(start))
            {
                continue; // single-file hosts have no assembly location
            }

            var here = Path.GetFullPath(start);
            var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(here));
            foreach (var root in new[] { here, parent })
            {
                if (root is not null && seen.Add(root))
                {
                    yield return root;
                }
            }
        }
    }
}
