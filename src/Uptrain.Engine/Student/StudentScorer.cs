using Uptrain.Diagnostics;
using Uptrain.Models;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Student;

/// <summary>
/// A student's scorer: a window's texts scored by up to <see cref="Threads"/> threads at once, each text on its own (a
/// student has no batches), always on the CPU.
/// </summary>
internal sealed class StudentScorer : ITextcatScorer
{
    private readonly StudentModel _model;

    public StudentScorer(StudentModel model, int threads)
    {
        _model = model;
        Threads = threads;
    }

    /// <inheritdoc />
    public ComputeDevice Device => ComputeDevice.Cpu;

    /// <inheritdoc />
    public int Threads { get; }

    /// <inheritdoc />
    public ModelPrecision Precision => ModelPrecision.Float32;

    /// <inheritdoc />
    public void Score(IReadOnlyList<string> texts, int batchSize, float[] scores, bool[] truncated, CancellationToken cancellationToken)
    {
        var labels = _model.Labels.Count;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Threads, CancellationToken = cancellationToken };
        Parallel.For(0, texts.Count, parallel, i => _model.Score(texts[i], scores.AsSpan(i * labels, labels)));
    }

    /// <summary>Nothing to free: a student is managed memory only.</summary>
    public void Dispose()
    {
    }
}

/// <summary>Opens student folders (<see cref="ModelKind.Student"/>) as <see cref="StudentScorer"/>s.</summary>
internal sealed class StudentScorerKind : IScorerKind
{
    /// <inheritdoc />
    public ModelKind Kind => ModelKind.Student;

    /// <summary>
    /// Reads the student (its checksums verified when asked); a warning when Cuda is asked for, a verbose line when the
    /// 8-bit precision is: a student scores on the CPU, as it was stored.
    /// </summary>
    public ITextcatScorer Open(ModelCard card, ScorerRequest request, IOutputWriter output)
    {
        if (request.Precision == ModelPrecision.Int8)
        {
            output.WriteVerbose(Format(Messages.StudentPrecisionAsStored, card.Path));
        }

        if (request.Device == ComputeDevice.Cuda)
        {
            output.WriteWarning(Format(Messages.StudentScoresOnCpu, card.Path));
        }

        return new StudentScorer(StudentFolder.Load(card, output, request.Verify), request.Threads);
    }
}
