namespace Uptrain.Tests.Teacher;

/// <summary>Where the build put the bundled MiniLM-L6 (models/minilm-l6 beside the test assembly).</summary>
internal static class BundledModel
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "models", "minilm-l6");

    public static string OnnxPath => Path.Combine(Folder, "model.onnx");

    public static string VocabPath => Path.Combine(Folder, "vocab.txt");
}
