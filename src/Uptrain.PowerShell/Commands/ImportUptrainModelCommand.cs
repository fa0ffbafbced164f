using System.Globalization;
using System.Management.Automation;
using Uptrain.Diagnostics;
using Uptrain.Hosting;
using Uptrain.Models;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Loads a model once, for scoring in many pipelines.</para>
/// </summary>
[Cmdlet(VerbsData.Import, "UptrainModel", DefaultParameterSetName = PathSet)]
[OutputType(typeof(TextcatModel))]
public sealed class ImportUptrainModelCommand : UptrainCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>Model folders (with uptrain-model.json); wildcards allowed, each matching model folder is loaded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Hosting.ModelFolderCompleter))]
    public string[] Path { get; set; } = [];

    /// <summary>Model folders, taken literally (a TrainingResult's ModelPath binds here).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "ModelPath")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Where the model scores: Auto (GPU when usable), Cpu or Cuda.</summary>
    [Parameter]
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    /// <summary>Load a teacher's 8-bit graph (written by Invoke-TeacherTraining -Quantize); it scores on the CPU.</summary>
    [Parameter]
    public SwitchParameter Quantized { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var path in literal ? LiteralPath : Path)
        {
            foreach (var folder in literal || !WildcardPattern.ContainsWildcardCharacters(path) ? [ResolveOutputPath(path)] : Matches(path))
            {
                RunEngine(() => WriteObject(LoadModel(folder, Device, Quantized.IsPresent)));
            }
        }
    }

    /// <summary>The model folders a wildcard matches; other matches are passed over, with a verbose line.</summary>
    private List<string> Matches(string pattern)
    {
        List<string> matches = [];
        try
        {
            matches = ResolveProviderPaths(pattern, literal: false);
        }
        catch (ItemNotFoundException)
        {
            // No match at all: reported below like a pattern that matches no model folder.
        }

        var folders = new List<string>();
        foreach (var match in matches)
        {
            if (ModelFolder.IsModelFolder(match))
            {
                folders.Add(match);
            }
            else
            {
                WriteVerbose(string.Format(CultureInfo.CurrentCulture, Messages.NotAModelFolder, match, ModelFolder.CardFileName));
            }
        }

        if (folders.Count == 0)
        {
            var message = string.Format(CultureInfo.CurrentCulture, Messages.NoModelMatches, pattern, ModelFolder.CardFileName);
            ThrowTerminatingError(ToErrorRecord(new UptrainException("ModelNotFound", ErrorKind.ObjectNotFound, message, pattern)));
        }

        return folders;
    }
}
