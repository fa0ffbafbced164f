namespace Uptrain.Student;

/// <summary>
/// One text to train the student on: gold labels (<see cref="Cats"/>), the teacher's probabilities
/// (<see cref="Scores"/>), or both. A host maps <see cref="TextcatExample"/> (gold), <see cref="TextcatPrediction"/> and
/// <see cref="UptrainDecision"/> (silver: their <c>Scores</c>, and for an accepted decision its silver <c>Cats</c>) onto it.
/// </summary>
/// <param name="Text">The text.</param>
/// <param name="Cats">Known label values from 0 to 1 (1 applies, 0 does not); a label absent is unknown. They win over
/// <paramref name="Scores"/> for the labels they name.</param>
/// <param name="Scores">
/// The teacher's probabilities, soft targets for the labels <paramref name="Cats"/> leaves unknown, adjusted by
/// <see cref="StudentTrainingOptions.Temperatures"/>. An example with scores is silver; one without is gold and is
/// weighed by <see cref="StudentTrainingOptions.GoldWeight"/>.
/// </param>
/// <param name="Weight">A weight of the example's loss (1 by default).</param>
public sealed record StudentExample(
    string Text,
    IReadOnlyDictionary<string, double>? Cats = null,
    IReadOnlyDictionary<string, double>? Scores = null,
    double Weight = 1.0)
{
    /// <summary>True when the example carries the teacher's probabilities.</summary>
    public bool IsSilver => Scores is { Count: > 0 };
}
