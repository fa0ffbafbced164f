using System.Management.Automation;
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
    private readonly List<ScoredItem> _items = [];
    private bool? _exclusiveFromModel;

    /// <summary>The gold labels of one example (label → 1/0; absent labels are unknown).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    public object? Cats { get; set; }

    /// <summary>The predicted probabilities of one example (label → 0..1).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    public object? Scores { get; set; }

    /// <summary>The model that made the predictions; its card says whether the task is exclusive.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public object? Model { get; set; }

    /// <summary>Decision threshold: 0.5 for multilabel and 0.0 for exclusive tasks unless given, as in spaCy.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Threshold { get; set; }

    /// <summary>For an exclusive task with two labels: the label whose F is the Score.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PositiveLabel { get; set; }

    /// <summary>The labels are mutually exclusive; -Exclusive:$false forces multilabel. By default inferred.</summary>
    [Parameter]
    public SwitchParameter Exclusive { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (_exclusiveFromModel is null && Model is not null)
        {
            var exclusive = PSObject.AsPSObject(Model).Properties["Exclusive"]?.Value;
            if (exclusive is not null && LanguagePrimitives.TryConvertTo<bool>(exclusive, out var value))
            {
                _exclusiveFromModel = value;
            }
        }
        try
        {
            var gold = PipelineInput.ToLabelValues(Cats, nameof(Cats));
            var predicted = PipelineInput.ToLabelValues(Scores, nameof(Scores));
            _items.Add(new ScoredItem(gold, predicted));
        }
        catch (PSInvalidCastException ex)
        {
            WriteError(new ErrorRecord(ex, "InvalidScoreInput", ErrorCategory.InvalidData, Cats));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_items.Count == 0)
        {
            ThrowTerminating("NoExamples", ErrorCategory.InvalidData, null, Messages.NoExamplesToScore);
        }
        var options = new TextcatScorerOptions
        {
            Threshold = MyInvocation.BoundParameters.ContainsKey(nameof(Threshold)) ? Threshold : null,
            PositiveLabel = PositiveLabel,
            Exclusive = MyInvocation.BoundParameters.ContainsKey(nameof(Exclusive)) ? Exclusive.IsPresent : _exclusiveFromModel,
        };
        RunEngine(() => WriteObject(TextcatScorer.Score(_items, options)));
    }
}
