using System.Diagnostics;
using TorchSharp;
using Uptrain.Diagnostics;
using Uptrain.Metrics;
using Uptrain.Models;
using Uptrain.Text;
using Uptrain.Training;
using static TorchSharp.torch;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Teacher;

/// <summary>
/// Fine-tunes a BERT-family encoder with a classification head on labelled examples and writes the
/// result as a teacher model folder: <c>model.onnx</c> (scores through ONNX Runtime), <c>vocab.txt</c>,
/// <c>tokenizer_config.json</c> and the <see cref="ModelCard"/>.
/// </summary>
/// <remarks>
/// The loop follows BERT's fine-tuning recipe: AdamW with decoupled weight decay on weight matrices only,
/// linear warm-up then linear decay of the learning rate per step, gradient clipping, dropout. Batches are
/// length-bucketed (texts of similar length together, the batch order shuffled every epoch) and padded only to
/// their longest text, which on short texts cuts most of the work. After every epoch the model is scored on the
/// eval data (the training data when there is none) with <see cref="TextcatScorer"/>; <see cref="EpochSelector"/> decides
/// whose weights are kept in memory and restored at the end (the latest epoch within the eval score's noise of the best)
/// and when training stops early (after <see cref="TrainingOptions.Patience"/> epochs without a better score, never
/// in the first half of the run). The head's bias starts at the labels' frequencies and the head trains at its own
/// learning rate (<see cref="TeacherTrainingOptions.HeadLearningRate"/>). Every random source is seeded, so a run on the
/// CPU is repeatable.
/// The data checks and the plan come from <see cref="TrainingPlanner"/>, the loop is <see cref="TeacherTrainingLoop"/>,
/// and the folder is written by <see cref="ModelFolderWriter"/>.
/// </remarks>
public static class TeacherTrainer
{
    /// <summary>Texts per forward pass when evaluating (no gradients, so larger than a training batch).</summary>
    public const int EvalBatchSize = 64;

    /// <summary>The progress activity id of the run (parent, one step per epoch).</summary>
    public const int RunActivityId = 1;

    /// <summary>The progress activity id of the current epoch's steps (child of <see cref="RunActivityId"/>).</summary>
    public const int EpochActivityId = 2;

    /// <summary>
    /// Trains a teacher and writes it to <see cref="TeacherTrainingOptions.OutputPath"/>. Everything the data or the
    /// options get wrong is reported before any training starts.
    /// </summary>
    /// <param name="train">The training examples; their <see cref="TextcatExample.Cats"/> give the labels, in order of first appearance.</param>
    /// <param name="eval">Held-out examples to score every epoch; null to score the training data instead.</param>
    /// <param name="options">Settings; see <see cref="TeacherTrainingOptions"/>.</param>
    /// <param name="output">
    /// Receives verbose lines (one per epoch and a few more) and progress (epoch as <see cref="RunActivityId"/>, steps as
    /// <see cref="EpochActivityId"/>). It is called on the thread that runs <c>Train</c>: a PowerShell host that runs
    /// training on a worker thread must queue these calls to the pipeline thread.
    /// </param>
    /// <param name="cancellationToken">Checked before every batch: when cancelled, training stops there and the best
    /// weights so far (the current ones when no epoch has finished) are written; <see cref="TrainingResult.Stopped"/> is set.
    /// Cancelled before the first batch, nothing is written and <see cref="OperationCanceledException"/> is thrown.</param>
    /// <exception cref="UptrainException">
    /// Before training: <c>NoExamples</c>, <c>NoLabels</c>, <c>EmptyText</c>, <c>SingleLabel</c>, <c>UnknownEvalLabel</c>,
    /// <c>UnknownPositiveLabel</c>, <c>InvalidTrainingOption</c>, <c>OutputExists</c>, <c>BaseModelNotFound</c>,
    /// <c>CudaUnavailable</c>, <c>InvalidBaseModel</c>.
    /// </exception>
    public static TrainingResult Train(
        IReadOnlyList<TextcatExample> train,
        IReadOnlyList<TextcatExample>? eval,
        TeacherTrainingOptions options,
        IOutputWriter output,
        CancellationToken cancellationToken = default) =>
        Train(train, eval, options, output, cancellationToken, beforeExport: null);

