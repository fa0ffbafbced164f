using System.Globalization;
using System.Management.Automation;
using Uptrain.Diagnostics;
using Uptrain.Hosting;
using Uptrain.Uptraining;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Finds triage thresholds (High, Low) on held-out predictions from a target precision.</para>
/// </summary>
[Cmdlet(VerbsCommon.Find, "UptrainThreshold", DefaultParameterSetName = NoFileSet, SupportsShouldProcess = true)]
[OutputType(typeof(ThresholdSet))]
public sealed class FindUptrainThresholdCommand : UptrainCmdlet
{
    private const string NoFileSet = "NoFile";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    // The search needs every held-out prediction (candidates are all distinct scores): they are buffered.
    private readonly List<TextcatPrediction> _predictions = [];
    private ThresholdSearchOptions _options = new();
    private string? _target;

    /// <summary>Predictions of held-out texts with gold Cats, from Invoke-TextcatPrediction.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowEmptyCollection]
    public TextcatPrediction[] InputObject { get; set; } = [];

    /// <summary>The share of auto-accepted labels that must be right, in (0, 1].</summary>
    [Parameter]
    public double TargetPrecision { get; set; } = ThresholdSearchOptions.DefaultTargetPrecision;

    /// <summary>The share of confident negatives (multilabel) that must be right; by default -TargetPrecision.</summary>
    [Parameter]
    public double TargetNegativePrecision { get; set; }

    /// <summary>A pair per label (default for multilabel); -PerLabel:$false gives one pair for all labels (default for exclusive).</summary>
    [Parameter]
    public SwitchParameter PerLabel { get; set; }

    /// <summary>The fewest held-out texts a candidate threshold must decide.</summary>
    [Parameter]
    public int MinSupport { get; set; } = ThresholdSearchOptions.DefaultMinSupport;

    /// <summary>A Low of your own instead of a searched one (exclusive models: by default 0, nothing skipped).</summary>
    [Parameter]
    public double Low { get; set; }

    /// <summary>Also writes the thresholds to this JSON file (for Select-UptrainExample -Threshold).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Also writes the thresholds to this JSON file, the path taken literally.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = string.Empty;

    /// <summary>Overwrites an existing -Path file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _options = new ThresholdSearchOptions
        {
            TargetPrecision = TargetPrecision,
            TargetNegativePrecision = BoundOrNull(TargetNegativePrecision, nameof(TargetNegativePrecision)),
            PerLabel = BoundOrNull(PerLabel.IsPresent, nameof(PerLabel)),
            MinSupport = MinSupport,
            Low = BoundOrNull(Low, nameof(Low)),
        };
        RunEngine(() => ThresholdSearch.Validate(_options));
        if (ParameterSetName == NoFileSet)
        {
            return;
        }
        var target = ResolveOutputPath(ParameterSetName == PathSet ? Path : LiteralPath);
        if (!ShouldProcess(target, Messages.ThresholdWriteAction))
        {
            return;
        }
        if (!Force.IsPresent && File.Exists(target))
        {
            ThrowTerminating("FileExists", ErrorCategory.ResourceExists, target, Messages.ThresholdFileExists, target);
        }
        _target = target;
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var prediction in InputObject)
        {
            if (prediction is not null)
            {
                _predictions.Add(prediction);
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        ThresholdSet? set = null;
        RunEngine(() => set = ThresholdSearch.Find(_predictions, _options, Output));
        if (_target is { } target)
        {
            if (!Force.IsPresent && File.Exists(target))
            {
                ThrowTerminating("FileExists", ErrorCategory.ResourceExists, target, Messages.ThresholdFileExists, target);
            }
            WriteFile("ThresholdWriteFailed", target, () => ThresholdSetFile.Write(set!, target, overwrite: Force.IsPresent));
            WriteVerbose(string.Format(CultureInfo.CurrentCulture, Messages.ThresholdWritten, set!.Labels.Count, target));
        }
        WriteObject(set);
    }
}
