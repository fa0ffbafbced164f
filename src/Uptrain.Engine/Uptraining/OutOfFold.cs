using System.Globalization;
using Uptrain.Diagnostics;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Uptraining;

/// <summary>Out-of-fold predictions: each example scored by the model trained on the other folds.</summary>
/// <param name="Predictions">The predictions of the folds that finished, in the order of the examples.</param>
/// <param name="FoldsDone">How many folds finished.</param>
/// <param name="Folds">How many folds there are.</param>
public sealed record OutOfFoldResult(IReadOnlyList<TextcatPrediction> Predictions, int FoldsDone, int Folds)
{
    /// <summary>True when a stop (Ctrl+C) ended the run before every fold finished.</summary>
    public bool Stopped => FoldsDone < Folds;
}

/// <summary>
/// k-fold cross-prediction: the examples are dealt into stratified folds (<see cref="StratifiedOrder"/>); for each fold a
/// model is trained on the others in a temporary folder, scores the fold, and is deleted.
/// </summary>
public static class OutOfFold
{
    /// <summary>The progress activity of the folds; a trainer's own activities show below it.</summary>
    public const int FoldActivityId = 10;

    /// <summary>Trains <paramref name="folds"/> models and returns every example's prediction by the model that did not see it.</summary>
    /// <param name="examples">The gold examples.</param>
    /// <param name="recipe">How to train each fold's model.</param>
    /// <param name="folds">The number of folds, 2 or more, at most the number of examples.</param>
    /// <param name="seed">Seeds the folds and every model.</param>
    /// <param name="eval">Held-out examples for each model's kept epoch; null to keep epochs on the training folds.</param>
    /// <param name="output">Progress (fold, then the trainer's epochs and steps), verbose lines.</param>
    /// <param name="cancellationToken">A stop ends the run after the folds that finished: their predictions are returned.</param>
    /// <exception cref="UptrainException"><c>InvalidFolds</c>, and those of the kind's trainer.</exception>
    public static OutOfFoldResult Predict(
        IReadOnlyList<TextcatExample> examples,
        ModelRecipe recipe,
        int folds,
        int seed,
        IReadOnlyList<TextcatExample>? eval,
        IOutputWriter output,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(output);
        if (folds < 2 || folds > examples.Count)
        {
            throw new UptrainException("InvalidFolds", ErrorKind.InvalidArgument, Format(Messages.InvalidFolds, folds, examples.Count), folds);
        }
        var foldOf = StratifiedOrder.Folds(examples, folds, seed);
        var predictions = new TextcatPrediction?[examples.Count];
        var done = 0;
        try
        {
            for (var fold = 0; fold < folds; fold++)
            {
                output.WriteProgress(new ProgressInfo(FoldActivityId, Format(Messages.FoldActivity, recipe.Kind), Format(Messages.FoldStatus, fold + 1, folds), fold * 100 / folds));
                var held = Enumerable.Range(0, examples.Count).Where(i => foldOf[i] == fold).ToList();
                var train = Enumerable.Range(0, examples.Count).Where(i => foldOf[i] != fold).Select(i => examples[i]).ToList();
                if (!PredictFold(examples, held, train, recipe, fold, seed + fold, eval, output, predictions, cancellationToken))
                {
                    break;
                }
                done++;
                output.WriteVerbose(Format(Messages.FoldDone, fold + 1, folds, held.Count, train.Count));
            }
        }
        finally
        {
            output.WriteProgress(new ProgressInfo(FoldActivityId, Format(Messages.FoldActivity, recipe.Kind), string.Empty, 100, Completed: true));
        }
        return new OutOfFoldResult(predictions.Where(p => p is not null).ToList()!, done, folds);
    }

    // One fold: a model trained on the other folds scores the held-out examples. False when a stop came first.
    private static bool PredictFold(
        IReadOnlyList<TextcatExample> examples,
        List<int> held,
        List<TextcatExample> train,
        ModelRecipe recipe,
        int fold,
        int seed,
        IReadOnlyList<TextcatExample>? eval,
        IOutputWriter output,
        TextcatPrediction?[] predictions,
        CancellationToken cancellationToken)
    {
        // The model is named by its folder: "teacher-fold-2" in the predictions and the review tasks.
        var name = string.Create(CultureInfo.InvariantCulture, $"{ModelKinds.Name(recipe.Kind)}-fold-{fold + 1}");
        var scored = recipe.TrainAndScore(train, eval, seed, held.Select(i => examples[i]), name, output, FoldActivityId, cancellationToken);
        if (scored is null)
        {
            return false;
        }
        for (var k = 0; k < held.Count; k++)
        {
            predictions[held[k]] = scored[k];
        }
        return true;
    }
}
