namespace Uptrain.Tests.Uptraining;

/// <summary>Predictions built by hand, as a model with the given labels would make them.</summary>
internal static class Predictions
{
    public static ModelCard Card(bool exclusive, params string[] labels) =>
        new() { Labels = [.. labels], Exclusive = exclusive };

    /// <summary>A prediction of <paramref name="card"/> for <paramref name="text"/> with the scores in label order.</summary>
    public static TextcatPrediction Of(ModelCard card, string text, params double[] scores)
    {
        var values = new LabelValues();
        for (var i = 0; i < card.Labels.Count; i++)
        {
            values[card.Labels[i]] = scores[i];
        }
        return new TextcatPrediction(new TextcatExample(text), values, card);
    }
}
