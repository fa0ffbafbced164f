using Uptrain.Data;
using Uptrain.Diagnostics;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Uptraining;

/// <summary>
/// One triage run over a scored pool (Select-UptrainExample): drops excluded texts, routes each prediction
/// with <see cref="TriageRouter"/>, appends accepted texts to the silver dataset, queues the review band and, at
/// <see cref="Finish"/>, writes the review file and reports a summary. Used from one thread; progress and
/// verbose messages go to the output writer on that thread.
/// </summary>
public sealed class UptrainSelector : IDisposable
{
    private const int ProgressActivityId = 41;

    // Progress is reported at most this often.
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    private readonly UptrainSelectOptions _options;
    private readonly IOutputWriter _output;
    private readonly CancellationToken _cancellationToken;
    private readonly SourceCheck? _reviewCheck;
    private readonly TimeProvider _time;
    private readonly long _started;
    private SilverDataset? _dataset;
    private ReviewQueue? _review;
    private ThresholdSet? _thresholds;
    private IReadOnlyList<string>? _labels;
    private TimeSpan _lastProgress;
    private bool _progressShown;

    /// <summary>Checks the output files and prepares the run; nothing is read or written yet.</summary>
    /// <exception cref="UptrainException">
    /// <c>DatasetIsReviewPath</c>; <c>FileExists</c> for an existing review file without overwrite; <c>DirectoryNotFound</c>.
    /// </exception>
    public UptrainSelector(UptrainSelectOptions options, IOutputWriter output, CancellationToken cancellationToken = default)
        : this(options, output, TimeProvider.System, cancellationToken)
    {
    }

    /// <summary>Prepares the run with <paramref name="time"/> as the clock that paces progress (tests use their own).</summary>
    internal UptrainSelector(UptrainSelectOptions options, IOutputWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        _time = time;
        _started = time.GetTimestamp();
        _options = options;
        _output = output;
        _cancellationToken = cancellationToken;
        if (options.DatasetPath is { } dataset && options.ReviewPath is { } review && SourceCheck.SameFile(dataset, review))
        {
            throw new UptrainException("DatasetIsReviewPath", ErrorKind.InvalidArgument, Format(Messages.TriageDatasetIsReviewPath, Path.GetFullPath(dataset)), dataset);
        }
        if (options.ReviewPath is { } reviewPath)
        {
            var full = Path.GetFullPath(reviewPath);
            RequireFolder(full);
            if (!options.OverwriteReview)
            {
                TextcatWriter.ThrowIfExists(full);
            }
            _reviewCheck = new SourceCheck(full);
        }
        if (options.DatasetPath is { } datasetPath)
        {
            RequireFolder(Path.GetFullPath(datasetPath));
        }
    }

    /// <summary>What the run has done so far.</summary>
    public TriageSummary Summary { get; } = new();

    /// <summary>The thresholds in use (known after the first prediction).</summary>
    public ThresholdSet? Thresholds => _thresholds;

    /// <summary>
    /// Triages one prediction: null when it is excluded or its labels differ from the first prediction's
    /// (reported as <c>LabelsDiffer</c>), else the decision (an Accept is already in the dataset).
    /// </summary>
    /// <exception cref="UptrainException">
    /// <c>TargetIsInput</c> when it was read from the dataset or the review file; threshold problems of
    /// <see cref="ThresholdCheck.Resolve"/> with the first prediction.
    /// </exception>
    public UptrainDecision? Route(TextcatPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        _cancellationToken.ThrowIfCancellationRequested();
        if (_thresholds is null)
        {
            Start(prediction);
        }
        else if (!prediction.Scores.Keys.SequenceEqual(_labels!))
        {
            _output.WriteError(new RecordError("LabelsDiffer", ErrorKind.InvalidData,
                Format(Messages.TriageLabelsDiffer, Where(prediction), string.Join(", ", prediction.Scores.Keys), string.Join(", ", _labels!)), prediction));
            return null;
        }
        _dataset?.ThrowIfInput(prediction.Source);
        _reviewCheck?.ThrowIfTarget(prediction.Source);
        if (_options.Exclude is { } exclude && exclude.Contains(prediction.Text))
        {
            Summary.Excluded++;
            return null;
        }
        var decision = TriageRouter.Decide(prediction, _thresholds!, _options.Triage);
        Summary.Add(decision);
        if (decision.Route == TriageRoute.Accept)
        {
            _dataset?.Add(decision);
        }
        else if (decision.Route == TriageRoute.Review)
        {
            _review?.Add(decision);
        }
        ReportProgress();
        return decision;
    }

