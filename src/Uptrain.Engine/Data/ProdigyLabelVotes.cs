namespace Uptrain.Data;

/// <summary>
/// The answers on one label of one input while <see cref="ProdigyJsonlReader"/> merges rows: people's answers and
/// silver ones (rows that triage wrote, <c>meta.source</c> <c>uptrain</c>) counted apart, so that people win.
/// </summary>
internal sealed class ProdigyLabelVotes
{
    /// <summary>The value of <c>meta.source</c> that marks a silver row.</summary>
    internal const string SilverSource = "uptrain";

    private Tally _human;
    private Tally _silver;

    /// <summary>Counts one row's answer on the label.</summary>
    public void Add(bool positive, bool silver)
    {
        if (silver)
        {
            _silver.Add(positive);
        }
        else
        {
            _human.Add(positive);
        }
    }

    /// <summary>The answers that decide the label: people's where there are any, else the silver ones.</summary>
    public Tally Deciding => _human.Count > 0 ? _human : _silver;

    /// <summary>
    /// True when silver answers were set aside and disagree with the label's outcome <paramref name="resolved"/>
    /// (1, 0, or null where people's answers tied): a silver label overridden by people.
    /// </summary>
    public bool SilverOverridden(double? resolved) =>
        _human.Count > 0 && _silver.Count > 0 && (resolved is not { } value || (value > 0.5 ? _silver.Negative > 0 : _silver.Positive > 0));

    /// <summary>Answers for and against the label, and the last one given.</summary>
    internal struct Tally
    {
        public int Positive { get; private set; }

        public int Negative { get; private set; }

        /// <summary>The answer of the last row that voted.</summary>
        public bool Last { get; private set; }

        public readonly int Count => Positive + Negative;

        public void Add(bool positive)
        {
            if (positive)
            {
                Positive++;
            }
            else
            {
                Negative++;
            }
            Last = positive;
        }
    }
}
