using System.Management.Automation;
using Uptrain.Data;
using Uptrain.Hosting;
using Uptrain.Uptraining;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Triages a scored pool: accepts confident texts into a silver dataset, sends uncertain ones to review, skips the rest.</para>
/// </summary>
[Cmdlet(VerbsCommon.Select, "UptrainExample", SupportsShouldProcess = true, DefaultParameterSetName = BoundsSet)]
[OutputType(typeof(UptrainDecision))]
public sealed class SelectUptrainExampleCommand : UptrainCmdlet
{
    private const string ThresholdSetName = "Threshold";
    private const string BoundsSet = "HighLow";

    private UptrainSelector? _selector;
    private HashSet<TriageRoute> _routes = [];

    /// <summary>The predictions: Uptrain.TextcatPrediction from Invoke-TextcatPrediction (or decisions, triaged again).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject?[] InputObject { get; set; } = [];

    /// <summary>The thresholds: a ThresholdSet from Find-UptrainThreshold or the path of its JSON file.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ThresholdSetName)]
    [ThresholdSetArgument]
    [ValidateNotNull]
    public ThresholdSet? Threshold { get; set; }

    /// <summary>One High for every label (default 0.9).</summary>
    [Parameter(ParameterSetName = BoundsSet)]
    [ValidateRange(0.0, 1.0)]
    public double High { get; set; } = UptrainSelectOptions.DefaultHigh;

    /// <summary>One Low for every label (default 0.1 for multilabel data, 0 for exclusive data).</summary>
    [Parameter(ParameterSetName = BoundsSet)]
    [ValidateRange(0.0, 1.0)]
    public double Low { get; set; }

    /// <summary>The routes whose decisions are emitted (default all).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public TriageRoute[] Route { get; set; } = [TriageRoute.Accept, TriageRoute.Review, TriageRoute.Skip];

    /// <summary>Multilabel: accept the decisive labels of a text whose other labels are uncertain, leaving those unknown.</summary>
    [Parameter]
    public SwitchParameter AcceptPartial { get; set; }

    /// <summary>Multilabel: accept a text whose labels are all confidently negative as an all-negative example.</summary>
    [Parameter]
    public SwitchParameter KeepNegatives { get; set; }

    /// <summary>Texts to drop from the pool: examples (objects with Text) or paths of files Import-TextcatExample reads.</summary>
    [Parameter]
    [ValidateNotNull]
    public object[]? Exclude { get; set; }

    /// <summary>The silver dataset (Prodigy JSONL) that accepted texts are appended to.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Dataset { get; set; }

    /// <summary>The review task file (Prodigy JSONL) for the texts routed to review, most uncertain first.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReviewPath { get; set; }

    /// <summary>Writes only this many review tasks: the most uncertain.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int ReviewBudget { get; set; }

    /// <summary>Overwrites an existing review file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _routes = [.. Route];
        var exclude = Exclude is null ? null : ExcludeSetOf(Exclude);
        var dataset = Dataset is null ? null : ResolveOutputPath(Dataset);
        var review = ReviewPath is null ? null : ResolveOutputPath(ReviewPath);
        if (dataset is not null && !ShouldProcess(dataset, Messages.TriageSelectDatasetAction))
        {
            dataset = null;
        }
        if (review is not null && !ShouldProcess(review, Messages.TriageSelectReviewAction))
        {
            review = null;
        }
        var options = new UptrainSelectOptions
        {
            Thresholds = Threshold,
            High = High,
            Low = BoundOrNull(Low, nameof(Low)),
            Triage = new TriageOptions { AcceptPartial = AcceptPartial.IsPresent, KeepNegatives = KeepNegatives.IsPresent },
            Exclude = exclude,
            DatasetPath = dataset,
            ReviewPath = review,
            ReviewBudget = BoundOrNull(ReviewBudget, nameof(ReviewBudget)),
            OverwriteReview = Force.IsPresent,
        };
        RunEngine(() => _selector = new UptrainSelector(options, Output, CancelToken));
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (_selector is not { } selector)
        {
            return;
        }
        foreach (var input in InputObject)
        {
            if (input is not null)
            {
                Triage(selector, input);
            }
        }
    }

    private void Triage(UptrainSelector selector, PSObject input)
    {
        var prediction = input.BaseObject switch
        {
            TextcatPrediction p => p,
            UptrainDecision d => d.Prediction,
            _ => null,
        };
        if (prediction is null)
        {
            WriteError(new ErrorRecord(
                new PSArgumentException(string.Format(System.Globalization.CultureInfo.CurrentCulture, Messages.TriageInputNotPrediction, input.BaseObject.GetType().FullName)),
                "InvalidInputObject", ErrorCategory.InvalidType, input));
            return;
        }
        UptrainDecision? decision = null;
        RunEngine(() => decision = selector.Route(prediction));
        if (decision is not null && _routes.Contains(decision.Route))
        {
            WriteObject(decision);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_selector is { } selector)
        {
            RunEngine(selector.Finish);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _selector?.Dispose();
            _selector = null;
        }
        base.Dispose(disposing);
    }

    // Strings and FileInfo are files (read as Import-TextcatExample reads them; a missing file stops the run,
    // so that eval texts never leak in by a typo); anything else is an example, or an object with Text.
    private ExcludeSet ExcludeSetOf(IEnumerable<object> items)
    {
        var set = new ExcludeSet();
        foreach (var item in items)
        {
            var value = item is PSObject wrapped ? wrapped.BaseObject : item;
            switch (value)
            {
                case string or FileInfo:
                    // A FileInfo names its file; a string is a path, with wildcards that must match.
                    var (path, literal) = value is FileInfo info ? (info.FullName, true) : ((string)value, false);
                    ReadInputFiles(
                        [path],
                        literal,
                        file =>
                        {
                            foreach (var example in TextcatReader.Read(file, new TextcatReadOptions(), Output, CancelToken))
                            {
                                set.Add(example.Text);
                            }
                        },
                        required: true);
                    break;
                case TextcatExample example:
                    set.Add(example.Text);
                    break;
                case TextcatPrediction prediction:
                    set.Add(prediction.Text);
                    break;
                case UptrainDecision decision:
                    set.Add(decision.Text);
                    break;
                default:
                    set.Add(ExcludeText(PSObject.AsPSObject(item)));
                    break;
            }
        }
        return set;
    }

    private string ExcludeText(PSObject item)
    {
        try
        {
            return PipelineInput.ToExample(item).Text;
        }
        catch (PSInvalidCastException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidExclude", ErrorCategory.InvalidArgument, item));
            return string.Empty;
        }
        catch (Diagnostics.UptrainException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            return string.Empty;
        }
    }
}
