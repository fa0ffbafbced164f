using System.Text.Json;
using Uptrain.Data;

namespace Uptrain.Uptraining;

/// <summary>
/// The JSON records Select-UptrainExample writes, both Prodigy choice tasks: a silver record (an Accept, as an
/// accepted answer that ConvertFrom-ProdigyJsonl reads back to exactly its silver Cats) and a review task
/// (<c>textcat.correct</c> style: every label an option, those scoring at least 0.5 pre-selected).
/// </summary>
public static class UptrainRecords
{
    /// <summary>The <c>meta.source</c> of what triage wrote: any other source counts as a person's answer.</summary>
    public const string SourceName = "uptrain";

    /// <summary>A score at or above this is pre-selected in a review task.</summary>
    public const double PreselectScore = 0.5;

    /// <summary>
    /// The options and accepted labels of a silver record: the labels whose silver value is known, in the
    /// model's order, and those of them that are 1. A label left unknown is not an option, so it stays unknown.
    /// </summary>
    public static (IReadOnlyList<string> Options, IReadOnlyList<string> Accept) SilverChoice(UptrainDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var options = decision.Scores.Keys.Where(decision.Cats.ContainsKey).ToList();
        return (options, options.Where(label => decision.Cats[label] > 0.5).ToList());
    }

    /// <summary>The task hash of the silver record of <paramref name="decision"/>.</summary>
    public static long SilverTaskHash(UptrainDecision decision)
    {
        var (options, accept) = SilverChoice(decision);
        return UptrainHashes.TaskHash(UptrainHashes.InputHashOf(decision.Prediction), options, accept);
    }

    /// <summary>The labels a review task pre-selects: those scoring at least 0.5 (exclusive: the top label, if it does).</summary>
    public static IReadOnlyList<string> Preselected(UptrainDecision decision, bool exclusive)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (exclusive)
        {
            return decision.Confidence >= PreselectScore ? [decision.Label] : [];
        }
        return decision.Scores.Where(s => s.Value >= PreselectScore).Select(s => s.Key).ToList();
    }

    /// <summary>The task hash of the review task of <paramref name="decision"/> (input hash and options).</summary>
    public static long ReviewTaskHash(UptrainDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return UptrainHashes.TaskHash(UptrainHashes.InputHashOf(decision.Prediction), decision.Scores.Keys);
    }

    /// <summary>Writes the silver record of an accepted <paramref name="decision"/> (one JSON object, no line break).</summary>
    public static void WriteSilver(Utf8JsonWriter json, UptrainDecision decision, bool exclusive)
    {
        ArgumentNullException.ThrowIfNull(json);
        var (options, accept) = SilverChoice(decision);
        var inputHash = UptrainHashes.InputHashOf(decision.Prediction);
        json.WriteStartObject();
        json.WriteString("text", decision.Text);
        WriteChoice(json, options, accept, exclusive);
        json.WriteString("answer", ProdigyChoiceRecords.AcceptAnswer);
        WriteMeta(json, decision, uncertain: null);
        json.WriteNumber("_input_hash", inputHash);
        json.WriteNumber("_task_hash", UptrainHashes.TaskHash(inputHash, options, accept));
        json.WriteEndObject();
    }

    /// <summary>Writes the review task of <paramref name="decision"/> (one JSON object, no line break).</summary>
    public static void WriteReviewTask(Utf8JsonWriter json, UptrainDecision decision, bool exclusive)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(decision);
        json.WriteStartObject();
        json.WriteString("text", decision.Text);
        WriteChoice(json, decision.Scores.Keys.ToList(), Preselected(decision, exclusive), exclusive);
        WriteMeta(json, decision, decision.UncertainLabels);
        json.WriteNumber("_input_hash", UptrainHashes.InputHashOf(decision.Prediction));
        json.WriteNumber("_task_hash", ReviewTaskHash(decision));
        json.WriteEndObject();
    }

    /// <summary>
    /// Opens a task's <c>meta</c>: the input's own meta, except the keys written here (source, model, scores, uncertain)
    /// and <paramref name="ownKeys"/>; then <c>source</c>, the model's name and its scores. The caller adds its own keys
    /// and closes the object.
    /// </summary>
    internal static void StartMeta(Utf8JsonWriter json, TextcatPrediction prediction, string source, IReadOnlyCollection<string> ownKeys)
    {
        json.WriteStartObject("meta");
        foreach (var (key, value) in prediction.Meta)
        {
            if (key is not ("source" or "model" or "scores" or "uncertain") && !ownKeys.Contains(key))
            {
                json.WritePropertyName(key);
                JsonPlain.Write(json, value);
            }
        }
        json.WriteString("source", source);
        json.WriteString("model", prediction.Model.Name);
        json.WritePropertyName("scores");
        JsonPlain.WriteCats(json, prediction.Scores);
    }

    private static void WriteChoice(Utf8JsonWriter json, IReadOnlyList<string> options, IReadOnlyList<string> accept, bool exclusive)
    {
        ProdigyChoiceRecords.WriteChoices(json, options, accept);
        ProdigyChoiceRecords.WriteView(json, exclusive);
    }

    // The input's own meta is kept, except the keys triage sets: source, model, scores and uncertain.
    private static void WriteMeta(Utf8JsonWriter json, UptrainDecision decision, IReadOnlyList<string>? uncertain)
    {
        StartMeta(json, decision.Prediction, SourceName, []);
        if (uncertain is not null)
        {
            json.WriteStartArray("uncertain");
            foreach (var label in uncertain)
            {
                json.WriteStringValue(label);
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }
}
