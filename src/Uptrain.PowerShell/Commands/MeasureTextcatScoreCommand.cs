using System.Management.Automation;
using Uptrain.Diagnostics;
using Uptrain.Hosting;
using Uptrain.Metrics;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Scores predictions against gold labels with spaCy's textcat metrics.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "TextcatScore")]
[OutputType(typeof(TextcatScore))]
public sealed class MeasureTextcatScoreCommand : UptrainCmdlet
{
    // Created with the first item, once the model card (if any) has said whether the task is exclusive.
    private TextcatScoreAccumulator? _accumulator;

    /// <summary>The gold labels of one example (label → 1/0; absent labels are unknown).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    public object? Cats { get; set; }

    /// <summary>The predicted probabilities of one example (label → 0..1).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    public object? Scores { get; set; }

    private string? _modelName;
    private bool _mixedModels;
    private long _items;

    /// <summary>The model that made the predictions; its card says whether the task is exclusive, its name names the score.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Hosting.ModelFolderCompleter))]
    public object? Model { get; set; }

    /// <summary>Decision threshold: 0.5 for multilabel and 0.0 for exclusive tasks unless given, as in spaCy.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Threshold { get; set; }

    /// <summary>For an exclusive task with two labels: the label whose F is the Score.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Hosting.ModelLabelCompleter))]
    public string? PositiveLabel { get; set; }

    /// <summary>The labels are mutually exclusive; -Exclusive:$false forces multilabel. By default inferred.</summary>
    [Parameter]
    public SwitchParameter Exclusive { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Dictionary<string, double> gold, predicted;
        try
        {
            gold = PipelineInput.ToLabelValues(Cats, nameof(Cats));
            predicted = PipelineInput.ToLabelValues(Scores, nameof(Scores));
        }
        catch (PSInvalidCastException ex)
        {
            WriteError(new ErrorRecord(ex, "InvalidScoreInput", ErrorCategory.InvalidData, Cats));
            return;
        }
        if (_accumulator is null)
        {
            RunEngine(() => _accumulator = new TextcatScoreAccumulator(CreateOptions()));
        }
        NoteModel();
        try
        {
            _accumulator!.Add(new ScoredItem(gold, predicted));
        }
        catch (UptrainException ex)
        {
            // A score or gold value outside 0..1: this item is skipped, the others are scored.
            WriteError(ex, Scores);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_accumulator is null || _accumulator.Count == 0)
        {
            ThrowTerminating("NoExamples", ErrorCategory.InvalidData, null, Messages.NoExamplesToScore);
        }
        if (_accumulator!.CountWithGold == 0)
        {
            ThrowTerminating("NoExamples", ErrorCategory.InvalidData, null, Messages.NoGoldToScore, _accumulator.Count);
        }
        foreach (var warning in _accumulator.LabelMismatches())
        {
            WriteWarning(warning);
        }
        RunEngine(() =>
        {
            var score = _accumulator!.Finish();
            score.Model = _mixedModels ? null : _modelName;
            WriteObject(score);
        });
    }

    /// <summary>Keeps the name of the model of the current item: the one name when all items share it.</summary>
    private void NoteModel()
    {
        var name = PipelineInput.ModelName(Model);
        if (_items++ == 0)
        {
            _modelName = name;
        }
        else if (!string.Equals(_modelName, name, StringComparison.Ordinal))
        {
            _mixedModels = true;
        }
    }

    private TextcatScorerOptions CreateOptions()
    {
        return new TextcatScorerOptions
        {
            Threshold = BoundOrNull(Threshold, nameof(Threshold)),
            PositiveLabel = PositiveLabel,
            Exclusive = BoundOrNull(Exclusive.IsPresent, nameof(Exclusive)) ?? PipelineInput.ModelExclusive(Model),
        };
    }
}
