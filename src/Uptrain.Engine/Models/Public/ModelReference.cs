namespace Uptrain;

/// <summary>
/// The model that made a prediction, as a name and a folder: small enough to travel with every prediction
/// through <c>Export-Csv</c> and <c>ConvertTo-Json</c>. <see cref="GetCard"/> gives the whole card.
/// </summary>
public sealed class ModelReference
{
    private readonly ModelCard _card;

    /// <summary>Refers to the model described by <paramref name="card"/>.</summary>
    public ModelReference(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        _card = card;
        Path = card.Path;
        Name = card.Path is { } path ? System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(path)) : card.Kind;
    }

    /// <summary>The model folder's name (its kind when the card was not read from a folder).</summary>
    public string Name { get; }

    /// <summary>The model folder.</summary>
    public string? Path { get; }

    /// <summary>teacher or student.</summary>
    public string Kind => _card.Kind;

    /// <summary>True when the labels are mutually exclusive; Measure-TextcatScore reads it.</summary>
    public bool Exclusive => _card.Exclusive;

    /// <summary>The model's whole card (labels, training settings, metrics, versions).</summary>
    public ModelCard GetCard() => _card;

    /// <inheritdoc />
    public override string ToString() => Name;
}