    /// <summary>Writes the review file, closes the dataset and reports the summary (verbose) and what was written.</summary>
    public void Finish()
    {
        CompleteProgress();
        if (Summary.Excluded > 0 || _options.Exclude is not null)
        {
            _output.WriteVerbose(Format(Messages.TriageExcluded, Summary.Excluded, _options.Exclude?.Count ?? 0));
        }
        if (_dataset is { } dataset)
        {
            dataset.Dispose();
            _output.WriteVerbose(Format(Messages.TriageDatasetAdded, dataset.Added, dataset.Path, dataset.AlreadyThere));
        }
        else if (_options.DatasetPath is { } path)
        {
            // No prediction arrived, so the dataset was never opened.
            _output.WriteVerbose(Format(Messages.TriageDatasetAdded, 0, Path.GetFullPath(path), 0));
        }
        WriteReview();
        foreach (var line in Summary.Lines())
        {
            _output.WriteVerbose(line);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _dataset?.Dispose();
        _dataset = null;
    }

    private void Start(TextcatPrediction prediction)
    {
        _labels = prediction.Scores.Keys.ToList();
        _thresholds = ThresholdCheck.Resolve(_options, prediction.Model, _labels, _output);
        if (_options.DatasetPath is { } dataset)
        {
            _dataset = new SilverDataset(dataset, _thresholds.Exclusive, _cancellationToken);
            if (_dataset.TornLine is { } torn)
            {
                _output.WriteWarning(Format(Messages.TriageDatasetTornLine, DataFiles.Location(_dataset.Path, torn)));
            }
        }
        if (_options.ReviewPath is not null)
        {
            _review = new ReviewQueue(_thresholds);
        }
    }

    private void WriteReview()
    {
        if (_options.ReviewPath is not { } path)
        {
            return;
        }
        var full = Path.GetFullPath(path);
        var written = _review?.Write(full, _options.ReviewBudget) ?? 0;
        if (written == 0)
        {
            _output.WriteWarning(Format(Messages.TriageReviewNothingWritten, full));
            return;
        }
        _output.WriteVerbose(Format(Messages.TriageReviewWritten, written, full, _review!.Count - written));
        if (_review.Repeated > 0)
        {
            _output.WriteVerbose(Format(Messages.TriageReviewRepeated, _review.Repeated));
        }
    }

    private void ReportProgress()
    {
        var now = _time.GetElapsedTime(_started);
        if (now - _lastProgress < ProgressInterval)
        {
            return;
        }
        _lastProgress = now;
        _progressShown = true;
        _output.WriteProgress(new ProgressInfo(ProgressActivityId, Messages.TriageProgressActivity, Summary.Status()));
    }

    private void CompleteProgress()
    {
        if (_progressShown)
        {
            _output.WriteProgress(new ProgressInfo(ProgressActivityId, Messages.TriageProgressActivity, Summary.Status(), Completed: true));
        }
    }

    private static void RequireFolder(string file)
    {
        var folder = Path.GetDirectoryName(file)!;
        if (!Directory.Exists(folder))
        {
            throw new UptrainException("DirectoryNotFound", ErrorKind.ObjectNotFound, Format(Messages.DirectoryNotFound, folder), folder);
        }
    }

    private static string Where(TextcatPrediction prediction) =>
        prediction.Source ?? "\"" + DataFiles.Preview(prediction.Text) + "\"";
}
