using System.Management.Automation;
using Uptrain.Hosting;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Loads a model once, for scoring in many pipelines.</para>
/// </summary>
[Cmdlet(VerbsData.Import, "UptrainModel")]
[OutputType(typeof(TextcatModel))]
public sealed class ImportUptrainModelCommand : UptrainCmdlet
{
    /// <summary>The model folder (with uptrain-model.json).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "ModelPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Where the model scores: Auto (GPU when usable), Cpu or Cuda.</summary>
    [Parameter]
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var folder = ResolveOutputPath(Path);
        RunEngine(() => WriteObject(TextcatModel.Load(folder, Device, output: Output)));
    }
}
