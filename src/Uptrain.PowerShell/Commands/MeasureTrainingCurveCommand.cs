using System.Globalization;
using System.Management.Automation;
using Uptrain.Hosting;
using Uptrain.Metrics;
using Uptrain.Uptraining;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Trains models on growing fractions of the gold, several seeds each, on one fixed eval set: will more labelling help?</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "TrainingCurve")]
[OutputType(typeof(TrainingCurvePoint))]
public sealed class MeasureTrainingCurveCommand : RecipeCmdlet
{
    // The fractions are prefixes of a stratified order of all the gold: it is collected first.
    private readonly List<TextcatExample> _gold = [];

    /// <summary>The gold examples to train on, usually piped.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    [AllowEmptyCollection]
    public PSObject?[] TrainingData { get; set; } = [];

    /// <summary>The fixed eval set every model is scored on (and keeps its best epoch on).</summary>
    [Parameter(Mandatory = true)]
    public PSObject[] EvalData { get; set; } = [];

    /// <summary>The fractions of the gold, increasing, each above 0 and at most 1 (default 0.25, 0.5, 0.75, 1).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public double[] Fraction { get; set; } = [.. TrainingCurveOptions.DefaultFractions];

    /// <summary>Models per fraction (default 3), with the seeds -Seed, -Seed + 1, ...</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int SeedCount { get; set; } = TrainingCurveOptions.DefaultSeeds;

    /// <summary>Bootstrap resamples of the eval texts for the intervals (default 2000; at least 1000).</summary>
    [Parameter]
    [ValidateRange(1000, 1_000_000)]
    public int Resamples { get; set; } = ScoreComparerOptions.DefaultResamples;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        _gold.AddRange(ExamplesOf(TrainingData).Select(e => e.Example));
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var eval = ExamplesOf(EvalData).Select(e => e.Example).ToList();
        var recipe = CreateRecipe();
        var options = new TrainingCurveOptions { Fractions = Fraction, Seeds = SeedCount, Seed = Seed, Resamples = Resamples };
        TrainingCurveResult? result = null;
        RunEngine(() => result = new BackgroundWork(this).Run(writer => TrainingCurve.Measure(_gold, eval, recipe, options, writer, CancelToken)));
        if (result!.Stopped)
        {
            WriteWarning(string.Format(CultureInfo.CurrentCulture, Messages.CurveStopped, result.Points.Count, Fraction.Length));
        }
        if (TrainingCurve.SmallEvalWarning(result.Points) is { } warning)
        {
            WriteWarning(warning);
        }
        foreach (var point in result.Points)
        {
            WriteObject(point);
        }
    }
}
