using Uptrain.Training;

namespace Uptrain.Teacher;

/// <summary>
/// How <see cref="TeacherTrainer"/> fine-tunes a teacher. The defaults are the usual BERT fine-tuning
/// recipe (Devlin et al. 2019, appendix A.3; Hugging Face <c>Trainer</c>) sized for a small labelled set;
/// each says where it comes from.
/// </summary>
public sealed record TeacherTrainingOptions : TrainingOptions
{
    /// <summary>Options with every default.</summary>
    public TeacherTrainingOptions()
    {
        LearningRate = DefaultLearningRate;
        Patience = DefaultPatience;
    }

    /// <summary>
    /// The fewest epochs a run gets when <see cref="Epochs"/> is not given: BERT's paper recommends 2 to 4 epochs of a large
    /// set; 4 is the upper end, kept for sets large enough to reach <see cref="DefaultMinimumSteps"/> in 4 epochs.
    /// </summary>
    public const int DefaultEpochs = 4;

    /// <summary>
    /// The optimiser steps a run gets at least when <see cref="Epochs"/> is not given: as many epochs as it takes, up to
    /// <see cref="MaximumDefaultEpochs"/>. What counts for fine-tuning is steps, not passes: 250 steps give a set of 500
    /// texts 8 epochs; a set of 1,000 texts or more keeps 4 (measured: bench/results/2026-12-03-defaults-measured.md).
    /// </summary>
    public const int DefaultMinimumSteps = 250;

    /// <summary>The most epochs <see cref="DefaultMinimumSteps"/> can ask for (200 texts: 13 steps an epoch, 20 epochs).</summary>
    public const int MaximumDefaultEpochs = 20;

    /// <summary>Default <see cref="BatchSize"/>: BERT's paper recommends 16 or 32; 16 gives a small set more steps.</summary>
    public const int DefaultBatchSize = 16;

    /// <summary>Default <see cref="TrainingOptions.LearningRate"/>: BERT's paper recommends 5e-5, 3e-5 or 2e-5 (Hugging Face's default is 5e-5).</summary>
    public const double DefaultLearningRate = 5e-5;

    /// <summary>
    /// The least peak learning rate of the new classification head (<see cref="HeadLearningRate"/>): Adam's own default, 1e-3,
    /// what a linear classifier on frozen sentence embeddings is trained with. At the encoder's 5e-5 the fresh head hardly
    /// leaves its random start in a small set's steps (measured: bench/results/2026-12-03-defaults-measured.md).
    /// </summary>
    public const double DefaultHeadLearningRate = 1e-3;

    /// <summary>Default <see cref="WarmupFraction"/>: BERT pre-training and the GLUE recipes warm up over the first 10 % of steps.</summary>
    public const double DefaultWarmupFraction = 0.1;

    /// <summary>Default <see cref="WeightDecay"/>: BERT's 0.01, not applied to biases and LayerNorm (as Hugging Face's examples do).</summary>
    public const double DefaultWeightDecay = 0.01;

    /// <summary>Default <see cref="TrainingOptions.Patience"/>: two epochs without a better eval score stop the run.</summary>
    public const int DefaultPatience = 2;

    /// <summary>Default <see cref="Dropout"/> before the head: BERT's hidden dropout, 0.1.</summary>
    public const double DefaultDropout = 0.1;

    /// <summary>Default <see cref="GradientClip"/>: Hugging Face Trainer's <c>max_grad_norm</c>, 1.0.</summary>
    public const double DefaultGradientClip = 1.0;

    /// <summary>
    /// Adam's second-moment decay, 0.999 (Kingma and Ba; PyTorch's and BERT's value). TorchSharp's
    /// <c>torch.optim.AdamW</c> factory defaults to 0.99, so the trainer always passes this explicitly.
    /// </summary>
    public const double AdamBeta2 = 0.999;

    /// <summary>Adam's first-moment decay, 0.9 (everyone's default).</summary>
    public const double AdamBeta1 = 0.9;

