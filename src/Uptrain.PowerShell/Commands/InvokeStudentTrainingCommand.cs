using System.Globalization;
using System.Management.Automation;
using Uptrain.Hosting;
using Uptrain.Student;
using Uptrain.Uptraining;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Trains the student, a small and fast classifier of hashed n-grams and the teacher's token vectors, on gold examples and the teacher's scores, and writes it as a model folder.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "StudentTraining", SupportsShouldProcess = true)]
[OutputType(typeof(TrainingResult))]
public sealed class InvokeStudentTrainingCommand : TrainingCmdlet
{
    private readonly List<StudentExample> _train = [];
    private readonly List<string?> _models = [];

    /// <summary>Passes over the training data (default 10).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int Epochs { get; set; } = StudentTrainingOptions.DefaultEpochs;

    /// <summary>SGD learning rate at the start (default 0.3, or 0.1 with -Hidden); it decays linearly to 0.</summary>
    [Parameter]
    [ValidateRange(1e-6, 100.0)]
    public double LearningRate { get; set; } = StudentTrainingOptions.DefaultLearningRate;

    /// <summary>Width of the embedding rows (default 64).</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int Dimension { get; set; } = StudentTrainingOptions.DefaultDimension;

    /// <summary>Hash buckets of the n-gram table (default 2^20).</summary>
    [Parameter]
    [ValidateRange(1, StudentTrainingOptions.MaxBuckets)]
    public int Buckets { get; set; } = StudentTrainingOptions.DefaultBuckets;

    /// <summary>Longest word n-gram (default 2: words and word pairs).</summary>
    [Parameter]
    [ValidateRange(1, 5)]
    public int WordNgrams { get; set; } = StudentTrainingOptions.DefaultWordNgrams;

    /// <summary>Character 3- to 5-grams inside words (on by default; -CharNgrams:$false turns them off).</summary>
    [Parameter]
    public SwitchParameter CharNgrams { get; set; } = true;

    /// <summary>Features seen fewer times in the training texts are left out (default 1: all kept).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MinCount { get; set; } = StudentTrainingOptions.DefaultMinCount;

    /// <summary>Width of a tanh hidden layer (default 0: none).</summary>
    [Parameter]
    [ValidateRange(0, 4096)]
    public int Hidden { get; set; }

    /// <summary>
    /// Softens (above 1) or sharpens (below 1) the teacher's scores before they become targets. Several values: each is tried
    /// on -EvalData and the best kept (default 1 and 0.1).
    /// </summary>
    [Parameter]
    [ValidateCount(1, 16)]
    [ValidateRange(0.01, 100.0)]
    public double[] Temperature { get; set; } = [.. StudentTrainingOptions.DefaultTemperatures];

    /// <summary>Weight of a gold example against a silver one (default 1).</summary>
    [Parameter]
    [ValidateRange(0.001, 1000.0)]
    public double GoldWeight { get; set; } = 1.0;

    /// <summary>Epochs without a better eval Score before training stops (default 3).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int Patience { get; set; } = StudentTrainingOptions.DefaultPatience;

    /// <summary>Training threads, 0 for one per processor (default: 1 with -Seed, so that a seeded run repeats; else 0).</summary>
    [Parameter]
    [ValidateRange(0, 1024)]
    public int Threads { get; set; }

    /// <summary>Stores the embedding rows as 8-bit integers with a scale per row (on by default; -Quantize:$false keeps 32-bit floats).</summary>
    [Parameter]
    public SwitchParameter Quantize { get; set; } = true;

    /// <summary>
    /// The teacher whose token vectors the student adds to its n-grams: a teacher folder, a BERT-family base model folder,
    /// or MiniLM-L6 for the bundled model. Default: the model that made the piped predictions.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Teacher { get; set; }

    /// <summary>Add the teacher's static token vectors to the n-gram features (on by default; -TokenVectors:$false for n-grams only).</summary>
    [Parameter]
    public SwitchParameter TokenVectors { get; set; } = true;

    /// <summary>
    /// Add a word-order part to a student with token vectors: narrow convolutions over the token vectors of a text's word
    /// pieces in order, trained after the n-gram part and averaged with it (on by default; -WordOrder:$false for none).
    /// </summary>
    [Parameter]
    public SwitchParameter WordOrder { get; set; } = true;

    /// <summary>Filters of each window width (2, 3 and 4 word pieces) in the word-order part (default 50).</summary>
    [Parameter]
    [ValidateRange(1, StudentTrainingOptions.MaxWordOrderFilters)]
    public int Filters { get; set; } = StudentTrainingOptions.DefaultWordOrderFilters;

    /// <summary>L2 weight decay per step for runs of up to 2,500 examples, less in proportion above (default 0.001; 0 for none).</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double L2 { get; set; } = StudentTrainingOptions.DefaultL2;

    /// <summary>Smooth-inverse-frequency coefficient of the word pieces' weights in the token vector feature (default 0.001).</summary>
    [Parameter]
    [ValidateRange(1e-9, 1e3)]
    public double SifCoefficient { get; set; } = StudentTrainingOptions.DefaultSifCoefficient;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var (input, example) in Converted(TrainingData, PipelineInput.ToStudentExample))
        {
            _train.Add(example);
            _models.Add(input.BaseObject switch
            {
                TextcatPrediction prediction => prediction.Model.Path,
                UptrainDecision decision => decision.Model.Path,
                _ => null,
            });
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var output = ResolveOutputPath(OutputPath);
        var eval = EvalExamples()?.Select(e => new StudentExample(e.Text, e.Cats)).ToList();
        var options = new StudentTrainingOptions
        {
            Epochs = Epochs,
            LearningRate = BoundOrNull(LearningRate, nameof(LearningRate))
                ?? (Hidden > 0 ? StudentTrainingOptions.DefaultHiddenLearningRate : StudentTrainingOptions.DefaultLearningRate),
            Dimension = Dimension,
            Buckets = Buckets,
            WordNgrams = WordNgrams,
            CharNgrams = CharNgrams.IsPresent,
            MinCount = MinCount,
            Hidden = Hidden,
            Temperatures = Temperature,
            GoldWeight = GoldWeight,
            Patience = Patience,
            Seed = Seed,
            // A seeded run repeats: one thread unless -Threads says otherwise (Hogwild threads race on shared rows).
            Threads = BoundOrNull(Threads, nameof(Threads)) ?? (MyInvocation.BoundParameters.ContainsKey(nameof(Seed)) ? 1 : 0),
            Exclusive = ExclusiveOption,
            Quantize = Quantize.IsPresent,
            SifCoefficient = SifCoefficient,
            L2 = L2,
            WordOrderFilters = WordOrder.IsPresent ? Filters : 0,
        };
        var teacher = Teacher is null || Uptrain.Teacher.TeacherModels.IsBundled(Teacher) ? Teacher : ResolveOutputPath(Teacher);
        var silver = _train.Count(e => e.IsSilver);
        var action = string.Format(CultureInfo.CurrentCulture, Messages.StudentTrainAction, _train.Count, _train.Count - silver, silver);
        var target = new StudentOutput(output, Force.IsPresent);
        Train(output, action, writer =>
        {
            // The folder is checked before any distilling, as StudentRun checks it before training.
            Uptrain.Models.ModelFolderWriter.CheckTarget(output, Force.IsPresent);
            var vectors = TokenVectors.IsPresent ? StudentTeacherVectors.Resolve(teacher, _models, writer, CancelToken) : null;
            return StudentRun.Train(_train, eval, options, target, writer, CancelToken, vectors);
        });
    }
}
