using Uptrain.Diagnostics;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Reporting;

/// <summary>
/// The objects of one uptraining run, collected for <see cref="ReportWriter"/>: training runs and scores by model
/// name, the triage thresholds, the held-out predictions they were found on, the triage decisions (counted, not
/// kept) and measured scoring speeds. Export-UptrainReport fills it from the pipeline.
/// </summary>
public sealed class UptrainReport
{
    private readonly List<ReportModel> _models = [];
    private readonly List<TextcatPrediction> _evalPredictions = [];
    private readonly Dictionary<TriageRoute, int> _routes = new();
    private readonly Dictionary<string, int> _acceptedByLabel = new(StringComparer.Ordinal);
    private readonly List<ScoreComparison> _comparisons = [];
    private readonly List<TrainingCurvePoint> _curvePoints = [];

    /// <summary>The report's heading.</summary>
    public string Title { get; set; } = Messages.ReportDefaultTitle;

    /// <summary>The models in the order they first appeared (a run or a score).</summary>
    public IReadOnlyList<ReportModel> Models => _models;

    /// <summary>The triage thresholds, if given.</summary>
    public ThresholdSet? Thresholds { get; set; }

    /// <summary>Held-out predictions with gold labels: the precision and coverage curves are computed from them.</summary>
    public IReadOnlyList<TextcatPrediction> EvalPredictions => _evalPredictions;

    /// <summary>The number of triage decisions per route.</summary>
    public IReadOnlyDictionary<TriageRoute, int> Routes => _routes;

    /// <summary>The accepted decisions per top label.</summary>
    public IReadOnlyDictionary<string, int> AcceptedByLabel => _acceptedByLabel;

    /// <summary>The paired comparisons of models (Compare-TextcatScore), in arrival order.</summary>
    public IReadOnlyList<ScoreComparison> Comparisons => _comparisons;

    /// <summary>The points of training curves (Measure-TrainingCurve), in arrival order.</summary>
    public IReadOnlyList<TrainingCurvePoint> CurvePoints => _curvePoints;

    /// <summary>The number of triage decisions.</summary>
    public int Decisions => _routes.Values.Sum();

    /// <summary>True when anything was added: a run, a score, thresholds, predictions or a decision.</summary>
    public bool HasContent => _models.Count > 0 || Thresholds is not null || _evalPredictions.Count > 0 || Decisions > 0 || _comparisons.Count > 0 || _curvePoints.Count > 0;

    /// <summary>
    /// Adds a training run under <paramref name="name"/>, or by default under its model folder's name (the card's kind
    /// where the path has none); it joins a score already added under that name, and a second run of one name gets a number.
    /// </summary>
    public ReportModel AddRun(TrainingResult run, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        // A score given first under the same name waits for its run; a second run of that name gets a number.
        var model = Find(name ?? DefaultName(run));
        if (model is null || model.Run is not null)
        {
            model = Add(UniqueName(name ?? DefaultName(run)));
        }
        model.Run = run;
        return model;
    }

    /// <summary>Adds the score of the model <paramref name="name"/> (the row of a run of the same name, if any).</summary>
    /// <exception cref="UptrainException"><c>DuplicateScore</c> when that model already has a score.</exception>
    public ReportModel AddScore(string name, TextcatScore score)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(score);
        var model = Find(name) ?? Add(name);
        if (model.Score is not null)
        {
            throw new UptrainException("DuplicateScore", ErrorKind.InvalidArgument, Format(Messages.ReportDuplicateScore, name), name);
        }
        model.Score = score;
        return model;
    }

    /// <summary>Adds a score that names no model: it is shown as "score 1", "score 2" ... in arrival order.</summary>
    public ReportModel AddScore(TextcatScore score) =>
        AddScore(UniqueName(Format(Messages.ReportUnnamedScore, _models.Count(m => m.Score is not null) + 1)), score);

    /// <summary>Sets the scoring speed (texts per second) of the model <paramref name="name"/>.</summary>
    public void SetThroughput(string name, double textsPerSecond)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!(textsPerSecond > 0) || double.IsInfinity(textsPerSecond))
        {
            throw new UptrainException("InvalidThroughput", ErrorKind.InvalidArgument, Format(Messages.ReportInvalidThroughput, name, textsPerSecond), name);
        }
        (Find(name) ?? Add(name)).TextsPerSecond = textsPerSecond;
    }

    /// <summary>Adds a held-out prediction (one with gold labels counts towards the curves).</summary>
    public void AddEvalPrediction(TextcatPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        _evalPredictions.Add(prediction);
    }

    /// <summary>Adds a paired comparison of two models.</summary>
    public void AddComparison(ScoreComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        _comparisons.Add(comparison);
    }

    /// <summary>Adds a point of a training curve.</summary>
    public void AddCurvePoint(TrainingCurvePoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        _curvePoints.Add(point);
    }

    /// <summary>Counts a triage decision.</summary>
    public void AddDecision(UptrainDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        _routes[decision.Route] = _routes.GetValueOrDefault(decision.Route) + 1;
        if (decision.Route == TriageRoute.Accept)
        {
            _acceptedByLabel[decision.Label] = _acceptedByLabel.GetValueOrDefault(decision.Label) + 1;
        }
    }

    /// <summary>The name a run gets by default: its model folder's name, else the card's kind.</summary>
    internal static string DefaultName(TrainingResult run)
    {
        var leaf = Path.GetFileName(Path.TrimEndingDirectorySeparator(run.ModelPath));
        return string.IsNullOrWhiteSpace(leaf) ? run.Card.Kind : leaf;
    }

    private ReportModel? Find(string name) => _models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal));

    private ReportModel Add(string name)
    {
        var model = new ReportModel(name);
        _models.Add(model);
        return model;
    }

    private string UniqueName(string name)
    {
        var candidate = name;
        for (var i = 2; Find(candidate) is not null; i++)
        {
            candidate = Format(Messages.ReportNumberedName, name, i);
        }
        return candidate;
    }
}
