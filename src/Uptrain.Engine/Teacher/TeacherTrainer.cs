using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using Uptrain.Diagnostics;
using Uptrain.Metrics;
using Uptrain.Models;
using Uptrain.Text;
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
/// eval data (the training data when there is none) with <see cref="TextcatScorer"/>; the best epoch's weights
/// are kept in memory, restored at the end, and training stops after <see cref="TeacherTrainingOptions.Patience"/>
/// epochs without a better score. Every random source is seeded, so a run on the CPU is repeatable.
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
    /// <param name="cancellationToken">Checked after every batch: when cancelled, training stops there and the best
    /// weights so far (the current ones when no epoch has finished) are written; <see cref="TrainingResult.Stopped"/> is set.</param>
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

        // Every random source is seeded here, before anything draws from it: TorchSharp's generator (the head's
        // initial weights, dropout) and the batch shuffling.
        torch.manual_seed(options.Seed);
        var random = new Random(options.Seed);

        var tokenizer = TeacherModels.LoadTokenizer(plan.BaseFolder);
        var encoder = TeacherModels.LoadEncoder(plan.BaseFolder);
        var maxLength = Math.Min(options.MaxLength, encoder.Config.MaxPositionEmbeddings);
        if (maxLength < options.MaxLength)
        {
            output.WriteVerbose(Format(Messages.MaxLengthCapped, options.MaxLength, maxLength));
        }

        using var model = new BertClassifier(encoder, plan.Labels.Count, options.Pooling, options.Dropout);
        if (options.FreezeWordEmbeddings)
        {
            encoder.FreezeWordEmbeddings();
        }

        model.to(plan.Device);

        // Tokenised once; every epoch only regroups these.
        var trainIds = plan.Train.Select(e => tokenizer.Encode(e.Text, maxLength)).ToArray();
        var evalIds = plan.Eval.Select(e => tokenizer.Encode(e.Text, maxLength)).ToArray();
        var targets = new Targets(plan.Train, plan.Labels);
        var padLength = options.FixedPadding ? maxLength : (int?)null;

        var stepsPerEpoch = (plan.Train.Count + options.BatchSize - 1) / options.BatchSize;
        var totalSteps = stepsPerEpoch * options.Epochs;
        var schedule = new LinearSchedule(options.LearningRate, (int)Math.Ceiling(options.WarmupFraction * totalSteps), totalSteps);
        output.WriteVerbose(Format(
            Messages.TrainingStart,
            plan.Exclusive ? "exclusive" : "multilabel",
            plan.Train.Count,
            plan.Labels.Count,
            string.Join(", ", plan.Labels),
            plan.BaseName,
            plan.Device.type == DeviceType.CUDA ? "CUDA" : "the CPU",
            options.Epochs,
            stepsPerEpoch,
            plan.Eval.Count,
            plan.EvalIsTrain ? "training" : "eval"));

        // Weight decay on weight matrices only, not on biases or LayerNorm (BERT's recipe); frozen parameters
        // are left out of the optimizer altogether.
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        var groups = new[]
        {
            new AdamW.ParamGroup(trainable.Where(p => !IsExemptFromDecay(p.name)).Select(p => p.parameter), options.LearningRate, TeacherTrainingOptions.AdamBeta1, TeacherTrainingOptions.AdamBeta2, TeacherTrainingOptions.AdamEpsilon, options.WeightDecay),
            new AdamW.ParamGroup(trainable.Where(p => IsExemptFromDecay(p.name)).Select(p => p.parameter), options.LearningRate, TeacherTrainingOptions.AdamBeta1, TeacherTrainingOptions.AdamBeta2, TeacherTrainingOptions.AdamEpsilon, 0.0),
        };
        using var optimizer = torch.optim.AdamW(groups, options.LearningRate, TeacherTrainingOptions.AdamBeta1, TeacherTrainingOptions.AdamBeta2, TeacherTrainingOptions.AdamEpsilon, options.WeightDecay);
        var trainableParameters = trainable.Select(p => p.parameter).ToList();

        var history = new List<EpochResult>();
        var best = new Snapshot();
        TextcatScore? bestScore = null;
        var bestEpoch = 0;
        var epochsWithoutImprovement = 0;
        var stopped = false;
        var earlyStopped = false;
        var step = 0;
        var trainingTime = Stopwatch.StartNew();
        try
        {
            for (var epoch = 1; epoch <= options.Epochs && !stopped; epoch++)
            {
                var epochClock = Stopwatch.StartNew();
                output.WriteProgress(new ProgressInfo(
                    RunActivityId,
                    Messages.TrainingActivity,
                    Format(Messages.TrainingEpochStatus, epoch, options.Epochs),
                    Percent(step, totalSteps),
                    SecondsLeft(trainingTime.Elapsed, step, totalSteps)));

                model.train();
                var batches = LengthBuckets(trainIds.Select(t => t.Count).ToArray(), options.BatchSize, random);
                var lossSum = 0.0;
                var seen = 0;
                for (var b = 0; b < batches.Count; b++)
                {
                    var rows = batches[b];
                    lossSum += TrainStep(model, optimizer, trainableParameters, options.GradientClip, schedule.At(step), plan, trainIds, targets, rows, padLength, tokenizer.PadId);
                    step++;
                    seen += rows.Length;
                    var perSecond = seen / Math.Max(epochClock.Elapsed.TotalSeconds, 1e-9);
                    output.WriteProgress(new ProgressInfo(
                        EpochActivityId,
                        Format(Messages.TrainingStepActivity, epoch),
                        Format(Messages.TrainingStepStatus, b + 1, batches.Count, lossSum / (b + 1), perSecond),
                        Percent(b + 1, batches.Count),
                        SecondsLeft(trainingTime.Elapsed, step, totalSteps),
                        RunActivityId));
                    if (cancellationToken.IsCancellationRequested)
                    {
                        stopped = true;
                        output.WriteVerbose(Format(Messages.TrainingStopped, b + 1, epoch, bestEpoch > 0
                            ? Format(Messages.TrainingKeptEpoch, bestEpoch, bestScore!.ScoreDescription, bestScore.Score)
                            : Messages.TrainingKeptNothingYet));
                        break;
                    }
                }

                if (stopped)
                {
                    break;
                }

                var examplesPerSecond = seen / Math.Max(epochClock.Elapsed.TotalSeconds, 1e-9);
                output.WriteProgress(new ProgressInfo(EpochActivityId, Format(Messages.TrainingStepActivity, epoch), Format(Messages.TrainingEvaluating, plan.Eval.Count), 100, SecondsLeft(trainingTime.Elapsed, step, totalSteps), RunActivityId));
                var score = Evaluate(model, plan, evalIds, tokenizer.PadId, options);
                var loss = lossSum / batches.Count;
                history.Add(new EpochResult(epoch, loss, score.Score, score.MacroF, examplesPerSecond, epochClock.Elapsed));
                output.WriteVerbose(Format(Messages.TrainingEpochSummary, epoch, options.Epochs, loss, score.ScoreDescription, score.Score, score.MacroF, examplesPerSecond, epochClock.Elapsed.TotalSeconds));

                if (bestScore is null || score.Score > bestScore.Score)
                {
                    bestScore = score;
                    bestEpoch = epoch;
                    epochsWithoutImprovement = 0;
                    best.Take(trainable);
                }
                else if (++epochsWithoutImprovement >= options.Patience && epoch < options.Epochs)
                {
                    earlyStopped = true;
                    output.WriteVerbose(Format(Messages.TrainingEarlyStop, epochsWithoutImprovement, epoch, bestEpoch));
                    break;
                }
            }

            if (bestScore is null)
            {
                // Stopped before any epoch finished: the current weights are all there is.
                bestScore = Evaluate(model, plan, evalIds, tokenizer.PadId, options);
                output.WriteVerbose(Format(Messages.TrainingKeptCurrent, bestScore.ScoreDescription, bestScore.Score));
            }
            else
            {
                best.Restore(model);
            }
        }
        finally
        {
            best.Dispose();
            output.WriteProgress(new ProgressInfo(EpochActivityId, Messages.TrainingActivity, string.Empty, 100, 0, RunActivityId, Completed: true));
            output.WriteProgress(new ProgressInfo(RunActivityId, Messages.TrainingActivity, string.Empty, 100, 0, Completed: true));
        }

        model.eval();
        model.to(CPU);
        beforeExport?.Invoke(model, tokenizer, maxLength);

        var card = MakeCard(plan, options, maxLength, tokenizer.LowerCase, bestEpoch, bestScore, history.Count, stopped, earlyStopped);
        WriteModelFolder(model, card, plan, options.Force);
        output.WriteVerbose(Format(Messages.TrainingSaved, bestEpoch, bestScore.ScoreDescription, bestScore.Score, plan.OutputFolder));
        return new TrainingResult
        {
            ModelPath = plan.OutputFolder,
            BestEpoch = bestEpoch,
            BestScore = bestScore.Score,
            ScoreDescription = bestScore.ScoreDescription,
            History = history,
            Duration = clock.Elapsed,
            Stopped = stopped,
            EarlyStopped = earlyStopped,
            Card = card,
        };
    }

    /// <summary>
    /// Groups example indices into batches of texts of similar length: sorted by (length, a fresh random key) so that
    /// equal lengths mix differently every epoch, cut into batches of <paramref name="batchSize"/>, and the batch order
    /// shuffled. Draws the same amount from <paramref name="random"/> for the same input, so runs repeat for a seed.
    /// </summary>
    internal static List<int[]> LengthBuckets(IReadOnlyList<int> lengths, int batchSize, Random random)
    {
        var keys = new double[lengths.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = random.NextDouble();
        }

        var order = Enumerable.Range(0, lengths.Count).OrderBy(i => lengths[i]).ThenBy(i => keys[i]).ToArray();
        var batches = order.Chunk(batchSize).ToList();
        for (var i = batches.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (batches[i], batches[j]) = (batches[j], batches[i]);
        }

        return batches;
    }

    /// <summary>The mean loss of <paramref name="logits"/> [B, labels] for the given training rows, as the trainer computes it.</summary>
    internal static Tensor Loss(Tensor logits, Targets targets, int[] rows, bool exclusive)
    {
        if (exclusive)
        {
            using var classes = tensor(rows.Select(r => targets.Classes[r]).ToArray(), device: logits.device); // [B]
            return TeacherLoss.CrossEntropy(logits, classes);
        }

        var labels = targets.LabelCount;
        var values = new float[rows.Length * labels];
        var known = new float[rows.Length * labels];
        for (var i = 0; i < rows.Length; i++)
        {
            Array.Copy(targets.Values, rows[i] * labels, values, i * labels, labels);
            Array.Copy(targets.Known, rows[i] * labels, known, i * labels, labels);
        }

        using var y = tensor(values, [rows.Length, labels], device: logits.device); // [B, labels]
        using var mask = tensor(known, [rows.Length, labels], device: logits.device); // [B, labels]
        return TeacherLoss.MaskedBinaryCrossEntropy(logits, y, mask);
    }

    private static double TrainStep(
        BertClassifier model,
        AdamW optimizer,
        IReadOnlyList<Parameter> parameters,
        double clip,
        double learningRate,
        TrainingPlan plan,
        IReadOnlyList<int>[] encoded,
        Targets targets,
        int[] rows,
        int? padLength,
        int padId)
    {
        using var scope = NewDisposeScope();
        var (ids, mask, types) = BatchTensors(encoded, rows, padLength, padId, plan.Device);
        var logits = model.call(ids, mask, types); // [B, labels]
        var loss = Loss(logits, targets, rows, plan.Exclusive);
        optimizer.zero_grad();
        loss.backward();
        if (clip > 0)
        {
            nn.utils.clip_grad_norm_(parameters, clip);
        }

        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }

        optimizer.step();
        return loss.item<float>();
    }

    private static TextcatScore Evaluate(BertClassifier model, TrainingPlan plan, IReadOnlyList<int>[] encoded, int padId, TeacherTrainingOptions options)
    {
        var predictions = Predict(model, encoded, padId, plan.Exclusive, plan.Device);
        var accumulator = new TextcatScoreAccumulator(new TextcatScorerOptions
        {
            Labels = plan.Labels,
            Exclusive = plan.Exclusive,
            PositiveLabel = options.PositiveLabel,
        });
        for (var i = 0; i < plan.Eval.Count; i++)
        {
            var predicted = new Dictionary<string, double>(plan.Labels.Count, StringComparer.Ordinal);
            for (var l = 0; l < plan.Labels.Count; l++)
            {
                predicted[plan.Labels[l]] = predictions[(i * plan.Labels.Count) + l];
            }

            accumulator.Add(new ScoredItem(plan.Eval[i].Cats, predicted));
        }

        return accumulator.Finish();
    }

    /// <summary>Probabilities (softmax or sigmoid), row-major [texts, labels], in the order of <paramref name="encoded"/>.</summary>
    private static float[] Predict(BertClassifier model, IReadOnlyList<int>[] encoded, int padId, bool exclusive, Device device)
    {
        model.eval();
        var labels = model.LabelCount;
        var result = new float[encoded.Length * labels];
        var byLength = Enumerable.Range(0, encoded.Length).OrderBy(i => encoded[i].Count).ToArray();
        using (no_grad())
        {
            foreach (var rows in byLength.Chunk(EvalBatchSize))
            {
                using var scope = NewDisposeScope();
                var (ids, mask, types) = BatchTensors(encoded, rows, null, padId, device);
                var logits = model.call(ids, mask, types); // [B, labels]
                var scores = (exclusive ? logits.softmax(-1) : logits.sigmoid()).cpu().data<float>().ToArray();
                for (var i = 0; i < rows.Length; i++)
                {
                    Array.Copy(scores, i * labels, result, rows[i] * labels, labels);
                }
            }
        }

        model.train();
        return result;
    }

    /// <summary>Ids, attention mask and token types int64 [B, T] for the given rows, padded to the longest (or to <paramref name="padLength"/>).</summary>
    private static (Tensor Ids, Tensor Mask, Tensor Types) BatchTensors(IReadOnlyList<int>[] encoded, int[] rows, int? padLength, int padId, Device device)
    {
        var length = padLength ?? rows.Max(r => encoded[r].Count);
        var ids = new long[rows.Length * length];
        var mask = new long[ids.Length];
        Array.Fill(ids, padId);
        for (var i = 0; i < rows.Length; i++)
        {
            var tokens = encoded[rows[i]];
            for (var t = 0; t < tokens.Count; t++)
            {
                ids[(i * length) + t] = tokens[t];
                mask[(i * length) + t] = 1;
            }
        }

        long[] shape = [rows.Length, length];
        return (tensor(ids, shape, device: device), tensor(mask, shape, device: device), zeros(shape, ScalarType.Int64, device));
    }

    private static bool IsExemptFromDecay(string name) =>
        name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains("LayerNorm", StringComparison.Ordinal);

    private static int Percent(int done, int total) => total <= 0 ? 100 : Math.Clamp((int)(100L * done / total), 0, 100);

    private static int SecondsLeft(TimeSpan elapsed, int done, int total) =>
        done <= 0 ? -1 : (int)Math.Ceiling(elapsed.TotalSeconds / done * (total - done));

    // ---- Checks and preparation, all before any training ----

    private static TrainingPlan Plan(IReadOnlyList<TextcatExample> train, IReadOnlyList<TextcatExample>? eval, TeacherTrainingOptions options, IOutputWriter output)
    {
        CheckOptions(options);
        if (train.Count == 0)
        {
            throw new UptrainException("NoExamples", ErrorKind.InvalidData, Messages.NoTrainingExamples);
        }

        CheckTexts(train, "training");
        if (eval is not null)
        {
            CheckTexts(eval, "eval");
        }

        // Labels in order of first appearance, known positive or negative.
        var labels = new List<string>();
        var seenLabels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in train.SelectMany(e => e.Cats.Keys))
        {
            if (seenLabels.Add(label))
            {
                labels.Add(label);
            }
        }

        if (labels.Count == 0)
        {
            throw new UptrainException("NoLabels", ErrorKind.InvalidData, Messages.NoTrainingLabels);
        }

        var exclusive = options.Exclusive ?? train.All(e => e.PositiveLabels.Count() == 1);
        if (exclusive && labels.Count < 2)
        {
            throw new UptrainException("SingleLabel", ErrorKind.InvalidData, Format(Messages.SingleLabelExclusive, labels[0]), labels[0]);
        }

        if (eval is not null)
        {
            var unknown = eval.SelectMany(e => e.Cats.Keys).Where(l => !seenLabels.Contains(l)).Distinct(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                throw new UptrainException("UnknownEvalLabel", ErrorKind.InvalidData, Format(Messages.UnknownEvalLabel, string.Join(", ", unknown), string.Join(", ", labels)), unknown[0]);
            }
        }

        if (!string.IsNullOrEmpty(options.PositiveLabel) && !seenLabels.Contains(options.PositiveLabel))
        {
            throw new UptrainException("UnknownPositiveLabel", ErrorKind.InvalidArgument, Format(Messages.UnknownPositiveLabel, options.PositiveLabel, string.Join(", ", labels)), options.PositiveLabel);
        }

        // Exclusive training needs a class per example; multilabel training needs at least one known label.
        var used = new List<TextcatExample>(train.Count);
        foreach (var example in train)
        {
            if (exclusive && !example.PositiveLabels.Any())
            {
                output.WriteVerbose(Format(Messages.SkippedNoPositiveLabel, Describe(example, train)));
            }
            else if (!exclusive && example.Cats.Count == 0)
            {
                output.WriteVerbose(Format(Messages.SkippedNoKnownLabel, Describe(example, train)));
            }
            else
            {
                used.Add(example);
            }
        }

        if (used.Count == 0)
        {
            throw new UptrainException("NoExamples", ErrorKind.InvalidData, Format(Messages.NoTrainableExamples, train.Count, exclusive ? Messages.NoTrainableExclusive : Messages.NoTrainableMultilabel));
        }

        var outputFolder = Path.GetFullPath(options.OutputPath);
        if ((Directory.Exists(outputFolder) || File.Exists(outputFolder)) && !options.Force)
        {
            throw new UptrainException("OutputExists", ErrorKind.ResourceExists, Format(Messages.TrainingOutputExists, outputFolder), outputFolder);
        }

        var baseFolder = TeacherModels.Resolve(options.BaseModel);
        var device = ChooseDevice(options.Device);
        return new TrainingPlan(
            labels,
            exclusive,
            used,
            train.Count - used.Count,
            eval is { Count: > 0 } ? eval : used,
            eval is not { Count: > 0 },
            baseFolder,
            TeacherModels.IsBundled(options.BaseModel) ? TeacherModels.BundledName : baseFolder,
            outputFolder,
            device);
    }

    private static void CheckOptions(TeacherTrainingOptions options)
    {
        static void Require(bool ok, string name, string rule, object value)
        {
            if (!ok)
            {
                throw new UptrainException("InvalidTrainingOption", ErrorKind.InvalidArgument, Format(Messages.InvalidTrainingOption, name, rule, value), value);
            }
        }

        Require(options.Epochs >= 1, nameof(options.Epochs), "1 or more", options.Epochs);
        Require(options.BatchSize >= 1, nameof(options.BatchSize), "1 or more", options.BatchSize);
        Require(options.LearningRate > 0 && double.IsFinite(options.LearningRate), nameof(options.LearningRate), "a positive number", options.LearningRate);
        Require(options.WarmupFraction is >= 0 and < 1, nameof(options.WarmupFraction), "from 0 to less than 1", options.WarmupFraction);
        Require(options.WeightDecay is >= 0 and < 1, nameof(options.WeightDecay), "from 0 to less than 1", options.WeightDecay);
        Require(options.MaxLength >= 2, nameof(options.MaxLength), "2 or more ([CLS] and [SEP])", options.MaxLength);
        Require(options.Patience >= 1, nameof(options.Patience), "1 or more", options.Patience);
        Require(options.Dropout is >= 0 and < 1, nameof(options.Dropout), "from 0 to less than 1", options.Dropout);
        Require(!double.IsNaN(options.GradientClip), nameof(options.GradientClip), "a number", options.GradientClip);
        Require(!string.IsNullOrWhiteSpace(options.OutputPath), nameof(options.OutputPath), "a folder path", options.OutputPath ?? "null");
    }

    private static void CheckTexts(IReadOnlyList<TextcatExample> examples, string which)
    {
        foreach (var example in examples)
        {
            if (string.IsNullOrWhiteSpace(example.Text))
            {
                throw new UptrainException("EmptyText", ErrorKind.InvalidData, Format(Messages.EmptyTrainingText, which, Describe(example, examples)), example);
            }
        }
    }

    private static string Describe(TextcatExample example, IReadOnlyList<TextcatExample> all)
    {
        if (!string.IsNullOrEmpty(example.Source))
        {
            return example.Source;
        }

        for (var i = 0; i < all.Count; i++)
        {
            if (ReferenceEquals(all[i], example))
            {
                return string.Create(CultureInfo.InvariantCulture, $"#{i + 1}");
            }
        }

        return example.Text.Length > 40 ? example.Text[..40] + "…" : example.Text;
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

    // ---- The model folder ----

    private static ModelCard MakeCard(TrainingPlan plan, TeacherTrainingOptions options, int maxLength, bool lowerCase, int bestEpoch, TextcatScore score, int epochsRun, bool stopped, bool earlyStopped)
    {
        var metrics = new Dictionary<string, double>
        {
            ["score"] = score.Score,
            ["macroP"] = score.MacroP,
            ["macroR"] = score.MacroR,
            ["macroF"] = score.MacroF,
            ["microP"] = score.MicroP,
            ["microR"] = score.MicroR,
            ["microF"] = score.MicroF,
            ["macroAuc"] = score.MacroAuc,
        };
        if (score.Accuracy is { } accuracy)
        {
            metrics["accuracy"] = accuracy;
        }

        return new ModelCard
        {
            Kind = ModelKind.Teacher,
            Labels = [.. plan.Labels],
            Exclusive = plan.Exclusive,
            MaxLength = maxLength,
            Weights = BertWeights.OnnxFileName,
            Tokenizer = new TokenizerCard { Type = "wordpiece", Vocab = WordPieceTokenizer.VocabFileName, LowerCase = lowerCase },
            BaseModel = plan.BaseName,
            Pooling = options.Pooling == PoolingMode.Cls ? "cls" : "mean",
            Training = new Dictionary<string, object?>
            {
                ["epochs"] = options.Epochs,
                ["epochsRun"] = epochsRun,
                ["bestEpoch"] = bestEpoch,
                ["batchSize"] = options.BatchSize,
                ["learningRate"] = options.LearningRate,
                ["warmupFraction"] = options.WarmupFraction,
                ["weightDecay"] = options.WeightDecay,
                ["patience"] = options.Patience,
                ["seed"] = options.Seed,
                ["dropout"] = options.Dropout,
                ["freezeWordEmbeddings"] = options.FreezeWordEmbeddings,
                ["gradientClip"] = options.GradientClip,
                ["fixedPadding"] = options.FixedPadding,
                ["positiveLabel"] = options.PositiveLabel,
                ["device"] = plan.Device.type == DeviceType.CUDA ? "cuda" : "cpu",
                ["selectionMetric"] = score.ScoreDescription,
                ["stopped"] = stopped,
                ["earlyStopped"] = earlyStopped,
            },
            Metrics = metrics,
            Data = new Dictionary<string, object?>
            {
                ["trainExamples"] = plan.Train.Count,
                ["skippedExamples"] = plan.Skipped,
                ["evalExamples"] = plan.Eval.Count,
                ["evaluatedOn"] = plan.EvalIsTrain ? "train" : "eval",
                ["trainFingerprint"] = Fingerprint(plan.Train),
                ["evalFingerprint"] = plan.EvalIsTrain ? null : Fingerprint(plan.Eval),
            },
            Versions = new Dictionary<string, string>
            {
                ["Uptrain"] = VersionOf(typeof(TeacherTrainer).Assembly),
                ["TorchSharp"] = VersionOf(typeof(torch).Assembly),
                [".NET"] = Environment.Version.ToString(),
            },
        };
    }

    /// <summary>
    /// <c>sha256:</c> and the hex SHA-256 over every example in order: its text, then its known labels sorted by name with
    /// their values, with separator bytes that cannot occur in text (U+001F between fields, U+001E after an example).
    /// </summary>
    internal static string Fingerprint(IEnumerable<TextcatExample> examples)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var example in examples)
        {
            var text = new StringBuilder(example.Text);
            foreach (var (label, value) in example.Cats.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                text.Append('\u001f').Append(label).Append('=').Append(value.ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append('\u001e');
            hash.AppendData(Encoding.UTF8.GetBytes(text.ToString()));
        }

        return "sha256:" + Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Writes the folder beside its final place and moves it there, so that a failure leaves nothing half-written.</summary>
    private static void WriteModelFolder(BertClassifier model, ModelCard card, TrainingPlan plan, bool force)
    {
        var target = Path.TrimEndingDirectorySeparator(plan.OutputFolder);
        var parent = Path.GetDirectoryName(target) ?? Directory.GetCurrentDirectory();
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, string.Create(CultureInfo.InvariantCulture, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp"));
        Directory.CreateDirectory(temp);
        try
        {
            TeacherOnnxExport.Save(model, plan.Exclusive, Path.Combine(temp, BertWeights.OnnxFileName));
            File.Copy(Path.Combine(plan.BaseFolder, WordPieceTokenizer.VocabFileName), Path.Combine(temp, WordPieceTokenizer.VocabFileName));
            var tokenizerConfig = Path.Combine(plan.BaseFolder, WordPieceTokenizer.ConfigFileName);
            if (File.Exists(tokenizerConfig))
            {
                File.Copy(tokenizerConfig, Path.Combine(temp, WordPieceTokenizer.ConfigFileName));
            }
            else
            {
                File.WriteAllText(Path.Combine(temp, WordPieceTokenizer.ConfigFileName), card.Tokenizer.LowerCase ? "{\"do_lower_case\": true}\n" : "{\"do_lower_case\": false}\n");
            }

            ModelFolder.Seal(temp, card);
            if (Directory.Exists(target) || File.Exists(target))
            {
                if (!force)
                {
                    throw new UptrainException("OutputExists", ErrorKind.ResourceExists, Format(Messages.TrainingOutputExists, target), target);
                }

                if (Directory.Exists(target))
                {
                    Directory.Delete(target, recursive: true);
                }
                else
                {
                    File.Delete(target);
                }
            }

            Directory.Move(temp, target);
        }
        catch
        {
            try
            {
                Directory.Delete(temp, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the original error matters more.
            }

            throw;
        }
    }

    /// <summary>Everything checked and decided before training.</summary>
    private sealed record TrainingPlan(
        IReadOnlyList<string> Labels,
        bool Exclusive,
        IReadOnlyList<TextcatExample> Train,
        int Skipped,
        IReadOnlyList<TextcatExample> Eval,
        bool EvalIsTrain,
        string BaseFolder,
        string BaseName,
        string OutputFolder,
        Device Device);

    /// <summary>Per-step learning rate: linear warm-up to the peak over the first steps, then linear decay to 0.</summary>
    /// <remarks>
    /// As Hugging Face's <c>get_linear_schedule_with_warmup</c>, except that warm-up step s (from 0) uses (s + 1) / warm-up
    /// rather than s / warm-up, so that the first step is not wasted at a learning rate of 0.
    /// </remarks>
    internal sealed record LinearSchedule(double Peak, int WarmupSteps, int TotalSteps)
    {
        public double At(int step) => step < WarmupSteps
            ? Peak * (step + 1) / WarmupSteps
            : Peak * Math.Max(0.0, (double)(TotalSteps - step) / Math.Max(1, TotalSteps - WarmupSteps));
    }

    /// <summary>
    /// Training targets per example. Exclusive: the class index of the highest-valued label (<see cref="Classes"/>).
    /// Multilabel: row-major [examples, labels] values and a known mask, 0 where the example's Cats lack the label, so
    /// that the loss leaves it out (a Prodigy binary answer says nothing about the other labels).
    /// </summary>
    internal sealed class Targets
    {
        public Targets(IReadOnlyList<TextcatExample> examples, IReadOnlyList<string> labels)
        {
            LabelCount = labels.Count;
            Classes = new long[examples.Count];
            Values = new float[examples.Count * labels.Count];
            Known = new float[examples.Count * labels.Count];
            for (var i = 0; i < examples.Count; i++)
            {
                var best = double.NegativeInfinity;
                for (var l = 0; l < labels.Count; l++)
                {
                    if (examples[i].Cats.TryGetValue(labels[l], out var value) && !double.IsNaN(value))
                    {
                        Values[(i * labels.Count) + l] = (float)value;
                        Known[(i * labels.Count) + l] = 1;
                        if (value > best)
                        {
                            best = value;
                            Classes[i] = l;
                        }
                    }
                }
            }
        }

        public int LabelCount { get; }

        public long[] Classes { get; }

        public float[] Values { get; }

        public float[] Known { get; }
    }

    /// <summary>The best weights so far, as CPU copies of the trainable parameters (frozen ones never change).</summary>
    private sealed class Snapshot : IDisposable
    {
        private readonly Dictionary<string, Tensor> _weights = new(StringComparer.Ordinal);

        public void Take(IReadOnlyList<(string Name, Parameter Parameter)> trainable)
        {
            using var noGrad = no_grad();
            foreach (var (name, parameter) in trainable)
            {
                using var scope = NewDisposeScope();
                var copy = parameter.detach().cpu().clone().DetachFromDisposeScope();
                if (_weights.Remove(name, out var old))
                {
                    old.Dispose();
                }

                _weights[name] = copy;
            }
        }

        public void Restore(BertClassifier model)
        {
            using var noGrad = no_grad();
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (_weights.TryGetValue(name, out var saved))
                {
                    parameter.copy_(saved);
                }
            }
        }

        public void Dispose()
        {
            foreach (var tensor in _weights.Values)
            {
                tensor.Dispose();
            }

            _weights.Clear();
        }
    }
}
