using Uptrain.Text;

namespace Uptrain.Uptraining;

/// <summary>
/// Texts that must not go into silver data (eval and test texts): a set of <see cref="TextKey.Hash"/> keys, so
/// that a pool text matches whatever its Unicode form, surrounding white space or line breaks.
/// </summary>
public sealed class ExcludeSet
{
    private readonly HashSet<UInt128> _keys = [];

    /// <summary>Distinct texts in the set.</summary>
    public int Count => _keys.Count;

    /// <summary>Adds <paramref name="text"/>.</summary>
    public void Add(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _keys.Add(TextKey.Hash(text));
    }

    /// <summary>True when a text with the same normalised form was added.</summary>
    public bool Contains(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _keys.Contains(TextKey.Hash(text));
    }
}
