using Uptrain.Diagnostics;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Uptraining;

/// <summary>What a triage run did: texts per route, accepted texts per positive label, texts excluded.</summary>
public sealed class TriageSummary
{
    private readonly Dictionary<TriageRoute, int> _routes = new() { [TriageRoute.Accept] = 0, [TriageRoute.Review] = 0, [TriageRoute.Skip] = 0 };
    private readonly Dictionary<string, int> _acceptedLabels = new(StringComparer.Ordinal);

    /// <summary>Texts triaged (excluded texts not counted).</summary>
    public int Count { get; private set; }

    /// <summary>Texts dropped because they were in the exclude set.</summary>
    public int Excluded { get; internal set; }

    /// <summary>Texts routed to <paramref name="route"/>.</summary>
    public int this[TriageRoute route] => _routes[route];

    /// <summary>Accepted texts per label with silver value 1, in the order the labels were first seen; all-negative texts under <c>(none)</c>.</summary>
    public IReadOnlyDictionary<string, int> AcceptedLabels => _acceptedLabels;

    /// <summary>Counts one decision.</summary>
    public void Add(UptrainDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        Count++;
        _routes[decision.Route]++;
        if (decision.Route != TriageRoute.Accept)
        {
            return;
        }
        var any = false;
        foreach (var (label, value) in decision.Cats)
        {
            if (value > 0.5)
            {
                any = true;
                _acceptedLabels[label] = _acceptedLabels.GetValueOrDefault(label) + 1;
            }
        }
        if (!any)
        {
            _acceptedLabels[Messages.TriageNoLabel] = _acceptedLabels.GetValueOrDefault(Messages.TriageNoLabel) + 1;
        }
    }

    /// <summary>One line per route, then one per accepted label.</summary>
    public IEnumerable<string> Lines()
    {
        yield return Format(Messages.TriageSummary, Count, this[TriageRoute.Accept], Share(TriageRoute.Accept),
            this[TriageRoute.Review], Share(TriageRoute.Review), this[TriageRoute.Skip], Share(TriageRoute.Skip));
        foreach (var (label, count) in _acceptedLabels)
        {
            yield return Format(Messages.TriageAcceptedLabel, label, count);
        }
    }

    /// <summary>The progress status line.</summary>
    public string Status() =>
        Format(Messages.TriageProgressStatus, Count, this[TriageRoute.Accept], this[TriageRoute.Review], this[TriageRoute.Skip]);

    private double Share(TriageRoute route) => Count == 0 ? 0 : (double)this[route] / Count;
}
