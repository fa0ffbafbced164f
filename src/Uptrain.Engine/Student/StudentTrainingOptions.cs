using Uptrain.Training;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Student;

/// <summary>Settings of <see cref="StudentTrainer"/>, with documented defaults.</summary>
public sealed record StudentTrainingOptions : TrainingOptions
{
    /// <summary>Options with every default.</summary>
    public StudentTrainingOptions()
    {
        LearningRate = DefaultLearningRate;
        Patience = DefaultPatience;
    }

    /// <summary>Default <see cref="Epochs"/>: small gold sets need more passes than fastText's default of 5.</summary>
    public const int DefaultEpochs = 10;

    /// <summary>
    /// Default <see cref="TrainingOptions.LearningRate"/>: the best of those tried on small and large generated sets
    /// (measured: bench/results/2026-12-03-defaults-measured.md).
    /// </summary>
    public const double DefaultLearningRate = 0.3;

    /// <summary>
    /// The learning rate Invoke-StudentTraining takes with a hidden layer when none is given: at 0.3 a tanh layer
    /// saturates and the student collapses (macro F 0.2 on Debian sections, where 0.1 gives 0.79:
    /// bench/results/2026-12-04-student-vectors.md).
    /// </summary>
    public const double DefaultHiddenLearningRate = 0.1;

    /// <summary>
    /// Default <see cref="Dimension"/> (fastText's supervised default is 100): 128 was 0.1–0.5 points more accurate than 64 on
    /// three of four bench corpora and equal on the fourth (bench/results/2026-12-07-student-temperature.md); it costs about a
    /// quarter more training time and nothing in size or scoring speed once the rows are folded (<see cref="Quantize"/>).
    /// </summary>
    public const int DefaultDimension = 128;

    /// <summary>Default <see cref="Buckets"/>: 2^20, about a million hashed rows (fastText uses 2 million).</summary>
    public const int DefaultBuckets = 1 << 20;

    /// <summary>The most <see cref="Buckets"/>: the bucket → row map of a loaded model holds one int per bucket (64 MiB here).</summary>
    public const int MaxBuckets = 1 << 24;

    /// <summary>Default <see cref="WordNgrams"/>: words and pairs of neighbouring words.</summary>
    public const int DefaultWordNgrams = 2;

    /// <summary>Default <see cref="MinCount"/>.</summary>
    public const int DefaultMinCount = 1;

    /// <summary>
    /// Default <see cref="L2"/>: on the bench corpora 1e-3 gained 0.3–1.6 points in 9 of 12 settings and lost at most
    /// 0.2 (bench/results/2026-12-04-student-vectors.md); 1e-2 and more underfit.
    /// </summary>
    public const double DefaultL2 = 1e-3;

    /// <summary>The run size up to which <see cref="L2"/> is the decay of a step; larger runs decay less, in proportion.</summary>
    public const int L2Examples = 2500;

    /// <summary>Default <see cref="SifCoefficient"/>.</summary>
    public const double DefaultSifCoefficient = 1e-3;

    /// <summary>
    /// Default <see cref="WordOrderFilters"/>: 50 filters of each width over 64 dimensions lost 0.1 point against 100 over
    /// 256 on Debian sections and score 7 times faster (bench/results/2026-12-06-student-cnn.md).
    /// </summary>
    public const int DefaultWordOrderFilters = 50;

    /// <summary>The most <see cref="WordOrderFilters"/>.</summary>
    public const int MaxWordOrderFilters = 1024;

    /// <summary>The most <see cref="WordOrderDimension"/> (the token vectors may have fewer: then all are read).</summary>
    public const int MaxWordOrderDimension = 1024;

    /// <summary>Default <see cref="WordOrderDimension"/>: the token vectors' first 64 principal components.</summary>
    public const int DefaultWordOrderDimension = 64;

    /// <summary>Default <see cref="WordOrderLearningRate"/>: Adam's usual rate, as measured.</summary>
    public const double DefaultWordOrderLearningRate = 1e-3;

    /// <summary>Default <see cref="TrainingOptions.Patience"/>: epochs without a better eval score before an early stop.</summary>
    public const int DefaultPatience = 3;

    /// <summary>Passes over the training data (1 or more).</summary>
    public int Epochs { get; init; } = DefaultEpochs;

    /// <summary>Width of the embedding rows.</summary>
    public int Dimension { get; init; } = DefaultDimension;

    /// <summary>Rows of the hashed n-gram table (1 to <see cref="MaxBuckets"/>); only rows that training touches are stored.</summary>
    public int Buckets { get; init; } = DefaultBuckets;

    /// <summary>Longest word n-gram (1: words only).</summary>
    public int WordNgrams { get; init; } = DefaultWordNgrams;

    /// <summary>Character n-grams of 3 to 5 code points inside each token (on by default).</summary>
    public bool CharNgrams { get; init; } = true;

    /// <summary>
    /// A feature's row is stored (and trained) only when the feature occurs at least this often in the training texts;
    /// rarer features are left out in training and in scoring, as fastText's <c>-minCount</c> does for words. 1 keeps all.
    /// </summary>
    public int MinCount { get; init; } = DefaultMinCount;

    /// <summary>Width of a tanh hidden layer between the average and the output; 0 (default) for none.</summary>
    public int Hidden { get; init; }

    /// <summary>
    /// Default <see cref="Temperatures"/>: the teacher's probabilities as they are, and sharpened to near its top label. Each
    /// wins on some of the bench corpora by about a point (bench/results/2026-12-07-student-temperature.md).
    /// </summary>
    public static IReadOnlyList<double> DefaultTemperatures { get; } = [1.0, 0.1];

