using System.Globalization;
using System.Management.Automation;
using Uptrain.Data;
using Uptrain.Hosting;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Splits examples into train and eval sets, deterministically for a seed and independently of input order.</para>
/// </summary>
[Cmdlet(VerbsCommon.Split, "TextcatDataset", DefaultParameterSetName = EmitSet, SupportsShouldProcess = true)]
[OutputType(typeof(TextcatExample))]
public sealed class SplitTextcatDatasetCommand : UptrainCmdlet
{
    private const string EmitSet = "Emit";
    private const string WriteSet = "Write";

    // The default most uptraining recipes start from: a fifth of the gold data held out for evaluation.
    private const double DefaultEvalFraction = 0.2;

    private readonly List<TextcatExample> _examples = [];

    /// <summary>The examples to split.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
    public PSObject[] InputObject { get; set; } = [];

    /// <summary>The fraction of examples that go to eval (0 &lt; f &lt; 1).</summary>
    [Parameter]
    [ValidateRange(double.Epsilon, 1 - 1e-9)]
    public double EvalFraction { get; set; } = DefaultEvalFraction;

    /// <summary>The seed; the same seed and data always give the same split.</summary>
    [Parameter]
    public int Seed { get; set; }

    /// <summary>Keeps the proportion of each label combination the same in train and eval.</summary>
    [Parameter]
    public SwitchParameter Stratify { get; set; }

    /// <summary>Writes the train examples to this file instead of emitting them.</summary>
    [Parameter(Mandatory = true, ParameterSetName = WriteSet)]
    [ValidateNotNullOrEmpty]
    public string TrainPath { get; set; } = string.Empty;

    /// <summary>Writes the eval examples to this file instead of emitting them.</summary>
    [Parameter(Mandatory = true, ParameterSetName = WriteSet)]
    [ValidateNotNullOrEmpty]
    public string EvalPath { get; set; } = string.Empty;

    /// <summary>With -TrainPath/-EvalPath: the format; by default from each file's extension.</summary>
    [Parameter(ParameterSetName = WriteSet)]
    public TextcatWriteFormat? Format { get; set; }

    /// <summary>With -TrainPath/-EvalPath: overwrites existing files.</summary>
    [Parameter(ParameterSetName = WriteSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>With -TrainPath/-EvalPath: also emits the examples.</summary>
    [Parameter(ParameterSetName = WriteSet)]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (ParameterSetName != WriteSet)
        {
            return;
        }
        // Refuse before reading anything: a user who forgot -Force should not wait for the input first.
        if (TextcatWriter.SameFile(ResolveOutputPath(TrainPath), ResolveOutputPath(EvalPath)))
        {
            var both = ResolveOutputPath(TrainPath);
            ThrowTerminating("SameTrainAndEvalPath", ErrorCategory.InvalidArgument, both, Messages.SameTrainAndEvalPath, both);
        }
        foreach (var path in new[] { TrainPath, EvalPath })
        {
            var full = ResolveOutputPath(path);
            if (File.Exists(full) && !Force.IsPresent)
            {
                ThrowTerminating("FileExists", ErrorCategory.ResourceExists, full, Messages.SplitFileExists, full);
            }
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        _examples.AddRange(ExamplesOf(InputObject).Select(e => e.Example));
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_examples.Count == 0)
        {
            ThrowTerminating("NoExamples", ErrorCategory.InvalidData, null, Messages.NoExamplesToSplit);
        }
        IReadOnlyList<TextcatExample> split = [];
        RunEngine(() => split = DatasetSplitter.Split(_examples, EvalFraction, Seed, Stratify.IsPresent));
        var evalCount = split.Count(e => e.Split == DatasetSplitter.Eval);
        WriteVerbose(string.Format(CultureInfo.CurrentCulture, Messages.SplitDone, split.Count - evalCount, evalCount, Seed));

        if (ParameterSetName == WriteSet)
        {
            // Neither file is written when either is an input: the train file must not be replaced before the eval file fails.
            RunEngine(() =>
            {
                TextcatWriter.ThrowIfInput(ResolveOutputPath(TrainPath), split);
                TextcatWriter.ThrowIfInput(ResolveOutputPath(EvalPath), split);
            });
            WriteSplit(TrainPath, split.Where(e => e.Split == DatasetSplitter.Train));
            WriteSplit(EvalPath, split.Where(e => e.Split == DatasetSplitter.Eval));
            if (!PassThru.IsPresent)
            {
                return;
            }
        }
        foreach (var example in split)
        {
            WriteObject(example);
        }
    }

    private void WriteSplit(string path, IEnumerable<TextcatExample> examples)
    {
        var target = ResolveOutputPath(path);
        var format = Format ?? TextcatWriter.FormatFromExtension(target);
        if (!ShouldProcess(target, string.Format(CultureInfo.CurrentCulture, Messages.ExportAction, format)))
        {
            return;
        }
        var written = 0;
        RunEngine(() =>
        {
            using var writer = new TextcatWriter(target, format, Output);
            foreach (var example in examples)
            {
                CancelToken.ThrowIfCancellationRequested();
                writer.Write(example);
            }
            writer.Commit();
            written = writer.Count;
        });
        if (written == 0)
        {
            // A split with no examples on one side (a tiny dataset) leaves that file as it was, as Export-TextcatExample does.
            WriteWarning(string.Format(CultureInfo.CurrentCulture, Messages.ExportNothingWritten, target));
        }
    }
}
