using System.Globalization;
using System.Management.Automation;
using Uptrain.Hosting;
using Uptrain.Text;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Scores texts with a trained model and emits one prediction per input, in input order.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "TextcatPrediction")]
[OutputType(typeof(TextcatPrediction))]
public sealed class InvokeTextcatPredictionCommand : UptrainCmdlet
{
    private const int ProgressActivityId = 21;

    // Blank texts (nothing but white space or invisible characters) stay in the window, unscored, so that
    // their errors come out in input order between the predictions.
    private readonly List<(PSObject Input, TextcatExample Example, long Position, bool Blank)> _window = [];
    private readonly ProgressThrottle _progress = new();
    private TextcatModel? _model;
    private bool _ownsModel;
    private long _inputs;
    private long _scored;
    private long _truncated;
    private System.Diagnostics.Stopwatch? _watch;

    // Inputs gathered before a window is scored: the engine's default window (it sorts a window by length to
    // cut padding), set once the batch size is known. The engine is told each window's size, so it cuts nowhere else.
    private int _windowSize;

    /// <summary>A model folder, or a model loaded by Import-UptrainModel.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    [ArgumentCompleter(typeof(Hosting.ModelFolderCompleter))]
    public object? Model { get; set; }

    /// <summary>Texts: strings, Uptrain.TextcatExample objects, or any objects with a Text property.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowEmptyString]
    public PSObject[] InputObject { get; set; } = [];

    /// <summary>Texts scored together in one call of the model (default 64).</summary>
    [Parameter]
    [ValidateRange(1, 4096)]
    public int BatchSize { get; set; } = TextcatModel.DefaultBatchSize;

    /// <summary>Where to score when -Model is a folder: Auto, Cpu or Cuda.</summary>
    [Parameter]
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    /// <summary>When -Model is a folder: score a teacher's 8-bit graph (written by Invoke-TeacherTraining -Quantize), on the CPU.</summary>
    [Parameter]
    public SwitchParameter Quantized { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _windowSize = BatchSize * TextcatModel.DefaultWindowBatches;
        var model = Model is PSObject wrapped ? wrapped.BaseObject : Model;
        switch (model)
        {
            case TextcatModel loaded:
                _model = loaded;
                break;
            case string or FileSystemInfo:
                var folder = ResolveOutputPath(model is FileSystemInfo info ? info.FullName : (string)model);
                RunEngine(() => _model = LoadModel(folder, Device, Quantized.IsPresent));
                _ownsModel = true;
                break;
            default:
                ThrowTerminating("InvalidModel", ErrorCategory.InvalidArgument, Model, Messages.InvalidModelArgument, model?.GetType().FullName);
                break;
        }
        _watch = System.Diagnostics.Stopwatch.StartNew();
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var (input, example) in ExamplesOf(InputObject))
        {
            _window.Add((input, example, ++_inputs, TextContent.IsBlank(example.Text)));
            if (_window.Count >= _windowSize)
            {
                ScoreWindow();
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        ScoreWindow();
        if (_scored > 0)
        {
            WriteProgress(new ProgressRecord(ProgressActivityId, Messages.PredictionActivity, " ") { RecordType = ProgressRecordType.Completed });
        }
        if (_truncated > 0)
        {
            WriteVerbose(string.Format(CultureInfo.CurrentCulture, Messages.PredictionTruncated, _truncated, _scored, _model!.MaxLength));
        }
    }

    private void ScoreWindow()
    {
        if (_window.Count == 0)
        {
            return;
        }
        var model = _model!;
        var index = 0;
        RunEngine(() =>
        {
            var texts = _window.Where(w => !w.Blank).Select(w => w.Example);
            foreach (var prediction in model.Predict(texts, BatchSize, _window.Count, CancelToken))
            {
                index = ReportBlank(index);
                WriteObject(Decorate(prediction, _window[index].Input));
                index++;
                _scored++;
                _truncated += prediction.Truncated ? 1 : 0;
            }
            ReportBlank(index);
        });
        _window.Clear();
        ReportProgress();
    }

    // Reports the blank texts of the window from `index` on; returns the index of the next text to score.
    private int ReportBlank(int index)
    {
        for (; index < _window.Count && _window[index].Blank; index++)
        {
            var (input, example, position, _) = _window[index];
            WriteError(new ErrorRecord(
                new InvalidDataException(string.Format(CultureInfo.CurrentCulture, Messages.PredictionEmptyText, example.Source ?? position.ToString(CultureInfo.CurrentCulture))),
                "EmptyText",
                ErrorCategory.InvalidData,
                input));
        }
        return index;
    }

    // Objects that are not Uptrain examples keep their other properties on the prediction.
    private static object Decorate(TextcatPrediction prediction, PSObject input)
    {
        if (input.BaseObject is TextcatExample or string)
        {
            return prediction;
        }
        var result = PSObject.AsPSObject(prediction);
        foreach (var property in input.Properties)
        {
            if (property.IsGettable && result.Properties[property.Name] is null)
            {
                result.Properties.Add(new PSNoteProperty(property.Name, property.Value));
            }
        }
        return result;
    }

    private void ReportProgress()
    {
        if (!_progress.IsDue())
        {
            return;
        }
        var rate = _scored / Math.Max(_watch!.Elapsed.TotalSeconds, 1e-3);
        WriteProgress(new ProgressRecord(
            ProgressActivityId,
            Messages.PredictionActivity,
            string.Format(CultureInfo.CurrentCulture, Messages.PredictionStatus, _scored, rate)));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsModel)
        {
            _model?.Dispose();
            _model = null;
        }
        base.Dispose(disposing);
    }
}
