using System.Management.Automation;
using Uptrain.Data;
using Uptrain.Hosting;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Converts a Prodigy JSONL export (db-out) into Uptrain.TextcatExample objects.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertFrom, "ProdigyJsonl", DefaultParameterSetName = PathSet)]
[OutputType(typeof(TextcatExample))]
public sealed class ConvertFromProdigyJsonlCommand : UptrainCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string InputObjectSet = "InputObject";
    private const string PipelineSource = "<pipeline>";

    private ProdigyJsonlReader? _reader;
    private long _pipedLine;

    /// <summary>Files to read; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Files to read, taken literally.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>JSONL lines (one record per line; a string may hold several lines).</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [AllowEmptyString]
    public string InputObject { get; set; } = string.Empty;

    /// <summary>Declares the label set, or restricts it: annotations of other labels are dropped.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Label { get; set; }

    /// <summary>Every example must have exactly one positive label; the other labels become 0.</summary>
    [Parameter]
    public SwitchParameter Exclusive { get; set; }

    /// <summary>How disagreeing answers on one label are resolved when rows are merged.</summary>
    [Parameter]
    public ConflictPolicy ConflictPolicy { get; set; } = ConflictPolicy.Majority;

    /// <summary>Whose answers win when rows of one text come from people and from triage: Human (default) or None.</summary>
    [Parameter]
    public SourcePreference PreferSource { get; set; } = SourcePreference.Human;

    /// <summary>Emits one example per row, without merging rows of the same input; streams in constant memory.</summary>
    [Parameter]
    public SwitchParameter NoMerge { get; set; }

    /// <summary>The text encoding of the files; by default UTF-8 (UTF-16 and UTF-32 are told by a byte order mark or, for UTF-16, by its zero bytes).</summary>
    [Parameter]
    [EncodingArgument]
    [ArgumentCompleter(typeof(Hosting.EncodingCompleter))]
    public System.Text.Encoding? Encoding { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        var options = new ProdigyReadOptions
        {
            Labels = Label,
            Exclusive = Exclusive.IsPresent,
            ConflictPolicy = ConflictPolicy,
            PreferSource = PreferSource,
            NoMerge = NoMerge.IsPresent,
            Encoding = Encoding,
        };
        _reader = new ProdigyJsonlReader(options, Output);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var reader = _reader!;
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var line in InputObject.Split('\n'))
            {
                _pipedLine++;
                RunEngine(() => Emit(reader.AddLine(line.TrimEnd('\r'), PipelineSource, _pipedLine)));
            }
            return;
        }
        ReadInputFiles(ParameterSetName == PathSet ? Path : LiteralPath, ParameterSetName == LiteralPathSet, file => Emit(reader.ReadFile(file, CancelToken)));
    }

    /// <inheritdoc />
    protected override void EndProcessing() => RunEngine(() => Emit(_reader!.Complete()));

    private void Emit(IEnumerable<TextcatExample> examples)
    {
        foreach (var example in examples)
        {
            CancelToken.ThrowIfCancellationRequested();
            WriteObject(example);
        }
    }
}
