using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Teacher;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Uptraining;

/// <summary>
/// Finds the token vectors a student is trained with: those of the teacher named by <c>-Teacher</c>, else of the one
/// model whose predictions are in the training data. A teacher folder trained by this version keeps them in
/// <see cref="TokenVectors.FileName"/>; for an older teacher folder, or a base model folder (such as the bundled
/// MiniLM-L6), they are distilled from its encoder on the spot (<see cref="TokenVectorDistiller"/>).
/// </summary>
public static class StudentTeacherVectors
{
    /// <summary>The token vectors for a student; null when there is no teacher to take them from (an n-gram student).</summary>
    /// <param name="teacher">A teacher folder, a base model folder, or the bundled model's name; null to use
    /// <paramref name="predictionModels"/>.</param>
    /// <param name="predictionModels">The model folder of every prediction in the training data (null where unknown).</param>
    /// <param name="output">Why there are no vectors (verbose or warning), where they came from, progress.</param>
    /// <param name="cancellationToken">Checked while distilling.</param>
    /// <exception cref="UptrainException"><c>TeacherNotFound</c> (the folder <paramref name="teacher"/> is neither a teacher
    /// nor a base model), <c>InvalidTokenVectors</c> and <c>UnsupportedTokenVectors</c> (a damaged table).</exception>
    public static TokenVectors? Resolve(string? teacher, IEnumerable<string?> predictionModels, IOutputWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predictionModels);
        ArgumentNullException.ThrowIfNull(output);
        string folder;
        if (teacher is not null)
        {
            folder = TeacherModels.IsBundled(teacher) ? TeacherModels.Resolve(null) : Path.GetFullPath(teacher);
            if ((!TokenVectors.ExistsIn(folder) && !TeacherModels.IsBaseModelFolder(folder)) || KindOf(folder) == ModelKind.Student)
            {
                throw new UptrainException("TeacherNotFound", ErrorKind.ObjectNotFound, Format(Messages.StudentTeacherNotFound, folder), teacher);
            }
        }
        else
        {
            var folders = predictionModels.Where(p => !string.IsNullOrEmpty(p)).Select(p => Path.GetFullPath(p!)).Distinct(StringComparer.Ordinal).ToList();
            if (folders.Count == 0)
            {
                output.WriteVerbose(Messages.StudentNoTeacher);
                return null;
            }

            if (folders.Count > 1)
            {
                output.WriteWarning(Format(Messages.StudentSeveralTeachers, string.Join("', '", folders)));
                return null;
            }

            folder = folders[0];
            var kind = KindOf(folder);
            if (kind == ModelKind.Student)
            {
                output.WriteVerbose(Format(Messages.StudentPredictionsOfStudent, folder));
                return null;
            }

            if (kind != ModelKind.Teacher || !TeacherModels.IsBaseModelFolder(folder))
            {
                output.WriteWarning(Format(Messages.StudentTeacherGone, folder));
                return null;
            }
        }

        if (TokenVectors.ExistsIn(folder))
        {
            var table = TokenVectors.Read(Path.Combine(folder, TokenVectors.FileName));
            output.WriteVerbose(Format(Messages.StudentTokenVectorsFrom, table.Count, table.Dimension, folder));
            return table;
        }

        output.WriteVerbose(Format(Messages.StudentDistillingVectors, folder));
        return TokenVectorDistiller.FromFolder(folder, SourceName(folder), output, TokenVectorDistiller.DefaultDimension, cancellationToken);
    }

    /// <summary>The kind of the model in <paramref name="folder"/>; null when it holds no readable model card.</summary>
    private static ModelKind? KindOf(string folder)
    {
        if (!ModelFolder.IsModelFolder(folder))
        {
            return null;
        }

        try
        {
            return ModelKinds.TryParse(ModelCard.Read(folder).Kind, out var kind) ? kind : null;
        }
        catch (UptrainException)
        {
            return null;
        }
    }

    private static string SourceName(string folder) => Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
}
