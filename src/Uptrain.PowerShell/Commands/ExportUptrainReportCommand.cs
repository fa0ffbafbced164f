using System.Collections;
using System.Globalization;
using System.Management.Automation;
using Uptrain.Diagnostics;
using Uptrain.Hosting;
using Uptrain.Reporting;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Writes one self-contained HTML report of an uptraining run: training curves, thresholds, routes, confusion matrices and the model comparison.</para>
/// </summary>
[Cmdlet(VerbsData.Export, "UptrainReport", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportUptrainReportCommand : UptrainCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    // The page needs every object of the run: they are collected, then written once in EndProcessing.
    private readonly UptrainReport _report = new();
    private string _target = string.Empty;

    /// <summary>The HTML file to write.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The HTML file to write, the path taken literally.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = string.Empty;

    /// <summary>The objects of a run in any mix: TrainingResult, TextcatScore, objects with Name and Score, ThresholdSet, TextcatPrediction, UptrainDecision, ScoreComparison, TrainingCurvePoint.</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    [AllowEmptyCollection]
    public PSObject?[] InputObject { get; set; } = [];

    /// <summary>Training results (Invoke-TeacherTraining, Invoke-StudentTraining), each shown under its model folder's name.</summary>
    [Parameter]
    [ValidateNotNull]
    public TrainingResult[] TrainingResult { get; set; } = [];

    /// <summary>Scores by model name: a hashtable name → TextcatScore, objects with Name and Score, or unnamed scores.</summary>
    [Parameter]
    [ValidateNotNull]
    public object[] Score { get; set; } = [];

    /// <summary>The triage thresholds: a ThresholdSet from Find-UptrainThreshold or the path of its JSON file.</summary>
    [Parameter]
    [ThresholdSetArgument]
    [ValidateNotNull]
    public ThresholdSet? Threshold { get; set; }

    /// <summary>The held-out predictions (with gold Cats) the thresholds were found on, for the precision and coverage curves.</summary>
    [Parameter]
    [ValidateNotNull]
    public TextcatPrediction[] EvalPrediction { get; set; } = [];

    /// <summary>Triage decisions from Select-UptrainExample, counted by route.</summary>
    [Parameter]
    [ValidateNotNull]
    public UptrainDecision[] Decision { get; set; } = [];

    /// <summary>Measured scoring speeds: a hashtable model name → texts per second.</summary>
    [Parameter]
    [ValidateNotNull]
    public IDictionary? Throughput { get; set; }

    /// <summary>The report's heading.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Title { get; set; }

    /// <summary>Overwrites an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emits the written file (a FileInfo).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _target = ResolveOutputPath(ParameterSetName == LiteralPathSet ? LiteralPath : Path);
        if (!Force.IsPresent)
        {
            // Before a long pipeline runs, not after.
            RunEngine(() => ReportWriter.ThrowIfExists(_target));
        }
        if (Title is not null)
        {
            _report.Title = Title;
        }
        foreach (var run in TrainingResult)
        {
            _report.AddRun(run);
        }
        if (Threshold is not null)
        {
            _report.Thresholds = Threshold;
        }
        foreach (var prediction in EvalPrediction)
        {
            _report.AddEvalPrediction(prediction);
        }
        foreach (var decision in Decision)
        {
            _report.AddDecision(decision);
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var item in InputObject)
        {
            if (item is not null)
            {
                Add(item);
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        // After the piped runs, so that the rows follow the runs and a score joins the run of its name.
        foreach (var score in Score)
        {
            Add(PSObject.AsPSObject(score));
        }
        if (Throughput is not null)
        {
            foreach (DictionaryEntry entry in Throughput)
            {
                var name = LanguagePrimitives.ConvertTo<string>(entry.Key);
                RunEngine(() => _report.SetThroughput(name, LanguagePrimitives.ConvertTo<double>(entry.Value)));
            }
        }
        if (!_report.HasContent)
        {
            ThrowTerminating("NothingToReport", ErrorCategory.InvalidData, null, Messages.ReportNothing);
        }
        if (!ShouldProcess(_target, Messages.ReportAction))
        {
            return;
        }
        RunEngine(() => WriteFile("ReportWriteFailed", _target, () => ReportWriter.Write(_report, _target, overwrite: Force.IsPresent)));
        WriteVerbose(string.Format(CultureInfo.CurrentCulture, Messages.ReportDone, _report.Models.Count, _target));
        if (PassThru.IsPresent)
        {
            // What Get-Item gives, provider properties and all, so that the file shows as Get-ChildItem shows it.
            WriteObject(InvokeProvider.Item.Get([_target], force: false, literalPath: true), enumerateCollection: true);
        }
    }

    // One object of the run, by its type; anything else is InvalidInputObject and the rest goes on.
    private void Add(PSObject item)
    {
        try
        {
            switch (item.BaseObject)
            {
                case TrainingResult run: _report.AddRun(run); break;
                case TextcatScore score: _report.AddScore(score); break;
                case UptrainDecision decision: _report.AddDecision(decision); break;
                case TextcatPrediction prediction: _report.AddEvalPrediction(prediction); break;
                case ScoreComparison comparison: _report.AddComparison(comparison); break;
                case TrainingCurvePoint point: _report.AddCurvePoint(point); break;
                case ThresholdSet thresholds when _report.Thresholds is null: _report.Thresholds = thresholds; break;
                case ThresholdSet:
                    throw new UptrainException("DuplicateThresholds", ErrorKind.InvalidArgument, Messages.ReportDuplicateThresholds);
                case IDictionary scores:
                    foreach (var (key, score) in NamedEntries(scores))
                    {
                        AddNamedScore(key, score, null);
                    }
                    break;
                default:
                    if (item.Properties["Name"]?.Value is { } name && item.Properties["Score"] is { } scoreProperty)
                    {
                        AddNamedScore(LanguagePrimitives.ConvertTo<string>(name), scoreProperty.Value, item.Properties["TextsPerSecond"]?.Value);
                        break;
                    }
                    throw new PSInvalidCastException(string.Format(
                        CultureInfo.CurrentCulture, Messages.ReportInvalidInput, item.TypeNames.FirstOrDefault() ?? item.BaseObject.GetType().FullName));
            }
        }
        catch (PSInvalidCastException ex)
        {
            WriteInvalidInput(ex, item);
        }
        catch (UptrainException ex)
        {
            WriteError(ex, item);
        }
    }

    // An ordered dictionary ([ordered]@{}) in its order; a plain hashtable, whose order changes from run to run, by name.
    private static IEnumerable<(string Name, object? Value)> NamedEntries(IDictionary entries)
    {
        var named = entries.Cast<DictionaryEntry>().Select(e => (Name: LanguagePrimitives.ConvertTo<string>(e.Key), e.Value));
        return entries is System.Collections.Specialized.IOrderedDictionary ? named : named.OrderBy(e => e.Name, StringComparer.Ordinal);
    }

    private void AddNamedScore(string name, object? value, object? textsPerSecond)
    {
        if ((value is PSObject wrapped ? wrapped.BaseObject : value) is not TextcatScore score)
        {
            throw new PSInvalidCastException(string.Format(
                CultureInfo.CurrentCulture, Messages.ReportInvalidScoreEntry, name, value?.GetType().FullName ?? "null"));
        }
        _report.AddScore(name, score);
        if (textsPerSecond is not null)
        {
            _report.SetThroughput(name, LanguagePrimitives.ConvertTo<double>(textsPerSecond));
        }
    }
}
