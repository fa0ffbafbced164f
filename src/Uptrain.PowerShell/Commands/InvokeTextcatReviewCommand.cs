using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using Uptrain.Hosting;
using Uptrain.Uptraining.Review;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Reviews texts in the terminal, one at a time, and appends the answers as Prodigy JSONL.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "TextcatReview", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(ReviewSummary))]
public sealed class InvokeTextcatReviewCommand : UptrainCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string InputObjectSet = "InputObject";

    // Every task is read before the first is shown: the screen says "n of N".
    private readonly List<ReviewTask> _tasks = [];
    private int _skippedLines;
    private string _target = string.Empty;

    /// <summary>Review task files (JSONL, as Select-UptrainExample -ReviewPath writes them); wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Review task files, taken literally.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Triage decisions (Uptrain.UptrainDecision) to review, typically Select-UptrainExample -Route Review.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    public UptrainDecision[] InputObject { get; set; } = [];

    /// <summary>The answers file (Prodigy JSONL); answers are appended, and tasks already answered there are skipped.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string OutputPath { get; set; } = string.Empty;

    /// <summary>The annotator id written with each answer.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Annotator { get; set; } = ReviewOptions.DefaultAnnotator;

    /// <inheritdoc />
    protected override void BeginProcessing() => _target = ResolveOutputPath(OutputPath);

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var decision in InputObject)
            {
                if (decision is not null)
                {
                    _tasks.Add(ReviewTask.FromDecision(decision));
                }
            }
            return;
        }
        ReadInputFiles(ParameterSetName == PathSet ? Path : LiteralPath, ParameterSetName == LiteralPathSet, file =>
        {
            ReviewSession.ThrowIfOutputIsInput(file, _target);
            _tasks.AddRange(ReviewSession.ReadTasks(file, Output, CancelToken, out var skipped));
            _skippedLines += skipped;
        });
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_tasks.Count == 0)
        {
            WriteWarning(Messages.ReviewNoTasks);
            return;
        }
        if (!ShouldProcess(_target, Messages.ReviewAction))
        {
            return;
        }
        if (!HostReviewConsole.CanInteract(Host))
        {
            ThrowHostCannotReview(null);
        }
        ReviewSummary? summary = null;
        var options = new ReviewOptions { Annotator = Annotator, SkippedLines = _skippedLines };
        try
        {
            RunEngine(() =>
            {
                using var session = new ReviewSession(new HostReviewConsole(Host), _target, options, Output);
                summary = session.Run(_tasks, CancelToken);
            });
        }
        catch (HostException ex)
        {
            // A host that shows but cannot read fails at the first prompt, before any answer.
            ThrowHostCannotReview(ex);
        }
        if (summary is not null)
        {
            WriteObject(summary);
        }
    }

    private void ThrowHostCannotReview(Exception? inner) =>
        ThrowTerminatingError(new ErrorRecord(
            new InvalidOperationException(string.Format(CultureInfo.CurrentCulture, Messages.ReviewHostCannotReview, Host.Name), inner),
            "HostCannotReview",
            ErrorCategory.NotImplemented,
            Host.Name));
}
