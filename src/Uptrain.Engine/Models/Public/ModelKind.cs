namespace Uptrain;

/// <summary>The kinds of model a folder can hold. The card records the kind by its lower-case name (<see cref="ModelKinds.Name"/>).</summary>
public enum ModelKind
{
    /// <summary>A fine-tuned transformer scored through ONNX Runtime (<c>model.onnx</c> with <c>vocab.txt</c>).</summary>
    Teacher,

    /// <summary>The compact model trained from the teacher's labels (<c>student.weights</c>).</summary>
    Student,
}

/// <summary>The names by which a <see cref="ModelCard"/> records a <see cref="ModelKind"/>.</summary>
public static class ModelKinds
{
    /// <summary>The card's name of <paramref name="kind"/>: <c>teacher</c> or <c>student</c>.</summary>
    public static string Name(ModelKind kind) => kind switch
    {
        ModelKind.Teacher => "teacher",
        ModelKind.Student => "student",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The kind a card's <paramref name="name"/> stands for (any case); false for a name no kind has.</summary>
    public static bool TryParse(string? name, out ModelKind kind)
    {
        foreach (var candidate in Enum.GetValues<ModelKind>())
        {
            if (string.Equals(name, Name(candidate), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
