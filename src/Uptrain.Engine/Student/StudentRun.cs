using System.Diagnostics;
using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Training;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Student;

/// <summary>Where a trained student goes (8-bit storage is <see cref="StudentTrainingOptions.Quantize"/>).</summary>
/// <param name="OutputPath">The model folder to write.</param>
/// <param name="Force">Replace an existing folder.</param>
public sealed record StudentOutput(string OutputPath, bool Force = false);

/// <summary>
/// A whole student run as Invoke-StudentTraining does it: the output folder checked before any training,
/// <see cref="StudentTrainer.Train"/>, then the folder written with the data's fingerprints in the card
/// (<see cref="StudentFolder.Write"/>), and the same <see cref="TrainingResult"/> a teacher run gives.
/// </summary>
public static class StudentRun
{
    /// <summary>Trains a student on <paramref name="train"/> and writes it to <paramref name="target"/>.</summary>
    /// <param name="train">Gold and silver examples.</param>
    /// <param name="eval">Gold examples scored after every epoch; null or none to score the training data.</param>
    /// <param name="options">Training settings.</param>
    /// <param name="target">Where the model goes.</param>
    /// <param name="output">Verbose lines and progress.</param>
    /// <param name="cancellationToken">A stop keeps the best epoch so far (the weights at the stop when no epoch finished); a
    /// stop before any training step writes nothing and throws <see cref="OperationCanceledException"/>.</param>
    /// <param name="vectors">The teacher's token vectors (<see cref="StudentTrainer.Train"/>); null for an n-gram student.</param>
    /// <exception cref="UptrainException"><c>OutputExists</c> (before training) and those of <see cref="StudentTrainer.Train"/>.</exception>
    public static TrainingResult Train(
        IReadOnlyList<StudentExample> train,
        IReadOnlyList<StudentExample>? eval,
        StudentTrainingOptions options,
        StudentOutput target,
        IOutputWriter output,
        CancellationToken cancellationToken = default,
        TokenVectors? vectors = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(output);
        var clock = Stopwatch.StartNew();
        var folder = Path.GetFullPath(target.OutputPath);
        ModelFolderWriter.CheckTarget(folder, target.Force);
        var outcome = StudentTrainer.Train(train, eval, options, output, cancellationToken, vectors);
        var card = StudentFolder.Write(outcome, options, folder, target.Force, Fingerprints(train, eval));
        output.WriteVerbose(Format(Messages.StudentSaved, outcome.BestEpoch, outcome.BestScore.ScoreDescription, outcome.BestScore.Score, folder));
        return new EpochRun(outcome.History, outcome.BestEpoch, outcome.BestScore, outcome.Stopped, outcome.EarlyStopped).ToResult(folder, clock.Elapsed, card);
    }

    /// <summary>The card's data entries: gold and silver counts, and a fingerprint of the training and the eval data.</summary>
    private static Dictionary<string, object?> Fingerprints(IReadOnlyList<StudentExample> train, IReadOnlyList<StudentExample>? eval) => new()
    {
        ["goldExamples"] = train.Count(e => !e.IsSilver),
        ["silverExamples"] = train.Count(e => e.IsSilver),
        ["trainFingerprint"] = Fingerprint(train),
        ["evalFingerprint"] = eval is { Count: > 0 } ? Fingerprint(eval) : null,
    };

    /// <summary>
    /// <see cref="DataFingerprint"/> of student examples: text, known labels and, for a silver example, the teacher's
    /// scores. A gold example counts as the <see cref="TextcatExample"/> with its text and labels would.
    /// </summary>
    public static string Fingerprint(IEnumerable<StudentExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return DataFingerprint.Of(examples.Select(e => (e.Text, (IEnumerable<KeyValuePair<string, double>>)(e.Cats ?? new Dictionary<string, double>()), e.IsSilver ? (IEnumerable<KeyValuePair<string, double>>?)e.Scores : null)));
    }
}