    /// <summary>
    /// Temperatures applied to the teacher's probabilities before they become targets (see <see cref="StudentExample.Scores"/>):
    /// 1 keeps them, above 1 softens, below 1 sharpens. One value: it is used. Several (default
    /// <see cref="DefaultTemperatures"/>): with eval data, the n-gram part is trained once at each, in the order given, and the
    /// one whose kept epoch scores best on the eval data is kept (the first of equal scores), and the word-order part is
    /// trained at it; without eval data, or when no target comes from the teacher's scores (gold alone, or known labels for
    /// every label a score names), the first is used once.
    /// </summary>
    public IReadOnlyList<double> Temperatures { get; init; } = DefaultTemperatures;

    /// <summary>
    /// With token vectors: a word piece's weight in a text's static feature is a / (a + p), a this coefficient and p the
    /// piece's share of all pieces in the training texts (smooth inverse frequency): smaller values weigh frequent
    /// pieces down more.
    /// </summary>
    public double SifCoefficient { get; init; } = DefaultSifCoefficient;

    /// <summary>
    /// With token vectors: the root mean square size of a training text's static feature around its center (1 by
    /// default, about the n-gram average's size in training); larger values make the output layer learn faster from it.
    /// </summary>
    public double TokenVectorScale { get; init; } = 1.0;

    /// <summary>
    /// L2 weight decay: every step multiplies the output (and hidden) weights it updates and the rows it touches by
    /// 1 − rate × decay before the gradient step, where the decay is L2 for a run of up to <see cref="L2Examples"/>
    /// examples and L2 × <see cref="L2Examples"/> / examples for a larger one. 0 turns it off.
    /// </summary>
    public double L2 { get; init; } = DefaultL2;

    /// <summary>
    /// With token vectors: filters of each window width (2, 3 and 4 word pieces) of the student's word-order part, a
    /// narrow convolutional network over the token vectors of a text's word pieces in order, trained after the n-gram part
    /// and averaged with it (<see cref="StudentModel.HasWordOrder"/>). 0 for no word-order part.
    /// </summary>
    public int WordOrderFilters { get; init; } = DefaultWordOrderFilters;

    /// <summary>With a word-order part: how many of the token vectors' leading principal components it reads.</summary>
    public int WordOrderDimension { get; init; } = DefaultWordOrderDimension;

    /// <summary>With a word-order part: its Adam learning rate (constant; the n-gram part's is <see cref="TrainingOptions.LearningRate"/>).</summary>
    public double WordOrderLearningRate { get; init; } = DefaultWordOrderLearningRate;

    /// <summary>Weight of gold examples (those without scores) against silver ones (1 by default: equal).</summary>
    public double GoldWeight { get; init; } = 1.0;

    /// <summary>Training threads (Hogwild); 0 (default) for one per processor. Only 1 is deterministic.</summary>
    public int Threads { get; init; }

    /// <summary>The labels, in output order; null to take them from the examples in order of first appearance.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>
    /// Once training ends, store the kept epoch's embedding rows as 8-bit integers with a scale per row
    /// (<see cref="StudentModel.Quantize"/>), about a quarter of the size, and score the eval data again with them, so
    /// that the reported score is that of the model returned. Off by default here; Invoke-StudentTraining turns it on.
    /// </summary>
    public bool Quantize { get; init; }

    /// <inheritdoc />
    public override void Check()
    {
        base.Check();
        Require(Epochs >= 1, nameof(Epochs), Messages.RuleOneOrMore, Epochs);
        Require(Dimension >= 1, nameof(Dimension), Messages.RuleOneOrMore, Dimension);
        Require(Buckets is >= 1 and <= MaxBuckets, nameof(Buckets), Format(Messages.RuleRange, 1, MaxBuckets), Buckets);
        Require(WordNgrams >= 1, nameof(WordNgrams), Messages.RuleOneOrMore, WordNgrams);
        Require(MinCount >= 1, nameof(MinCount), Messages.RuleOneOrMore, MinCount);
        Require(Hidden >= 0, nameof(Hidden), Format(Messages.RuleRange, 0, int.MaxValue), Hidden);
        Require(Temperatures is { Count: > 0 }, nameof(Temperatures), Messages.RuleOneOrMoreValues, Messages.ValueNone);
        foreach (var temperature in Temperatures!)
        {
            Require(temperature > 0 && double.IsFinite(temperature), nameof(Temperatures), Messages.RulePositiveNumber, temperature);
        }

        Require(SifCoefficient > 0 && double.IsFinite(SifCoefficient), nameof(SifCoefficient), Messages.RulePositiveNumber, SifCoefficient);
        Require(TokenVectorScale > 0 && double.IsFinite(TokenVectorScale), nameof(TokenVectorScale), Messages.RulePositiveNumber, TokenVectorScale);
        Require(L2 >= 0 && double.IsFinite(L2), nameof(L2), Format(Messages.RuleRange, 0, "∞"), L2);
        Require(GoldWeight > 0 && double.IsFinite(GoldWeight), nameof(GoldWeight), Messages.RulePositiveNumber, GoldWeight);
        Require(WordOrderFilters is >= 0 and <= MaxWordOrderFilters, nameof(WordOrderFilters), Format(Messages.RuleRange, 0, MaxWordOrderFilters), WordOrderFilters);
        Require(WordOrderDimension is >= 1 and <= MaxWordOrderDimension, nameof(WordOrderDimension), Format(Messages.RuleRange, 1, MaxWordOrderDimension), WordOrderDimension);
        Require(WordOrderLearningRate > 0 && double.IsFinite(WordOrderLearningRate), nameof(WordOrderLearningRate), Messages.RulePositiveNumber, WordOrderLearningRate);
        Require(Threads >= 0, nameof(Threads), Format(Messages.RuleRange, 0, int.MaxValue), Threads);
    }
}
