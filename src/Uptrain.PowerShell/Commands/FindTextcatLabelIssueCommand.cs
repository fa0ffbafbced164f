using System.Globalization;
using System.Management.Automation;
using Uptrain.Hosting;
using Uptrain.Uptraining;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Finds gold labels that a model trained without them confidently disagrees with, most suspect first, and writes them as review tasks.</para>
/// </summary>
[Cmdlet(VerbsCommon.Find, "TextcatLabelIssue", SupportsShouldProcess = true)]
[OutputType(typeof(LabelIssue))]
public sealed class FindTextcatLabelIssueCommand : RecipeCmdlet
{
    // Every example is needed before the folds are dealt: the input is collected.
    private readonly List<TextcatExample> _gold = [];
    private readonly List<TextcatPrediction> _predictions = [];

    // Predictions made elsewhere (objects with Scores): they get a card of their own once all are read.
    private readonly List<(TextcatExample Example, Dictionary<string, double> Scores)> _scored = [];

    /// <summary>The model name of predictions that are not Uptrain.TextcatPrediction objects.</summary>
    private const string OtherPredictions = "predictions";

    /// <summary>The gold examples (their Cats are the labels checked), or out-of-fold predictions of them; usually piped.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    [AllowEmptyCollection]
    public PSObject?[] InputObject { get; set; } = [];

    /// <summary>The number of folds (default 5): each fold is scored by a model trained on the others.</summary>
    [Parameter]
    [ValidateRange(2, 100)]
    public int Folds { get; set; } = 5;

    /// <summary>Held-out examples on which each fold's model keeps its best epoch (default: none; the training folds).</summary>
    [Parameter]
    public PSObject[]? EvalData { get; set; }

    /// <summary>Writes the examples with issues as review tasks (given labels pre-selected, most suspect first) to this file.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReviewPath { get; set; }

    /// <summary>Replaces an existing review file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        // Before the folds train, not after.
        if (ReviewPath is not null)
        {
            RunEngine(() => LabelIssueFinder.CheckReviewTarget(ResolveOutputPath(ReviewPath), Force.IsPresent));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var item in InputObject)
        {
            if (item?.BaseObject is TextcatPrediction prediction)
            {
                _predictions.Add(prediction);
            }
            else if (item?.Properties["Scores"]?.Value is { } scores)
            {
                foreach (var (_, example) in ExamplesOf([item]))
                {
                    try
                    {
                        _scored.Add((example, PipelineInput.ToLabelValues(scores, "Scores")));
                    }
                    catch (PSInvalidCastException ex)
                    {
                        WriteInvalidInput(ex, item);
                    }
                }
            }
            else if (item is not null)
            {
                _gold.AddRange(ExamplesOf([item]).Select(e => e.Example));
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        _predictions.AddRange(FromScored());
        if (_gold.Count > 0 && _predictions.Count > 0)
        {
            ThrowTerminating("MixedInput", ErrorCategory.InvalidData, null, Messages.LabelIssueMixedInput, _gold.Count, _predictions.Count);
        }
        if (_gold.Count == 0 && _predictions.Count == 0)
        {
            ThrowTerminating("NoExamples", ErrorCategory.InvalidData, null, Messages.LabelIssueNoInput);
        }
        var predictions = _predictions.Count > 0 ? _predictions : CrossPredict();
        if (predictions is null)
        {
            return;
        }
        var exclusive = BoundOrNull(Exclusive.IsPresent, nameof(Exclusive))
            ?? (predictions.Count > 0 ? predictions[0].Model.Exclusive : true);
        var issues = LabelIssueFinder.Rank(predictions, exclusive);
        WriteVerbose(string.Format(CultureInfo.CurrentCulture, Messages.LabelIssueFound, issues.Count, predictions.Count));
        if (ReviewPath is not null && issues.Count > 0)
        {
            var path = ResolveOutputPath(ReviewPath);
            if (ShouldProcess(path, string.Format(CultureInfo.CurrentCulture, Messages.LabelIssueReviewAction, issues.Count)))
            {
                var tasks = 0;
                RunEngine(() => WriteFile("ReviewWriteFailed", path, () => tasks = LabelIssueFinder.WriteReviewTasks(path, issues, exclusive, overwrite: Force.IsPresent)));
                WriteVerbose(string.Format(CultureInfo.CurrentCulture, Messages.LabelIssueReviewWritten, tasks, path));
            }
        }
        foreach (var issue in issues)
        {
            WriteObject(issue);
        }
    }

    // Predictions from objects with Scores, under one card: their labels in order of first appearance, exclusive as
    // -Exclusive says, else when every known gold has exactly one positive label.
    private IEnumerable<TextcatPrediction> FromScored()
    {
        if (_scored.Count == 0)
        {
            return [];
        }
        var card = new ModelCard
        {
            Path = OtherPredictions,
            Labels = _scored.SelectMany(s => s.Scores.Keys).Distinct(StringComparer.Ordinal).ToList(),
            Exclusive = BoundOrNull(Exclusive.IsPresent, nameof(Exclusive))
                ?? _scored.Where(s => s.Example.Cats.Count > 0).All(s => s.Example.Cats.Count(c => c.Value == 1.0) == 1),
        };
        return _scored.Select(s => new TextcatPrediction(s.Example, s.Scores, card));
    }

    // k-fold training on the gold; null when a stop came before any fold finished.
    private List<TextcatPrediction>? CrossPredict()
    {
        var recipe = CreateRecipe();
        List<TextcatExample>? eval = null;
        if (EvalData is not null)
        {
            eval = ExamplesOf(EvalData).Select(e => e.Example).ToList();
        }
        OutOfFoldResult? result = null;
        RunEngine(() => result = new BackgroundWork(this).Run(writer => OutOfFold.Predict(_gold, recipe, Folds, Seed, eval, writer, CancelToken)));
        if (result!.Stopped)
        {
            WriteWarning(string.Format(CultureInfo.CurrentCulture, Messages.LabelIssueStopped, result.FoldsDone, result.Folds, result.Predictions.Count, _gold.Count));
        }
        return result.FoldsDone == 0 ? null : result.Predictions.ToList();
    }
}
