using Uptrain.Diagnostics;
using Uptrain.Training;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Teacher;

/// <summary>
/// Calibrates a trained teacher's scores on its eval data (<see cref="TeacherTrainingOptions.Calibration"/>): fits one
/// temperature by <see cref="TemperatureScaling"/> and folds it into the head, so the saved model, its ONNX export and its
/// card all score with it.
/// </summary>
internal static class TeacherCalibration
{
    /// <summary>
    /// The outcome with the eval score of the calibrated model, and the temperature (null where the scores were left as
    /// trained: calibration off, no eval data of its own, or too little of it).
    /// </summary>
    public static (EpochRun Outcome, double? Temperature) Apply(
        TeacherTrainingLoop loop, BertClassifier model, TeacherPlan plan, TeacherTrainingOptions options, EpochRun outcome, IOutputWriter output)
    {
        var data = plan.Data;
        if (options.Calibration == CalibrationMode.None)
        {
            return (outcome, null);
        }

        if (data.EvalIsTrain)
        {
            output.WriteVerbose(Messages.CalibrationSkippedNoEval);
            return (outcome, null);
        }

        if (data.Eval.Count < TemperatureScaling.MinExamples)
        {
            output.WriteVerbose(Format(Messages.CalibrationSkippedFewEval, data.Eval.Count, TemperatureScaling.MinExamples));
            return (outcome, null);
        }

        var logits = loop.EvalLogits();
        var targets = new TeacherTargets(data.Eval, data.Labels);
        double Loss(double beta) => data.Exclusive
            ? TemperatureScaling.ExclusiveLoss(logits, data.Labels.Count, targets.Classes, beta)
            : TemperatureScaling.MultilabelLoss(logits, targets.Values, targets.Known, beta);
        var inverse = data.Exclusive
            ? TemperatureScaling.FitExclusive(logits, data.Labels.Count, targets.Classes)
            : TemperatureScaling.FitMultilabel(logits, targets.Values, targets.Known);

        model.ScaleHead(inverse);
        var score = loop.Evaluate();
        var temperature = 1 / inverse;
        output.WriteVerbose(Format(Messages.CalibrationDone, data.Eval.Count, temperature, Loss(1), Loss(inverse)));
        return (outcome with { KeptScore = score }, temperature);
    }
}
