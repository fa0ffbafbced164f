using System.Globalization;
using System.Management.Automation;
using Uptrain.Diagnostics;

namespace Uptrain.Hosting;

/// <summary>
/// What Invoke-TeacherTraining and Invoke-StudentTraining share: the data and output parameters, reading the eval
/// data, and a run on a background thread whose progress and messages reach the pipeline, ending in one
/// <see cref="TrainingResult"/>.
/// </summary>
public abstract class TrainingCmdlet : UptrainCmdlet
{
    /// <summary>The examples to train on, usually piped.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject[] TrainingData { get; set; } = [];

    /// <summary>Held-out examples scored after every epoch; the best epoch's weights are kept.</summary>
    [Parameter]
    public PSObject[]? EvalData { get; set; }

    /// <summary>The folder to write the model to.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string OutputPath { get; set; } = string.Empty;

    /// <summary>Seed for every random choice.</summary>
    [Parameter]
    public int Seed { get; set; }

    /// <summary>The labels are mutually exclusive (softmax). -Exclusive:$false forces multilabel. By default inferred.</summary>
    [Parameter]
    public SwitchParameter Exclusive { get; set; }

    /// <summary>Replaces an existing model folder.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>-Exclusive as given, or null when it was not given (the trainer infers it).</summary>
    protected bool? ExclusiveOption => BoundOrNull(Exclusive.IsPresent, nameof(Exclusive));

    /// <summary>The eval data as examples; an object that is not one stops the command with <c>InvalidEvalData</c>.</summary>
    protected List<TextcatExample>? EvalExamples()
    {
        if (EvalData is null)
        {
            return null;
        }
        try
        {
            return EvalData.Where(e => e is not null).Select(PipelineInput.ToExample).ToList();
        }
        catch (PSInvalidCastException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidEvalData", ErrorCategory.InvalidData, EvalData));
            return null;
        }
    }

    /// <summary>
    /// Asks ShouldProcess with <paramref name="action"/>, then runs <paramref name="train"/> on a background thread,
    /// warns when the user stopped it, and writes its result.
    /// </summary>
    protected void Train(string output, string action, Func<IOutputWriter, TrainingResult> train)
    {
        if (!ShouldProcess(output, action))
        {
            return;
        }
        var work = new BackgroundWork(this);
        TrainingResult? result = null;
        RunEngine(() => result = work.Run(train));
        if (result!.Stopped)
        {
            WriteWarning(string.Format(CultureInfo.CurrentCulture, Messages.TrainingStoppedWarning, result.BestEpoch, result.ModelPath));
        }
        WriteObject(result);
    }
}
