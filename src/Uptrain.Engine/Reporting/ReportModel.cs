namespace Uptrain.Reporting;

/// <summary>One model of a report: its training run and its score on held-out data, either of which may be missing.</summary>
public sealed class ReportModel
{
    internal ReportModel(string name) => Name = name;

    /// <summary>The name the report shows (the model folder's name by default).</summary>
    public string Name { get; }

    /// <summary>The training run, if given.</summary>
    public TrainingResult? Run { get; internal set; }

    /// <summary>The score on held-out data, if given.</summary>
    public TextcatScore? Score { get; internal set; }

    /// <summary>Measured scoring speed in texts per second, if given.</summary>
    public double? TextsPerSecond { get; internal set; }

    /// <summary>teacher or student (from the run's card), else null.</summary>
    public string? Kind => Run?.Card.Kind;

    /// <summary>The bytes of every file in the run's model folder; null without a run or where the folder is gone.</summary>
    public long? SizeOnDisk()
    {
        if (Run is null || !Directory.Exists(Run.ModelPath))
        {
            return null;
        }
        try
        {
            return new DirectoryInfo(Run.ModelPath).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
