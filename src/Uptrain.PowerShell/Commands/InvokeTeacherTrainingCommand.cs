using System.Globalization;
using System.Management.Automation;
using Uptrain.Hosting;
using Uptrain.Teacher;
using Uptrain.Training;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Fine-tunes a pretrained transformer (the teacher) on labelled examples and writes it as an ONNX model folder.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "TeacherTraining", SupportsShouldProcess = true)]
[OutputType(typeof(TrainingResult))]
public sealed class InvokeTeacherTrainingCommand : TrainingCmdlet
{
    private readonly List<TextcatExample> _train = [];

    /// <summary>The pretrained model: MiniLM-L6 (bundled, default) or a Hugging Face BERT folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Hosting.BaseModelCompleter))]
    public string BaseModel { get; set; } = TeacherModels.BundledName;

    /// <summary>Passes over the training data (default: enough for 250 optimiser steps, 4 to 20 epochs).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int Epochs { get; set; }

    /// <summary>Examples per optimisation step (default 16).</summary>
    [Parameter]
    [ValidateRange(1, 4096)]
    public int BatchSize { get; set; } = TeacherTrainingOptions.DefaultBatchSize;

    /// <summary>Peak learning rate of AdamW (default 5e-5).</summary>
    [Parameter]
    [ValidateRange(1e-8, 1.0)]
    public double LearningRate { get; set; } = TeacherTrainingOptions.DefaultLearningRate;

    /// <summary>Peak learning rate of the new classification head (default: the larger of -LearningRate and 1e-3).</summary>
    [Parameter]
    [ValidateRange(1e-8, 1.0)]
    public double HeadLearningRate { get; set; }

    /// <summary>Share of the steps spent warming the learning rate up from 0 (default 0.1); it then decays linearly to 0.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double WarmupFraction { get; set; } = TeacherTrainingOptions.DefaultWarmupFraction;

    /// <summary>AdamW weight decay (default 0.01), not applied to biases and LayerNorm weights.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double WeightDecay { get; set; } = TeacherTrainingOptions.DefaultWeightDecay;

    /// <summary>Word pieces per text, [CLS] and [SEP] included (default 128); longer texts are truncated.</summary>
    [Parameter]
    [ValidateRange(8, 512)]
    public int MaxLength { get; set; } = Text.WordPieceTokenizer.DefaultMaxLength;

    /// <summary>Epochs without improvement of the eval Score before training stops (default 2).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int Patience { get; set; } = TeacherTrainingOptions.DefaultPatience;

    /// <summary>How the encoder's token vectors become one text vector: Mean (default) or Cls.</summary>
    [Parameter]
    public PoolingMode Pooling { get; set; } = PoolingMode.Mean;

    /// <summary>Temperature (default): calibrate the scores on the eval data; None: keep them as trained.</summary>
    [Parameter]
    public CalibrationMode Calibration { get; set; } = CalibrationMode.Temperature;

    /// <summary>Where to train: Auto, Cpu or Cuda.</summary>
    [Parameter]
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    /// <summary>The number format of the encoder's matrix products in training: Auto, Float32 or BFloat16.</summary>
    [Parameter]
    public TrainingPrecision Precision { get; set; } = TrainingPrecision.Auto;

    /// <summary>Also write an 8-bit graph for CPU scoring (Invoke-TextcatPrediction -Quantized), kept where the eval score moves by less than 0.005.</summary>
    [Parameter]
    public SwitchParameter Quantize { get; set; }

    /// <summary>
    /// Also write the fine-tuned encoder's static token vectors (token-vectors.bin), which Invoke-StudentTraining adds to
    /// the student's n-grams (on by default; -TokenVectors:$false skips them, and a student then distils its own).
    /// </summary>
    [Parameter]
    public SwitchParameter TokenVectors { get; set; } = true;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        _train.AddRange(ExamplesOf(TrainingData).Select(e => e.Example));
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var output = ResolveOutputPath(OutputPath);
        // A folder resolves against the PowerShell location; the bundled name stays a name, for the card.
        var baseModel = TeacherModels.IsBundled(BaseModel) ? TeacherModels.BundledName : ResolveOutputPath(BaseModel);
        RunEngine(() => TeacherModels.Resolve(baseModel));
        var eval = EvalExamples();
        var options = new TeacherTrainingOptions
        {
            OutputPath = output,
            BaseModel = baseModel,
            Epochs = BoundOrNull(Epochs, nameof(Epochs)),
            BatchSize = BatchSize,
            LearningRate = LearningRate,
            HeadLearningRate = BoundOrNull(HeadLearningRate, nameof(HeadLearningRate)),
            WarmupFraction = WarmupFraction,
            WeightDecay = WeightDecay,
            MaxLength = MaxLength,
            Patience = Patience,
            Seed = Seed,
            Exclusive = ExclusiveOption,
            Pooling = Pooling,
            Calibration = Calibration,
            Device = Device,
            Precision = Precision,
            Quantize = Quantize.IsPresent,
            TokenVectors = TokenVectors.IsPresent,
            Force = Force.IsPresent,
        };
        Train(output, string.Format(CultureInfo.CurrentCulture, Messages.TrainAction, _train.Count, options.BaseModel), writer => TeacherTrainer.Train(_train, eval, options, writer, CancelToken));
    }
}
