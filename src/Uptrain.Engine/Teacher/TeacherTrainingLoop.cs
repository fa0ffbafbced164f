using TorchSharp;
using TorchSharp.Modules;
using Uptrain.Diagnostics;
using Uptrain.Metrics;
using Uptrain.Training;
using static TorchSharp.torch;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Teacher;

/// <summary>The tokenised data of a run: every epoch only regroups these.</summary>
/// <param name="Train">Word piece ids per training example.</param>
/// <param name="Eval">Word piece ids per eval example.</param>
/// <param name="Targets">The training targets.</param>
/// <param name="PadId">The tokenizer's [PAD] id.</param>
/// <param name="PadLength">Pad every batch to this length, or null to pad each batch to its longest text.</param>
internal sealed record TeacherInputs(IReadOnlyList<int>[] Train, IReadOnlyList<int>[] Eval, TeacherTargets Targets, int PadId, int? PadLength);

/// <summary>
/// One training run of a teacher as <see cref="EpochTrainer"/> drives it: the model, its AdamW optimiser and learning-rate
/// schedule, the plan and the data. An epoch is a pass over length-bucketed batches; the kept weights are CPU copies of
/// the trainable parameters.
/// </summary>
internal sealed class TeacherTrainingLoop : IEpochModel, IDisposable
{
    private readonly BertClassifier _model;
    private readonly TeacherPlan _plan;
    private readonly TeacherTrainingOptions _options;
    private readonly TeacherInputs _inputs;
    private readonly IOutputWriter _output;
    private readonly Random _random;
    private readonly List<(string Name, Parameter Parameter)> _trainable;
    private readonly List<Parameter> _trainableParameters;
    private readonly double[] _groupRates;
    private readonly AdamW? _optimizer;
    private readonly FusedAdamW? _fused;
    private readonly LinearSchedule _schedule;
    private readonly WeightSnapshot _best = new();
    private int _step;

    public TeacherTrainingLoop(BertClassifier model, TeacherPlan plan, TeacherTrainingOptions options, TeacherInputs inputs, IOutputWriter output)
    {
        _model = model;
        _plan = plan;
        _options = options;
        _inputs = inputs;
        _output = output;

        // The batch shuffling's own seeded source; TorchSharp's generator is seeded by the trainer.
        _random = new Random(options.Seed);
        StepsPerEpoch = (plan.Data.Train.Count + options.BatchSize - 1) / options.BatchSize;
        TotalSteps = StepsPerEpoch * plan.Epochs;
        _schedule = new LinearSchedule(options.LearningRate, (int)Math.Ceiling(options.WarmupFraction * TotalSteps), TotalSteps);

        // Weight decay on weight matrices only, not on biases or LayerNorm (BERT's recipe); frozen parameters
        // are left out of the optimizer altogether. The fresh head has its own, higher learning rate.
        _trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        var headRate = options.EffectiveHeadLearningRate;
        _groupRates = [options.LearningRate, options.LearningRate, headRate, headRate];
        _trainableParameters = _trainable.Select(p => p.Parameter).ToList();
        Func<string, bool>[] members =
        [
            p => !IsHead(p) && !IsExemptFromDecay(p),
            p => !IsHead(p) && IsExemptFromDecay(p),
            p => IsHead(p) && !IsExemptFromDecay(p),
            p => IsHead(p) && IsExemptFromDecay(p),
        ];
        double[] decays = [options.WeightDecay, 0.0, options.WeightDecay, 0.0];
        if (options.FusedOptimizer && _trainableParameters.All(FusedAdamW.IsSupported))
        {
            var fusedGroups = members.Select((includes, g) => new FusedParameterGroup(Members(includes), decays[g])).ToList();
            _fused = new FusedAdamW(fusedGroups, TeacherTrainingOptions.AdamBeta1, TeacherTrainingOptions.AdamBeta2, TeacherTrainingOptions.AdamEpsilon, Math.Max(1, torch.get_num_threads()));
        }
        else
        {
            var groups = members.Select((includes, g) => Group(includes, _groupRates[g], decays[g])).ToArray();
            _optimizer = torch.optim.AdamW(groups, options.LearningRate, TeacherTrainingOptions.AdamBeta1, TeacherTrainingOptions.AdamBeta2, TeacherTrainingOptions.AdamEpsilon, options.WeightDecay);
        }
    }

    /// <summary>Optimisation steps per epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>Optimisation steps of all epochs.</summary>
    public int TotalSteps { get; }

    /// <inheritdoc />
    public int WarmupSteps => _schedule.WarmupSteps;

