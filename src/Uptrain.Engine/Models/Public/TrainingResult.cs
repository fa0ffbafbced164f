namespace Uptrain;

/// <summary>What a training run produced: where the model is, how good it got and how it went.</summary>
public sealed class TrainingResult
{
    /// <summary>The model folder.</summary>
    public required string ModelPath { get; init; }

    /// <summary>The epoch (from 1) whose weights were kept; 0 when no epoch finished.</summary>
    public int BestEpoch { get; init; }

    /// <summary>The eval <see cref="TextcatScore.Score"/> of the kept weights.</summary>
    public double BestScore { get; init; }

    /// <summary>What <see cref="BestScore"/> is (macro F, F (label), macro AUC).</summary>
    public string ScoreDescription { get; init; } = string.Empty;

    /// <summary>One entry per finished epoch.</summary>
    public required IReadOnlyList<EpochResult> History { get; init; }

    /// <summary>Wall-clock seconds of the whole run (a number, so that ConvertTo-Json writes one value).</summary>
    public double Seconds => Duration.TotalSeconds;

    /// <summary>Wall-clock time of the whole run.</summary>
    internal TimeSpan Duration { get; init; }

    /// <summary>True when the run was stopped early by the user (Ctrl+C); the best model so far was kept.</summary>
    public bool Stopped { get; init; }

    /// <summary>True when training ended early because the eval score stopped improving.</summary>
    public bool EarlyStopped { get; init; }

    /// <summary>
    /// The card written with the model. A method, not a property, so that ConvertTo-Json of a result stays shallow (the
    /// card's settings nest several levels deep).
    /// </summary>
    public ModelCard GetCard() => Card;

    /// <summary>The card written with the model.</summary>
    internal ModelCard Card { get; init; } = null!;
}

/// <summary>One epoch of a training run.</summary>
/// <param name="Epoch">From 1.</param>
/// <param name="Loss">Mean training loss over the epoch's batches.</param>
/// <param name="EvalScore">The eval Score after the epoch.</param>
/// <param name="MacroF">The eval macro F after the epoch.</param>
/// <param name="ExamplesPerSecond">Training throughput during the epoch.</param>
/// <param name="Seconds">Seconds the epoch took, evaluation included.</param>
public sealed record EpochResult(int Epoch, double Loss, double EvalScore, double MacroF, double ExamplesPerSecond, double Seconds)
{
    /// <summary>One short line, as a list of epochs shows it in a table cell: "epoch 1: loss 0.776, score 0.812".</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"epoch {Epoch}: loss {Loss:0.000}, score {EvalScore:0.000}");
}
