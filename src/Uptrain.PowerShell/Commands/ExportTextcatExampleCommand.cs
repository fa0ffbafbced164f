using System.Globalization;
using System.Management.Automation;
using Uptrain.Data;
using Uptrain.Hosting;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Writes examples to spaCy JSONL, spaCy tuples, CSV or Prodigy JSONL, safely.</para>
/// </summary>
[Cmdlet(VerbsData.Export, "TextcatExample", SupportsShouldProcess = true)]
public sealed class ExportTextcatExampleCommand : UptrainCmdlet
{
    private TextcatWriter? _writer;
    private string _target = string.Empty;

    /// <summary>The file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("PSPath", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The examples: Uptrain.TextcatExample, or any object with Text (and Cats, Meta); predictions add score columns to CSV.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject[] InputObject { get; set; } = [];

    /// <summary>The format; by default Csv for .csv/.tsv files, else SpacyJsonl.</summary>
    [Parameter]
    public TextcatWriteFormat? Format { get; set; }

    /// <summary>Adds to an existing file, flushing after every example.</summary>
    [Parameter]
    public SwitchParameter Append { get; set; }

    /// <summary>Overwrites an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _target = ResolveOutputPath(Path);
        var format = Format ?? TextcatWriter.FormatFromExtension(_target);
        if (!ShouldProcess(_target, string.Format(CultureInfo.CurrentCulture, Messages.ExportAction, format)))
        {
            return;
        }
        RunEngine(() =>
        {
            if (!Append.IsPresent && !Force.IsPresent)
            {
                TextcatWriter.ThrowIfExists(_target);
            }
            _writer = new TextcatWriter(_target, format, Output, Append.IsPresent);
        });
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var writer = _writer;
        if (writer is null)
        {
            return;
        }
        foreach (var (input, example) in ExamplesOf(InputObject))
        {
            if (!TryGetScores(input, out var scores))
            {
                continue;
            }
            RunEngine(() => writer.Write(example, scores));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var writer = _writer;
        if (writer is null)
        {
            return;
        }
        RunEngine(writer.Commit);
        if (writer.Count == 0)
        {
            // An empty input (a typo in the path upstream) must not empty or create the target.
            WriteWarning(string.Format(CultureInfo.CurrentCulture, Messages.ExportNothingWritten, _target));
            return;
        }
        WriteVerbose(string.Format(CultureInfo.CurrentCulture, Messages.ExportDone, writer.Count, _target));
    }

    // Predictions (Uptrain.TextcatPrediction, or any object with Scores) carry their scores to the CSV score columns.
    private bool TryGetScores(PSObject input, out IReadOnlyDictionary<string, double>? scores)
    {
        scores = null;
        if (input.BaseObject is TextcatPrediction prediction)
        {
            scores = prediction.Scores;
            return true;
        }
        if (input.BaseObject is TextcatExample || input.Properties["Scores"]?.Value is not { } value)
        {
            return true;
        }
        try
        {
            scores = PipelineInput.ToLabelValues(value, nameof(TextcatPrediction.Scores));
            return true;
        }
        catch (PSInvalidCastException ex)
        {
            WriteInvalidInput(ex, input);
            return false;
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Not committed (Ctrl+C, a terminating error): the temporary file goes, the target stays as it was.
            _writer?.Dispose();
            _writer = null;
        }
        base.Dispose(disposing);
    }
}