    /// <summary>As the public overload; <paramref name="beforeExport"/> sees the final model (tests compare it with the export).</summary>
    internal static TrainingResult Train(
        IReadOnlyList<TextcatExample> train,
        IReadOnlyList<TextcatExample>? eval,
        TeacherTrainingOptions options,
        IOutputWriter output,
        CancellationToken cancellationToken,
        Action<BertClassifier, WordPieceTokenizer, int>? beforeExport)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var plan = Plan(train, eval, options, output);
        var clock = Stopwatch.StartNew();

        // Every random source is seeded before anything draws from it: TorchSharp's generator here (the head's initial
        // weights, dropout), the batch shuffling in the loop.
        torch.manual_seed(options.Seed);
        var tokenizer = TeacherModels.LoadTokenizer(plan.BaseFolder);
        var encoder = TeacherModels.LoadEncoder(plan.BaseFolder);
        var maxLength = Math.Min(options.MaxLength, encoder.Config.MaxPositionEmbeddings);
        if (maxLength < options.MaxLength)
        {
            output.WriteVerbose(Format(Messages.MaxLengthCapped, options.MaxLength, maxLength));
        }

        using var model = new BertClassifier(encoder, plan.Data.Labels.Count, options.Pooling, options.Dropout);
        if (options.FreezeWordEmbeddings)
        {
            encoder.FreezeWordEmbeddings();
        }

        model.to(plan.Device);
        var lowerPrecision = MixedPrecision.Resolve(options.Precision, plan.Device);
        model.ConfigureTraining(lowerPrecision, options.Seed, options.LibTorchDropout);
        if (lowerPrecision is not null)
        {
            output.WriteVerbose(Format(Messages.TrainingPrecision, MixedPrecision.Name(lowerPrecision)));
        }

        var inputs = new TeacherInputs(
            plan.Data.Train.Select(e => tokenizer.Encode(e.Text, maxLength)).ToArray(),
            plan.Data.Eval.Select(e => tokenizer.Encode(e.Text, maxLength)).ToArray(),
            new TeacherTargets(plan.Data.Train, plan.Data.Labels),
            tokenizer.PadId,
            options.FixedPadding ? maxLength : null);

        // The head starts at the labels' frequencies, not at even odds (see TeacherTargets.PriorLogits).
        model.SetHeadBias(inputs.Targets.PriorLogits(plan.Data.Exclusive));
        using var loop = new TeacherTrainingLoop(model, plan, options, inputs, output);
        WriteStart(plan, options, loop.StepsPerEpoch, output);
        var (outcome, temperature) = TeacherCalibration.Apply(loop, model, plan, options, loop.Run(cancellationToken), output);

        model.eval();
        model.to(CPU);
        beforeExport?.Invoke(model, tokenizer, maxLength);
        var vectors = options.TokenVectors ? DistillVectors(model, plan, tokenizer, output, cancellationToken) : null;

