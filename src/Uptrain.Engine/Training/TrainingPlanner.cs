using System.Globalization;
using Uptrain.Diagnostics;
using Uptrain.Models;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Training;

/// <summary>
/// Checks labelled data for training any kind of model and decides what the model will be: its labels, whether
/// they are exclusive, which examples it learns from and which it is scored on, and where it goes.
/// </summary>
public static class TrainingPlanner
{
    /// <summary>Plans a training run; everything the data or the request gets wrong is reported here, before any training.</summary>
    /// <param name="train">The training examples; their <see cref="TextcatExample.Cats"/> give the labels, in order of first appearance.</param>
    /// <param name="eval">Held-out examples to score every epoch; null to score the training data instead.</param>
    /// <param name="request">Output folder, exclusivity and positive label.</param>
    /// <param name="output">Receives a verbose line per training example left out.</param>
    /// <exception cref="UptrainException">
    /// <c>NoExamples</c>, <c>EmptyText</c>, <c>NoLabels</c>, <c>SingleLabel</c>, <c>UnknownEvalLabel</c>, <c>UnknownPositiveLabel</c>,
    /// <c>OutputExists</c>.
    /// </exception>
    public static TrainingPlan Plan(IReadOnlyList<TextcatExample> train, IReadOnlyList<TextcatExample>? eval, TrainingRequest request, IOutputWriter output)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        if (train.Count == 0)
        {
            throw new UptrainException("NoExamples", ErrorKind.InvalidData, Messages.NoTrainingExamples);
        }

        CheckTexts(train, Messages.DataTraining);
        if (eval is not null)
        {
            CheckTexts(eval, Messages.DataEval);
        }

        var labels = LabelsOf(train);
        var exclusive = request.Exclusive ?? train.All(e => e.PositiveLabels.Count() == 1);
        if (exclusive && labels.Count < 2)
        {
            throw new UptrainException("SingleLabel", ErrorKind.InvalidData, Format(Messages.SingleLabelExclusive, labels[0]), labels[0]);
        }

        CheckLabelsKnown(labels, eval);
        CheckPositiveLabel(labels, request.PositiveLabel);
        var used = Trainable(train, exclusive, output);
        var outputFolder = Path.GetFullPath(request.OutputPath);
        ModelFolderWriter.CheckTarget(outputFolder, request.Force);
        return new TrainingPlan(
            labels,
            exclusive,
            used,
            train.Count - used.Count,
            eval is { Count: > 0 } ? eval : used,
            eval is not { Count: > 0 },
            outputFolder,
            request.Force);
    }

    /// <summary>Where an example came from, for messages: its source (file:line), else its position, else its text's start.</summary>
    public static string Describe(TextcatExample example, IReadOnlyList<TextcatExample> all)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(all);
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

    /// <summary>The labels in order of first appearance, known positive or negative.</summary>
    private static List<string> LabelsOf(IReadOnlyList<TextcatExample> train)
    {
        var labels = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in train.SelectMany(e => e.Cats.Keys))
        {
            if (seen.Add(label))
            {
                labels.Add(label);
            }
        }

        if (labels.Count == 0)
        {
            throw new UptrainException("NoLabels", ErrorKind.InvalidData, Messages.NoTrainingLabels);
        }

        return labels;
    }

    /// <summary>
    /// Refuses a positive label that is not one of the model's <paramref name="labels"/>, before any training, for every
    /// model kind (the eval score would otherwise fail only after the first epoch).
    /// </summary>
    /// <exception cref="UptrainException"><c>UnknownPositiveLabel</c>.</exception>
    public static void CheckPositiveLabel(IReadOnlyList<string> labels, string? positiveLabel)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!string.IsNullOrEmpty(positiveLabel) && !labels.Contains(positiveLabel, StringComparer.Ordinal))
        {
            throw new UptrainException("UnknownPositiveLabel", ErrorKind.InvalidArgument, Format(Messages.UnknownPositiveLabel, positiveLabel, string.Join(", ", labels)), positiveLabel);
        }
    }

    private static void CheckLabelsKnown(List<string> labels, IReadOnlyList<TextcatExample>? eval)
    {
        var known = new HashSet<string>(labels, StringComparer.Ordinal);
        if (eval is not null)
        {
            var unknown = eval.SelectMany(e => e.Cats.Keys).Where(l => !known.Contains(l)).Distinct(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                throw new UptrainException("UnknownEvalLabel", ErrorKind.InvalidData, Format(Messages.UnknownEvalLabel, string.Join(", ", unknown), string.Join(", ", labels)), unknown[0]);
            }
        }
    }

    /// <summary>Exclusive training needs a class per example; multilabel training needs at least one known label.</summary>
    private static List<TextcatExample> Trainable(IReadOnlyList<TextcatExample> train, bool exclusive, IOutputWriter output)
    {
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

        return used;
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
}