    /// <summary>Adam's epsilon, 1e-8 (PyTorch's and Hugging Face's default; BERT's original used 1e-6).</summary>
    public const double AdamEpsilon = 1e-8;

    /// <summary>
    /// Passes over the training data (at most: <see cref="TrainingOptions.Patience"/> may stop earlier). Null: enough epochs for
    /// <see cref="DefaultMinimumSteps"/> optimiser steps, between <see cref="DefaultEpochs"/> and <see cref="MaximumDefaultEpochs"/>
    /// (see <see cref="EpochsFor"/>).
    /// </summary>
    public int? Epochs { get; init; }

    /// <summary>Texts per training step.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>
    /// Peak learning rate of the classification head (a fresh layer, unlike the pretrained encoder); it follows the same
    /// warm-up and decay. Null: the larger of <see cref="TrainingOptions.LearningRate"/> and <see cref="DefaultHeadLearningRate"/>.
    /// </summary>
    public double? HeadLearningRate { get; init; }

    /// <summary>The epochs of a run on <paramref name="trainExamples"/> texts: <see cref="Epochs"/>, or the default for that many.</summary>
    public int EpochsFor(int trainExamples)
    {
        if (Epochs is { } epochs)
        {
            return epochs;
        }

        var stepsPerEpoch = Math.Max(1, (trainExamples + BatchSize - 1) / Math.Max(1, BatchSize));
        return Math.Clamp((DefaultMinimumSteps + stepsPerEpoch - 1) / stepsPerEpoch, DefaultEpochs, MaximumDefaultEpochs);
    }

    /// <summary>The head's peak learning rate in effect: <see cref="HeadLearningRate"/> or its default.</summary>
    public double EffectiveHeadLearningRate => HeadLearningRate ?? Math.Max(LearningRate, DefaultHeadLearningRate);

    /// <summary>
    /// The fraction of all steps over which the learning rate rises linearly from near 0 to
    /// <see cref="TrainingOptions.LearningRate"/>; it then falls linearly to 0 at the last step (Hugging Face's
    /// <c>get_linear_schedule_with_warmup</c>).
    /// </summary>
    public double WarmupFraction { get; init; } = DefaultWarmupFraction;

    /// <summary>AdamW's decoupled weight decay, on weight matrices only (not biases, not LayerNorm).</summary>
    public double WeightDecay { get; init; } = DefaultWeightDecay;

    /// <summary>
    /// Texts are cut to this many word pieces, [CLS] and [SEP] included (<see cref="Text.WordPieceTokenizer.DefaultMaxLength"/>,
    /// 128, covers a paragraph; BERT itself allows 512). Capped at the base model's position embeddings.
    /// </summary>
    public int MaxLength { get; init; } = Text.WordPieceTokenizer.DefaultMaxLength;

    /// <summary>Where to train; <see cref="ComputeDevice.Auto"/> takes CUDA when TorchSharp can use it.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;

    /// <summary>How token states are pooled; mean pooling is what all-MiniLM-L6-v2 was trained with.</summary>
    public PoolingMode Pooling { get; init; } = PoolingMode.Mean;

    /// <summary>Dropout before the classification head (BERT's 0.1).</summary>
    public double Dropout { get; init; } = DefaultDropout;

    /// <summary>
    /// Leaves the word embedding table, the largest single weight, out of training: the eval score stays within seed
    /// noise and a CPU step takes about half the time (measured: bench/results/2026-12-03-defaults-measured.md).
    /// </summary>
    public bool FreezeWordEmbeddings { get; init; } = true;

    /// <summary>The gradients' global L2 norm is clipped to this before each step; 0 or less: no clipping.</summary>
    public double GradientClip { get; init; } = DefaultGradientClip;

    /// <summary>
    /// The base model folder (vocab.txt and model.safetensors or model.onnx); null or "MiniLM-L6" for the bundled
    /// model (see <see cref="TeacherModels.Resolve"/>).
    /// </summary>
    public string? BaseModel { get; init; }

