using Uptrain.Diagnostics;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Training;

/// <summary>What every trainer's options share: the learning rate, early stopping, the seed and the task's labels.</summary>
public abstract record TrainingOptions
{
    /// <summary>Peak (a teacher) or starting (a student) learning rate; each kind gives its own default.</summary>
    public double LearningRate { get; init; }

    /// <summary>Epochs without a better eval score before training stops early (see <see cref="EpochSelector"/>); 1 or more.</summary>
    public int Patience { get; init; }

    /// <summary>Seeds every random source of the run.</summary>
    public int Seed { get; init; }

    /// <summary>True: one label per text (softmax). False: independent labels (sigmoids). Null: inferred from the data.</summary>
    public bool? Exclusive { get; init; }

    /// <summary>The positive label of a two-label exclusive task: the eval score is then its F (as Measure-TextcatScore). Null: macro F.</summary>
    public string? PositiveLabel { get; init; }

    /// <summary>
    /// Checks every option before any training. A kind adds its own checks after the shared ones.
    /// </summary>
    /// <exception cref="UptrainException"><c>InvalidTrainingOption</c>, naming the option, the rule and the value.</exception>
    public virtual void Check()
    {
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), Messages.RulePositiveNumber, LearningRate);
        Require(Patience >= 1, nameof(Patience), Messages.RuleOneOrMore, Patience);
    }

    /// <summary>Throws <c>InvalidTrainingOption</c> unless <paramref name="ok"/>.</summary>
    protected static void Require(bool ok, string name, string rule, object value)
    {
        if (!ok)
        {
            throw new UptrainException("InvalidTrainingOption", ErrorKind.InvalidArgument, Format(Messages.InvalidTrainingOption, name, rule, value), value);
        }
    }
}