    /// <summary>
    /// Trains until the last epoch, early stopping or <paramref name="cancellationToken"/> (checked after every batch), and
    /// leaves the kept weights in the model (see <see cref="EpochTrainer"/> for a stop before the first epoch ends).
    /// </summary>
    public EpochRun Run(CancellationToken cancellationToken)
    {
        try
        {
            var progress = new TrainingProgress(Messages.TrainingActivity, TeacherTrainer.RunActivityId, TeacherTrainer.EpochActivityId);
            return new EpochTrainer(_plan.Epochs, _options.Patience, _plan.Data.Eval.Count, progress, _output).Run(this, _options.LearningRate, cancellationToken);
        }
        finally
        {
            _best.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _best.Dispose();
        _optimizer?.Dispose();
        _fused?.Dispose();
    }

    /// <summary>One pass over the training data in length-bucketed batches, the batch order shuffled; the token is checked before every batch.</summary>
    public EpochPass TrainEpoch(int epoch, Action<int, int, double> stepDone, CancellationToken cancellationToken)
    {
        _model.train();
        var batches = TeacherBatches.LengthBuckets(_inputs.Train.Select(t => t.Count).ToArray(), _options.BatchSize, _random);
        var lossSum = 0.0;
        var seen = 0;
        for (var b = 0; b < batches.Count; b++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return new EpochPass(b == 0 ? 0 : lossSum / b, b, seen, Cancelled: true);
            }

            var rows = batches[b];
            lossSum += TrainStep(rows, _schedule.At(_step));
            _step++;
            seen += rows.Length;
            stepDone(b + 1, seen, lossSum / (b + 1));
        }

        return new EpochPass(lossSum / batches.Count, batches.Count, seen, Cancelled: false);
    }

    /// <inheritdoc />
    public void KeepWeights() => _best.Take(_trainable);

    /// <inheritdoc />
    public void RestoreKeptWeights() => _best.Restore(_model);

    private double TrainStep(int[] rows, double learningRate)
    {
        using var scope = NewDisposeScope();
        var (ids, mask, types) = TeacherBatches.Tensors(_inputs.Train, rows, _inputs.PadLength, _inputs.PadId, _plan.Device);
        var logits = _model.call(ids, mask, types); // [B, labels]
        var loss = TeacherBatches.Loss(logits, _inputs.Targets, rows, _plan.Data.Exclusive);

        // The schedule's rate for the encoder, scaled to each group's own peak.
        var rates = _groupRates.Select(rate => learningRate * rate / _options.LearningRate).ToArray();
        if (_fused is not null)
        {
            // Clips, steps and clears the gradients in one pass.
            loss.backward();
            _fused.Step(rates, _options.GradientClip);
            return loss.item<float>();
        }

        _optimizer!.zero_grad();
        loss.backward();
        if (_options.GradientClip > 0)
        {
            nn.utils.clip_grad_norm_(_trainableParameters, _options.GradientClip);
        }

        var g = 0;
        foreach (var group in _optimizer.ParamGroups)
        {
            group.LearningRate = rates[g++];
        }

        _optimizer.step();
        return loss.item<float>();
    }

    /// <summary>Scores the eval data with the model's current weights.</summary>
    public TextcatScore Evaluate()
    {
        var data = _plan.Data;
        var predictions = Predict(probabilities: true);
        var accumulator = new TextcatScoreAccumulator(new TextcatScorerOptions
        {
            Labels = data.Labels,
            Exclusive = data.Exclusive,
            PositiveLabel = _options.PositiveLabel,
        });
        for (var i = 0; i < data.Eval.Count; i++)
        {
            var predicted = new Dictionary<string, double>(data.Labels.Count, StringComparer.Ordinal);
            for (var l = 0; l < data.Labels.Count; l++)
            {
                predicted[data.Labels[l]] = predictions[(i * data.Labels.Count) + l];
            }

            accumulator.Add(new ScoredItem(data.Eval[i].Cats, predicted));
        }

        return accumulator.Finish();
    }

    /// <summary>The logits of the eval texts under the model's current weights, row-major [texts, labels].</summary>
    public float[] EvalLogits() => Predict(probabilities: false);

    /// <summary>Probabilities (softmax or sigmoid), or else the logits, of the eval texts, row-major [texts, labels].</summary>
    private float[] Predict(bool probabilities)
    {
        var encoded = _inputs.Eval;
        _model.eval();
        var labels = _model.LabelCount;
        var result = new float[encoded.Length * labels];
        var byLength = Enumerable.Range(0, encoded.Length).OrderBy(i => encoded[i].Count).ToArray();
        using (no_grad())
        {
            foreach (var rows in byLength.Chunk(TeacherTrainer.EvalBatchSize))
            {
                using var scope = NewDisposeScope();
                var (ids, mask, types) = TeacherBatches.Tensors(encoded, rows, null, _inputs.PadId, _plan.Device);
                var logits = _model.call(ids, mask, types); // [B, labels]
                var scores = (!probabilities ? logits : _plan.Data.Exclusive ? logits.softmax(-1) : logits.sigmoid()).cpu().data<float>().ToArray();
                for (var i = 0; i < rows.Length; i++)
                {
                    Array.Copy(scores, i * labels, result, rows[i] * labels, labels);
                }
            }
        }

        _model.train();
        return result;
    }

    private List<Parameter> Members(Func<string, bool> includes) => _trainable.Where(p => includes(p.Name)).Select(p => p.Parameter).ToList();

    private AdamW.ParamGroup Group(Func<string, bool> includes, double learningRate, double weightDecay) => new(
        Members(includes),
        learningRate,
        TeacherTrainingOptions.AdamBeta1,
        TeacherTrainingOptions.AdamBeta2,
        TeacherTrainingOptions.AdamEpsilon,
        weightDecay);

    private static bool IsHead(string name) => name.StartsWith(BertClassifier.HeadPrefix, StringComparison.Ordinal);

    private static bool IsExemptFromDecay(string name) =>
        name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains("LayerNorm", StringComparison.Ordinal);
}
