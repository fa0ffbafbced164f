using System.Reflection;
using TorchSharp;
using Uptrain.Models;
using Uptrain.Training;

namespace Uptrain.Teacher;

/// <summary>The card of a trained teacher: what it is, how it was trained, how it scored and on what data.</summary>
internal static class TeacherCard
{
    /// <summary>The card; <paramref name="temperature"/> is the calibration's, null where the scores were not calibrated.</summary>
    public static ModelCard Make(TeacherPlan plan, TeacherTrainingOptions options, int maxLength, bool lowerCase, EpochRun outcome, double? temperature, string precision)
    {
        var data = plan.Data;
        return new ModelCard
        {
            Kind = ModelKinds.Name(ModelKind.Teacher),
            Labels = [.. data.Labels],
            Exclusive = data.Exclusive,
            MaxLength = maxLength,
            Weights = ModelFolder.OnnxFileName,
            Tokenizer = new TokenizerCard { Type = "wordpiece", Vocab = ModelFolder.VocabFileName, LowerCase = lowerCase },
            BaseModel = plan.BaseName,
            Pooling = options.Pooling == PoolingMode.Cls ? "cls" : "mean",
            Training = SettingsOf(plan, options, outcome, temperature, precision),
            Metrics = CardValues.Metrics(outcome.KeptScore),
            Data = new Dictionary<string, object?>
            {
                ["trainExamples"] = data.Train.Count,
                ["skippedExamples"] = data.Skipped,
                ["evalExamples"] = data.Eval.Count,
                ["evaluatedOn"] = data.EvalIsTrain ? "train" : "eval",
                ["trainFingerprint"] = DataFingerprint.Of(data.Train),
                ["evalFingerprint"] = data.EvalIsTrain ? null : DataFingerprint.Of(data.Eval),
            },
            Versions = new Dictionary<string, string>
            {
                ["Uptrain"] = CardValues.VersionOf(typeof(TeacherTrainer).Assembly),
                ["TorchSharp"] = CardValues.VersionOf(typeof(torch).Assembly),
                [".NET"] = Environment.Version.ToString(),
            },
        };
    }

    private static Dictionary<string, object?> SettingsOf(TeacherPlan plan, TeacherTrainingOptions options, EpochRun outcome, double? temperature, string precision) => new()
    {
        ["epochs"] = plan.Epochs,
        ["epochsRun"] = outcome.History.Count,
        ["bestEpoch"] = outcome.KeptEpoch,
        ["batchSize"] = options.BatchSize,
        ["learningRate"] = options.LearningRate,
        ["headLearningRate"] = options.EffectiveHeadLearningRate,
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
        ["precision"] = precision,
        ["selectionMetric"] = outcome.KeptScore.ScoreDescription,
        ["stopped"] = outcome.Stopped,
        ["earlyStopped"] = outcome.EarlyStopped,
        ["calibration"] = temperature is null ? "none" : "temperature",
        ["temperature"] = temperature,
    };
}