    /// <summary>The model folder to write.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Replace <see cref="OutputPath"/> when it exists.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// How the scores are calibrated once training ends. <see cref="CalibrationMode.Temperature"/> (the default) fits one
    /// temperature on the eval data and folds it into the head, so that a score of 0.9 is right about 9 times in 10 (the
    /// uncalibrated teacher is over-confident after enough steps; measured: bench/results/2026-12-03-defaults-measured.md). Skipped when the eval data is the training data or has fewer than
    /// <see cref="TemperatureScaling.MinExamples"/> texts. The top label and every ROC AUC stay the same.
    /// </summary>
    public CalibrationMode Calibration { get; init; } = CalibrationMode.Temperature;

    /// <summary>
    /// Pads every batch to <see cref="MaxLength"/> instead of to its longest text. Slower; only for the benchmark that
    /// measures what dynamic padding buys.
    /// </summary>
    public bool FixedPadding { get; init; }

    /// <summary>
    /// The number format of the encoder's matrix products in training (see <see cref="MixedPrecision"/>). <see cref="TrainingPrecision.Auto"/>
    /// takes bfloat16 on a CPU with bfloat16 instructions, faster at the same eval score (measured: bench/results/2026-12-03-defaults-measured.md). Weights, optimizer
    /// state, layer norms, softmax and the loss stay float32, and so do eval, calibration and the exported graph.
    /// </summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Auto;

    /// <summary>
    /// Steps with <see cref="FusedAdamW"/> (one pass over each weight) where the weights are float32 on the CPU, with
    /// TorchSharp's AdamW elsewhere. False: TorchSharp's AdamW everywhere; only for the benchmark that measures the difference.
    /// </summary>
    public bool FusedOptimizer { get; init; } = true;

    /// <summary>
    /// Draws dropout masks from libtorch's generator instead of <see cref="TrainingDropout"/>'s hash; only for the benchmark
    /// that measures the difference.
    /// </summary>
    public bool LibTorchDropout { get; init; }

    /// <summary>
    /// Also writes an 8-bit graph for CPU scoring (<see cref="TeacherQuantization"/>), kept only where its eval score is
    /// within <see cref="TeacherQuantization.MaxScoreChange"/> of the fp32 graph's.
    /// </summary>
    public bool Quantize { get; init; }

    /// <summary>
    /// Also writes the fine-tuned encoder's static token vectors (<see cref="TokenVectorDistiller"/>) into the folder, for
    /// the students this teacher labels data for (on by default; a student of a teacher without them distils them itself,
    /// which needs the training runtime and takes about a minute on 2 cores).
    /// </summary>
    public bool TokenVectors { get; init; } = true;

    /// <inheritdoc />
    public override void Check()
    {
        base.Check();
        Require(Epochs is null or >= 1, nameof(Epochs), Messages.RuleOneOrMore, Epochs ?? 0);
        Require(BatchSize >= 1, nameof(BatchSize), Messages.RuleOneOrMore, BatchSize);
        Require(HeadLearningRate is null || (HeadLearningRate > 0 && double.IsFinite(HeadLearningRate.Value)), nameof(HeadLearningRate), Messages.RulePositiveNumber, HeadLearningRate ?? 0);
        Require(WarmupFraction is >= 0 and < 1, nameof(WarmupFraction), Messages.RuleFraction, WarmupFraction);
        Require(WeightDecay is >= 0 and < 1, nameof(WeightDecay), Messages.RuleFraction, WeightDecay);
        Require(MaxLength >= 2, nameof(MaxLength), Messages.RuleMaxLength, MaxLength);
        Require(Dropout is >= 0 and < 1, nameof(Dropout), Messages.RuleFraction, Dropout);
        Require(!double.IsNaN(GradientClip), nameof(GradientClip), Messages.RuleNumber, GradientClip);
        Require(!string.IsNullOrWhiteSpace(OutputPath), nameof(OutputPath), Messages.RuleFolderPath, OutputPath ?? "null");
    }
}
