namespace Uptrain.Metrics;

/// <summary>
/// One scored text: its gold annotation and the model's predicted scores, label → value.
/// </summary>
/// <param name="Gold">
/// Label → 1.0 (applies) or 0.0 (does not apply). A label absent from the dictionary (or NaN) is unknown for
/// this text and is left out of the counts and the ROC AUC for that label, as spaCy does for a <c>None</c> gold value.
/// </param>
/// <param name="Predicted">
/// Label → predicted score in 0..1. A label absent from the dictionary counts as a score of 0.0 (spaCy's
/// <c>pred_cats.get(label, 0.0)</c>).
/// </param>
public sealed record ScoredItem(IReadOnlyDictionary<string, double> Gold, IReadOnlyDictionary<string, double> Predicted);
