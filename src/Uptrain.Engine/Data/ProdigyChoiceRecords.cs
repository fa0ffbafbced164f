using System.Text.Json;

namespace Uptrain.Data;

/// <summary>
/// The one writer of the choice part of Prodigy choice records (<c>textcat.manual</c>/<c>textcat.correct</c> tasks
/// and their answers): the options, each label as <c>{"id", "text"}</c>, the accepted ids, the view id and the
/// choice style. The Prodigy JSONL export and triage's silver records and review tasks write their records with it;
/// each writes the text, answer, meta and hashes around it in the field order its files have always had.
/// </summary>
internal static class ProdigyChoiceRecords
{
    /// <summary>The <c>answer</c> of an accepted record.</summary>
    public const string AcceptAnswer = "accept";

    /// <summary>The <c>_view_id</c> of a choice task.</summary>
    public const string ViewId = "choice";

    /// <summary>Writes the <c>options</c> array (one option per label, the label as id and text) and the <c>accept</c> array.</summary>
    public static void WriteChoices(Utf8JsonWriter json, IEnumerable<string> options, IEnumerable<string> accept)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartArray("options");
        foreach (var label in options)
        {
            json.WriteStartObject();
            json.WriteString("id", label);
            json.WriteString("text", label);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("accept");
        foreach (var label in accept)
        {
            json.WriteStringValue(label);
        }
        json.WriteEndArray();
    }

    /// <summary>
    /// Writes <c>_view_id</c> and, where <paramref name="exclusive"/> is given, <c>config.choice_style</c>
    /// (<c>single</c> for an exclusive task, <c>multiple</c> otherwise); null leaves the style to Prodigy.
    /// </summary>
    public static void WriteView(Utf8JsonWriter json, bool? exclusive)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteString("_view_id", ViewId);
        if (exclusive is { } single)
        {
            json.WriteStartObject("config");
            json.WriteString("choice_style", single ? "single" : "multiple");
            json.WriteEndObject();
        }
    }
}
