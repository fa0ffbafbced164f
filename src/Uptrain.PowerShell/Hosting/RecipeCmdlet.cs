using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Reflection;
using Uptrain.Student;
using Uptrain.Teacher;
using Uptrain.Training;
using Uptrain.Uptraining;

namespace Uptrain.Hosting;

/// <summary>
/// What Find-TextcatLabelIssue and Measure-TrainingCurve share: they train many models of one kind on parts of the gold,
/// so they take the kind, its most used settings, any other setting by name (-TrainingParameter), and the seed.
/// </summary>
public abstract class RecipeCmdlet : UptrainCmdlet
{
    /// <summary>The kind of model to train: Teacher (default) or Student.</summary>
    [Parameter]
    public ModelKind Kind { get; set; } = ModelKind.Teacher;

    /// <summary>Passes over the training data of every model (default: the kind's own default).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int Epochs { get; set; }

    /// <summary>The learning rate of every model (default: the kind's own default).</summary>
    [Parameter]
    [ValidateRange(1e-8, 100.0)]
    public double LearningRate { get; set; }

    /// <summary>A teacher's pretrained model: MiniLM-L6 (bundled, default) or a Hugging Face BERT folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BaseModelCompleter))]
    public string BaseModel { get; set; } = TeacherModels.BundledName;

    /// <summary>A teacher's word pieces per text (default 128).</summary>
    [Parameter]
    [ValidateRange(8, 512)]
    public int MaxLength { get; set; } = Text.WordPieceTokenizer.DefaultMaxLength;

    /// <summary>Where a teacher trains: Auto, Cpu or Cuda.</summary>
    [Parameter]
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    /// <summary>A student's token vectors: a teacher folder or a base model folder (default: none, an n-gram student).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Teacher { get; set; }

    /// <summary>Any other training setting by name, as Invoke-TeacherTraining or Invoke-StudentTraining names it: @{ WarmupFraction = 0.2 }.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? TrainingParameter { get; set; }

    /// <summary>Seed of the splits and of every model.</summary>
    [Parameter]
    public int Seed { get; set; }

    /// <summary>The labels are mutually exclusive; -Exclusive:$false forces multilabel. By default inferred from the gold.</summary>
    [Parameter]
    public SwitchParameter Exclusive { get; set; }

    /// <summary>The recipe of the models: the kind's options from the parameters, checked; stops the command on a bad setting.</summary>
    protected ModelRecipe CreateRecipe()
    {
        var exclusive = BoundOrNull(Exclusive.IsPresent, nameof(Exclusive));
        ModelRecipe? recipe = null;
        RunEngine(() =>
        {
            if (Kind == ModelKind.Teacher)
            {
                var baseModel = TeacherModels.IsBundled(BaseModel) ? TeacherModels.BundledName : ResolveOutputPath(BaseModel);
                TeacherModels.Resolve(baseModel);
                var options = Apply(new TeacherTrainingOptions
                {
                    // Each run gets its own folder (TeacherRecipe); this one only passes the options' check.
                    OutputPath = Path.GetTempPath(),
                    BaseModel = baseModel,
                    Epochs = BoundOrNull(Epochs, nameof(Epochs)),
                    LearningRate = BoundOrNull(LearningRate, nameof(LearningRate)) ?? TeacherTrainingOptions.DefaultLearningRate,
                    MaxLength = MaxLength,
                    Device = Device,
                    Exclusive = exclusive,
                    // The models score their fold and are deleted: no token vectors to keep.
                    TokenVectors = false,
                });
                recipe = new TeacherRecipe(options);
            }
            else
            {
                var options = Apply(new StudentTrainingOptions
                {
                    Epochs = BoundOrNull(Epochs, nameof(Epochs)) ?? StudentTrainingOptions.DefaultEpochs,
                    LearningRate = BoundOrNull(LearningRate, nameof(LearningRate)) ?? StudentTrainingOptions.DefaultLearningRate,
                    Exclusive = exclusive,
                    // One thread: a seeded student repeats.
                    Threads = 1,
                });
                var teacher = Teacher is null || TeacherModels.IsBundled(Teacher) ? Teacher : ResolveOutputPath(Teacher);
                var vectors = teacher is null ? null : StudentTeacherVectors.Resolve(teacher, [], Output, CancelToken);
                recipe = new StudentRecipe(options, vectors);
            }
        });
        return recipe!;
    }

    // A list setting (IReadOnlyList<T>) takes an array of T, which PowerShell converts one value or several to; the interface
    // itself it does not convert to.
    private static Type SettableType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0].MakeArrayType() : type;

    // -TrainingParameter onto the options: each key an option's name (any case), its value converted to the option's type.
    private T Apply<T>(T options)
        where T : TrainingOptions
    {
        foreach (DictionaryEntry entry in TrainingParameter ?? [])
        {
            var name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
            var property = typeof(T).GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite || name.Equals("OutputPath", StringComparison.OrdinalIgnoreCase))
            {
                var names = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.CanWrite && p.Name != "OutputPath").Select(p => p.Name).Order(StringComparer.Ordinal);
                ThrowTerminating("InvalidTrainingParameter", ErrorCategory.InvalidArgument, name, Messages.InvalidTrainingParameter, name, Kind, string.Join(", ", names));
            }
            try
            {
                property!.SetValue(options, LanguagePrimitives.ConvertTo(entry.Value, SettableType(property.PropertyType), CultureInfo.InvariantCulture));
            }
            catch (PSInvalidCastException ex)
            {
                ThrowTerminatingError(new System.Management.Automation.ErrorRecord(ex, "InvalidTrainingParameter", ErrorCategory.InvalidArgument, entry.Value));
            }
        }
        options.Check();
        return options;
    }
}