        var card = TeacherCard.Make(plan, options, maxLength, tokenizer.LowerCase, outcome, temperature, MixedPrecision.Name(lowerPrecision));
        ModelFolderWriter.Write(plan.Data.OutputFolder, options.Force, card, folder =>
        {
            WriteFiles(model, plan, card, folder);
            vectors?.Write(Path.Combine(folder, TokenVectors.FileName));
            if (options.Quantize)
            {
                TeacherQuantization.Apply(folder, card, plan.Data.Eval, plan.Data.EvalIsTrain, options.PositiveLabel, output);
            }
        });
        output.WriteVerbose(Format(Messages.TrainingSaved, outcome.KeptEpoch, outcome.KeptScore.ScoreDescription, outcome.KeptScore.Score, plan.Data.OutputFolder));
        return outcome.ToResult(plan.Data.OutputFolder, clock.Elapsed, card);
    }

    /// <summary>The options checked, the data planned, the base model found and the device chosen: all before any training.</summary>
    private static TeacherPlan Plan(IReadOnlyList<TextcatExample> train, IReadOnlyList<TextcatExample>? eval, TeacherTrainingOptions options, IOutputWriter output)
    {
        options.Check();
        var data = TrainingPlanner.Plan(train, eval, new TrainingRequest(options.OutputPath, options.Force, options.Exclusive, options.PositiveLabel), output);
        var baseFolder = TeacherModels.Resolve(options.BaseModel);
        var device = ChooseDevice(options.Device);
        return new TeacherPlan(data, baseFolder, TeacherModels.IsBundled(options.BaseModel) ? TeacherModels.BundledName : baseFolder, device, options.EpochsFor(data.Train.Count));
    }

    private static void WriteStart(TeacherPlan plan, TeacherTrainingOptions options, int stepsPerEpoch, IOutputWriter output)
    {
        var data = plan.Data;
        output.WriteVerbose(Format(
            Messages.TrainingStart,
            data.Exclusive ? Messages.TaskExclusive : Messages.TaskMultilabel,
            data.Train.Count,
            data.Labels.Count,
            string.Join(", ", data.Labels),
            plan.BaseName,
            plan.Device.type == DeviceType.CUDA ? Messages.DeviceNameCuda : Messages.DeviceNameCpu,
            plan.Epochs,
            stepsPerEpoch,
            data.Eval.Count,
            data.EvalIsTrain ? Messages.DataTraining : Messages.DataEval));
    }

    /// <summary>
    /// The fine-tuned encoder's token vectors for the teacher folder; null (and a warning) when the user stops it, so that a
    /// stop after training never loses the trained teacher.
    /// </summary>
    private static TokenVectors? DistillVectors(BertClassifier model, TeacherPlan plan, WordPieceTokenizer tokenizer, IOutputWriter output, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var vocabulary = TokenVectorDistiller.ReadVocabulary(Path.Combine(plan.BaseFolder, ModelFolder.VocabFileName));
            var source = Path.GetFileName(Path.TrimEndingDirectorySeparator(plan.Data.OutputFolder));
            return TokenVectorDistiller.Distill(model.Encoder, vocabulary, tokenizer.LowerCase, tokenizer.ClsId, tokenizer.SepId, TokenVectorDistiller.DefaultDimension, source, output, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            output.WriteWarning(Messages.TokenVectorsSkipped);
            return null;
        }
    }

    /// <summary>The weights as ONNX, the base model's vocabulary and tokenizer settings, into <paramref name="folder"/>.</summary>
    private static void WriteFiles(BertClassifier model, TeacherPlan plan, ModelCard card, string folder)
    {
        TeacherOnnxExport.Save(model, plan.Data.Exclusive, Path.Combine(folder, ModelFolder.OnnxFileName));
        File.Copy(Path.Combine(plan.BaseFolder, ModelFolder.VocabFileName), Path.Combine(folder, ModelFolder.VocabFileName));
        var tokenizerConfig = Path.Combine(plan.BaseFolder, ModelFolder.TokenizerConfigFileName);
        if (File.Exists(tokenizerConfig))
        {
            File.Copy(tokenizerConfig, Path.Combine(folder, ModelFolder.TokenizerConfigFileName));
        }
        else
        {
            File.WriteAllText(Path.Combine(folder, ModelFolder.TokenizerConfigFileName), card.Tokenizer.LowerCase ? "{\"do_lower_case\": true}\n" : "{\"do_lower_case\": false}\n");
        }
    }

    private static Device ChooseDevice(ComputeDevice requested)
    {
        switch (requested)
        {
            case ComputeDevice.Cpu:
                return CPU;
            case ComputeDevice.Cuda:
                if (!cuda.is_available())
                {
                    throw new UptrainException("CudaUnavailable", ErrorKind.ResourceUnavailable, Messages.CudaUnavailable, requested);
                }

                return CUDA;
            default:
                return cuda.is_available() ? CUDA : CPU;
        }
    }
}
