using System.Management.Automation;
using Uptrain.Hosting;
using Uptrain.Metrics;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Compares models on the same held-out examples: the difference in their Score with a paired bootstrap 95% interval, a permutation p-value and a verdict.</para>
/// </summary>
[Cmdlet(VerbsData.Compare, "TextcatScore")]
[OutputType(typeof(ScoreComparison))]
public sealed class CompareTextcatScoreCommand : UptrainCmdlet
{
    private const string UnnamedReference = "reference";
    private const string UnnamedDifference = "difference";

    // The piped predictions by model name, in order of first appearance: all predictions are needed before resampling.
    private readonly List<(string Model, List<ComparedItem> Items)> _differences = [];

    /// <summary>The reference model's predictions of the held-out examples, with their gold Cats.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public PSObject[] ReferenceObject { get; set; } = [];

    /// <summary>The other models' predictions of the same examples, usually piped; grouped by their Model, one comparison per model.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    [AllowNull]
    [AllowEmptyCollection]
    public PSObject?[] DifferenceObject { get; set; } = [];

    /// <summary>Bootstrap resamples and permutations (default 2000; at least 1000).</summary>
    [Parameter]
    [ValidateRange(1000, 1_000_000)]
    public int Resamples { get; set; } = ScoreComparerOptions.DefaultResamples;

    /// <summary>Seed of the resampling (default 0): the same seed gives the same intervals.</summary>
    [Parameter]
    public int Seed { get; set; }

    /// <summary>Decision threshold: 0.5 for multilabel and 0.0 for exclusive tasks unless given, as in spaCy.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Threshold { get; set; }

    /// <summary>For an exclusive task with two labels: the label whose F is the Score.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PositiveLabel { get; set; }

    /// <summary>The labels are mutually exclusive; -Exclusive:$false forces multilabel. By default as the reference model's card says, else inferred.</summary>
    [Parameter]
    public SwitchParameter Exclusive { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var item in DifferenceObject)
        {
            if (item is null || ToItem(item) is not { } compared)
            {
                continue;
            }
            var name = PipelineInput.ModelName(item.Properties["Model"]?.Value) ?? UnnamedDifference;
            var group = _differences.FindIndex(g => g.Model == name);
            if (group < 0)
            {
                _differences.Add((name, []));
                group = _differences.Count - 1;
            }
            _differences[group].Items.Add(compared);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var referenceItems = new List<ComparedItem>();
        string? referenceName = null;
        bool? exclusiveFromModel = null;
        foreach (var item in ReferenceObject.Where(i => i is not null))
        {
            referenceName ??= PipelineInput.ModelName(item.Properties["Model"]?.Value);
            exclusiveFromModel ??= PipelineInput.ModelExclusive(item.Properties["Model"]?.Value);
            if (ToItem(item) is { } compared)
            {
                referenceItems.Add(compared);
            }
        }
        if (referenceItems.Count == 0 || _differences.Count == 0)
        {
            ThrowTerminating("NoExamples", ErrorCategory.InvalidData, null, referenceItems.Count == 0 ? Messages.CompareNoReference : Messages.CompareNoDifference);
        }
        var reference = new ComparedPredictions(referenceName ?? UnnamedReference, referenceItems);
        var others = _differences.Select(g => new ComparedPredictions(g.Model, g.Items)).ToList();
        var options = new ScoreComparerOptions
        {
            Resamples = Resamples,
            Seed = Seed,
            Threshold = BoundOrNull(Threshold, nameof(Threshold)),
            PositiveLabel = PositiveLabel,
            Exclusive = BoundOrNull(Exclusive.IsPresent, nameof(Exclusive)) ?? exclusiveFromModel,
        };
        IReadOnlyList<ScoreComparison>? comparisons = null;
        RunEngine(() => comparisons = new BackgroundWork(this).Run(writer => ScoreComparer.Compare(reference, others, options, writer, CancelToken)));
        foreach (var comparison in comparisons!)
        {
            WriteObject(comparison);
        }
    }

    // The item as a compared prediction; one that is not a prediction is reported and left out.
    private ComparedItem? ToItem(PSObject item)
    {
        try
        {
            var text = item.Properties["Text"]?.Value ?? throw new PSInvalidCastException(Messages.InputHasNoText);
            var hash = item.Properties["InputHash"]?.Value is { } h ? (long?)LanguagePrimitives.ConvertTo<long>(h) : null;
            if (item.Properties["Scores"]?.Value is not { } scores)
            {
                throw new PSInvalidCastException(Messages.CompareInputHasNoScores);
            }
            return new ComparedItem(
                LanguagePrimitives.ConvertTo<string>(text),
                hash,
                PipelineInput.ToLabelValues(item.Properties["Cats"]?.Value, "Cats"),
                PipelineInput.ToLabelValues(scores, "Scores"));
        }
        catch (PSInvalidCastException ex)
        {
            WriteInvalidInput(ex, item);
            return null;
        }
    }
}
