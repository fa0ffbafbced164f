using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Student;
using Uptrain.Teacher;

namespace Uptrain.Uptraining;

/// <summary>
/// How to train one kind of model again and again on parts of the gold (the folds of Find-TextcatLabelIssue, the
/// fractions of Measure-TrainingCurve): the kind's options with everything but the data, the seed and the folder fixed.
/// One class per kind.
/// </summary>
public abstract class ModelRecipe
{
    /// <summary>The kind of model it trains.</summary>
    public abstract ModelKind Kind { get; }

    /// <summary>Trains a model on <paramref name="train"/> (epochs kept on <paramref name="eval"/>, if any) into the new folder <paramref name="folder"/>.</summary>
    public abstract TrainingResult Train(
        IReadOnlyList<TextcatExample> train, IReadOnlyList<TextcatExample>? eval, int seed, string folder, IOutputWriter output, CancellationToken cancellationToken);

    /// <summary>
    /// Trains a model in a temporary folder called <paramref name="name"/> (the predictions' model name), scores
    /// <paramref name="toScore"/> with it, and deletes it; the trainer's progress shows below
    /// <paramref name="parentActivityId"/>. Null when a stop (Ctrl+C) came before the model was trained and scored.
    /// </summary>
    public List<TextcatPrediction>? TrainAndScore(
        IReadOnlyList<TextcatExample> train,
        IReadOnlyList<TextcatExample>? eval,
        int seed,
        IEnumerable<TextcatExample> toScore,
        string name,
        IOutputWriter output,
        int parentActivityId,
        CancellationToken cancellationToken)
    {
        var parent = Path.Combine(Path.GetTempPath(), "uptrain-" + Guid.NewGuid().ToString("N"));
        var folder = Path.Combine(parent, name);
        try
        {
            var run = Train(train, eval, seed, folder, new NestedOutputWriter(output, parentActivityId, parentActivityId), cancellationToken);
            if (run.Stopped)
            {
                return null;
            }
            using var model = TextcatModel.Load(folder, output: output);
            return model.Predict(toScore, cancellationToken: cancellationToken).ToList();
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        finally
        {
            if (Directory.Exists(parent))
            {
                Directory.Delete(parent, recursive: true);
            }
        }
    }
}

/// <summary>Fine-tunes a teacher with <see cref="TeacherTrainer"/>.</summary>
/// <param name="options">The settings; the output folder, seed and force flag are replaced for each run.</param>
public sealed class TeacherRecipe(TeacherTrainingOptions options) : ModelRecipe
{
    /// <inheritdoc />
    public override ModelKind Kind => ModelKind.Teacher;

    /// <summary>The settings of every run.</summary>
    public TeacherTrainingOptions Options { get; } = options;

    /// <inheritdoc />
    public override TrainingResult Train(
        IReadOnlyList<TextcatExample> train, IReadOnlyList<TextcatExample>? eval, int seed, string folder, IOutputWriter output, CancellationToken cancellationToken) =>
        TeacherTrainer.Train(train, eval, Options with { OutputPath = folder, Seed = seed, Force = false }, output, cancellationToken);
}

/// <summary>Trains a student with <see cref="StudentRun"/> on gold examples.</summary>
/// <param name="options">The settings; the seed is replaced for each run.</param>
/// <param name="vectors">The teacher's token vectors for every run, or null for n-gram students.</param>
public sealed class StudentRecipe(StudentTrainingOptions options, TokenVectors? vectors) : ModelRecipe
{
    /// <inheritdoc />
    public override ModelKind Kind => ModelKind.Student;

    /// <summary>The settings of every run.</summary>
    public StudentTrainingOptions Options { get; } = options;

    /// <inheritdoc />
    public override TrainingResult Train(
        IReadOnlyList<TextcatExample> train, IReadOnlyList<TextcatExample>? eval, int seed, string folder, IOutputWriter output, CancellationToken cancellationToken) =>
        StudentRun.Train(
            train.Select(e => new StudentExample(e.Text, e.Cats)).ToList(),
            eval?.Select(e => new StudentExample(e.Text, e.Cats)).ToList(),
            Options with { Seed = seed },
            new StudentOutput(folder),
            output,
            cancellationToken,
            vectors);
}
