namespace Uptrain.Models;

/// <summary>The kinds of model a folder can hold, as <see cref="ModelCard.Kind"/> records them.</summary>
public static class ModelKind
{
    /// <summary>A fine-tuned transformer scored through ONNX Runtime (<c>model.onnx</c> with <c>vocab.txt</c>).</summary>
    public const string Teacher = "teacher";

    /// <summary>The compact hashed n-gram model trained from the teacher.</summary>
    public const string Student = "student";
}
