using Uptrain.Diagnostics;

namespace Uptrain.Models;

/// <summary>
/// Scores a window of texts for one loaded model: the seam between <see cref="TextcatModel"/>, which reads its input a
/// window at a time and turns scores into predictions, and each model kind's arithmetic (ONNX Runtime for a teacher,
/// plain C# for a student). One implementation per kind (<see cref="IScorerKind"/>), chosen once when a model loads.
/// </summary>
/// <remarks>An implementation must be safe to call from several threads at once, each with its own arrays.</remarks>
internal interface ITextcatScorer : IDisposable
{
    /// <summary>The device it scores on: Cpu or Cuda, never Auto.</summary>
    ComputeDevice Device { get; }

    /// <summary>The threads it scores with (a teacher: ONNX Runtime's intra-op threads; a student: texts at once).</summary>
    int Threads { get; }

    /// <summary>The weights it scores with (a student: Float32, whatever its rows are stored as).</summary>
    ModelPrecision Precision { get; }

    /// <summary>
    /// Writes the probabilities of <paramref name="texts"/> into <paramref name="scores"/> (row-major [texts, labels], the
    /// card's label order) and sets <paramref name="truncated"/>[i] where text i was cut to the model's maximum length.
    /// </summary>
    /// <param name="texts">The window's texts.</param>
    /// <param name="batchSize">Texts per call of the model's arithmetic, where it has such calls.</param>
    /// <param name="scores">At least texts × labels floats.</param>
    /// <param name="truncated">At least one flag per text.</param>
    /// <param name="cancellationToken">Checked between batches; a cancelled token also stops a running batch.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="UptrainException"><c>ScoringFailed</c>.</exception>
    void Score(IReadOnlyList<string> texts, int batchSize, float[] scores, bool[] truncated, CancellationToken cancellationToken);
}

/// <summary>How a model is to be opened for scoring.</summary>
/// <param name="Device">The device asked for (Auto, Cpu or Cuda).</param>
/// <param name="Threads">Threads to score with.</param>
/// <param name="Precision">The weights asked for.</param>
/// <param name="Verify">Check every file against the card's checksums (false only for a folder being written).</param>
internal sealed record ScorerRequest(ComputeDevice Device, int Threads, ModelPrecision Precision, bool Verify);

/// <summary>One model kind as scoring sees it: what opens a folder of that kind as an <see cref="ITextcatScorer"/>.</summary>
/// <remarks>
/// Each kind implements this once, in its own folder, with a public parameterless constructor; <see cref="ScorerKinds"/>
/// finds the implementations in the engine assembly, so the object model needs no reference to any kind's code.
/// </remarks>
internal interface IScorerKind
{
    /// <summary>The kind this opens.</summary>
    ModelKind Kind { get; }

    /// <summary>Opens the model whose card is <paramref name="card"/> (its <see cref="ModelCard.Path"/> set).</summary>
    /// <exception cref="UptrainException">The kind's load errors (<c>ModelNotFound</c>, <c>ModelFileChanged</c>, <c>InvalidModel</c>, …).</exception>
    ITextcatScorer Open(ModelCard card, ScorerRequest request, IOutputWriter output);
}
