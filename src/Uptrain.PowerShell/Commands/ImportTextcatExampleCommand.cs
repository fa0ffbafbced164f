using System.Management.Automation;
using Uptrain.Data;
using Uptrain.Hosting;

namespace Uptrain.Commands;

/// <summary>
/// <para type="synopsis">Reads labelled (or unlabelled) texts from spaCy JSONL, spaCy tuples, CSV, plain text or Prodigy JSONL.</para>
/// </summary>
[Cmdlet(VerbsData.Import, "TextcatExample", DefaultParameterSetName = PathSet)]
[OutputType(typeof(TextcatExample))]
public sealed class ImportTextcatExampleCommand : UptrainCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>Files to read; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Files to read, taken literally.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>The file format; Auto decides from the extension and the first line.</summary>
    [Parameter]
    public TextcatFormat Format { get; set; } = TextcatFormat.Auto;

    /// <summary>CSV: the column holding the text (default "text").</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Hosting.CsvColumnCompleter))]
    public string? TextColumn { get; set; }

    /// <summary>CSV: one column whose values are label names, or several 0/1 columns named after their labels.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Hosting.CsvColumnCompleter))]
    public string[]? LabelColumn { get; set; }

    /// <summary>CSV: the field delimiter (default "," and tab for .tsv files).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Delimiter { get; set; }

    /// <summary>The text encoding of the files; by default UTF-8 (UTF-16 and UTF-32 are told by a byte order mark or, for UTF-16, by its zero bytes).</summary>
    [Parameter]
    [EncodingArgument]
    [ArgumentCompleter(typeof(Hosting.EncodingCompleter))]
    public System.Text.Encoding? Encoding { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var options = new TextcatReadOptions
        {
            Format = Format,
            TextColumn = TextColumn ?? TextcatReadOptions.DefaultTextColumn,
            LabelColumns = LabelColumn,
            Delimiter = Delimiter,
            Encoding = Encoding,
        };
        ReadInputFiles(ParameterSetName == PathSet ? Path : LiteralPath, ParameterSetName == LiteralPathSet, file =>
        {
            foreach (var example in TextcatReader.Read(file, options, Output, CancelToken))
            {
                CancelToken.ThrowIfCancellationRequested();
                WriteObject(example);
            }
        });
    }
}
