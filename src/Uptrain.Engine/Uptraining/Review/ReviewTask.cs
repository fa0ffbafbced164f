using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Uptrain.Data;
using Uptrain.Diagnostics;

namespace Uptrain.Uptraining.Review;

/// <summary>
/// One review task (a Prodigy <c>textcat.correct</c>-style choice task): the text, the labels as options, the
/// pre-selected labels, the teacher's scores and the uncertain labels. The task's JSON is kept whole, so that
/// every key it carries (Prodigy's own fields included) reaches the answer unchanged.
/// </summary>
public sealed class ReviewTask
{
    private ReviewTask(JsonObject json, string text, IReadOnlyList<string> labels, IReadOnlyList<string> accept, bool exclusive)
    {
        Json = json;
        Text = text;
        Labels = labels;
        Accept = accept;
        Exclusive = exclusive;
        InputHash = json["_input_hash"] is JsonValue hash && hash.TryGetValue<long>(out var value) ? value : null;
        Scores = ReadScores(json);
        Uncertain = ReadStrings((json["meta"] as JsonObject)?["uncertain"]);
    }

    /// <summary>The text to review.</summary>
    public string Text { get; }

    /// <summary>The option ids (labels) in task order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The pre-selected labels (the task's <c>accept</c>).</summary>
    public IReadOnlyList<string> Accept { get; }

    /// <summary>True when one label is chosen (<c>config.choice_style</c> is <c>single</c>).</summary>
    public bool Exclusive { get; }

    /// <summary>The task's <c>_input_hash</c>, if it has one.</summary>
    public long? InputHash { get; }

    /// <summary>The teacher's score per label (<c>meta.scores</c>); labels without one are left out.</summary>
    public IReadOnlyDictionary<string, double> Scores { get; }

    /// <summary>The labels triage found uncertain (<c>meta.uncertain</c>).</summary>
    public IReadOnlyList<string> Uncertain { get; }

    /// <summary>Where the task was read (<c>file:line</c>), or null for a piped decision.</summary>
    public string? Source { get; init; }

    /// <summary>The task as read; answers are written from a copy.</summary>
    internal JsonObject Json { get; }

    /// <summary>What makes two tasks the same input for resuming: the input hash and the text, or the text alone.</summary>
    internal string Key => InputKey(InputHash, Text);

    /// <summary>
    /// The resume key of an input hash and a text, or of a text without a hash: the text is always part of it, since two
    /// texts can share a 32-bit hash.
    /// </summary>
    internal static string InputKey(long? inputHash, string text) =>
        inputHash is { } hash ? "#" + hash.ToString(CultureInfo.InvariantCulture) + ":" + text : "text:" + text;

    /// <summary>
    /// Reads a task from one JSON line; throws <c>MissingText</c> or <c>InvalidOptions</c> (a task needs
    /// <c>text</c> and an <c>options</c> array of objects with an <c>id</c>).
    /// </summary>
    /// <exception cref="UptrainException">The task cannot be reviewed.</exception>
    public static ReviewTask Parse(JsonElement element, string location)
    {
        if (JsonNode.Parse(element.GetRawText()) is not JsonObject json)
        {
            throw new UptrainException("InvalidJsonLine", ErrorKind.ParserError, DataFiles.Format(Messages.InvalidJson, location, element.ValueKind), location);
        }
        if (json["text"] is not JsonValue textValue || !textValue.TryGetValue<string>(out var text))
        {
            throw new UptrainException("MissingText", ErrorKind.InvalidData, DataFiles.Format(Messages.MissingText, location), location);
        }
        if (json["options"] is not JsonArray options || options.Count == 0 || !TryReadIds(options, out var labels))
        {
            throw new UptrainException("InvalidOptions", ErrorKind.InvalidData, DataFiles.Format(Messages.ReviewTaskNoOptions, location), location);
        }
        CheckObject(json, "meta", location);
        CheckObject(json, "config", location);
        if ((json["meta"] as JsonObject)?["scores"] is { } scores and not JsonObject)
        {
            throw InvalidTask(location, "meta.scores");
        }

        var exclusive = (json["config"] as JsonObject)?["choice_style"] is JsonValue style && style.TryGetValue<string>(out var styleName)
            ? styleName != "multiple"
            : true;
        var accept = ReadStrings(json["accept"]).Where(labels.Contains).Distinct(StringComparer.Ordinal).ToList();
        if (exclusive && accept.Count > 1)
        {
            accept.RemoveRange(1, accept.Count - 1);
        }
        return new ReviewTask(json, text, labels, accept, exclusive) { Source = location };
    }

    /// <summary>
    /// The review task of a triage decision: exactly what Select-UptrainExample -ReviewPath writes for it
    /// (<see cref="UptrainRecords.WriteReviewTask"/>), read back, so that piped decisions and a review file give the
    /// same tasks and the same input hashes when a review resumes.
    /// </summary>
    public static ReviewTask FromDecision(UptrainDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonPlain.WriterOptions))
        {
            UptrainRecords.WriteReviewTask(json, decision, decision.Model.Exclusive);
        }
        using var document = JsonDocument.Parse(buffer.ToArray());
        return Parse(document.RootElement, decision.Source ?? decision.Text);
    }

    /// <summary>Throws <c>InvalidTask</c> when the task has <paramref name="field"/> and it is not a JSON object.</summary>
    private static void CheckObject(JsonObject json, string field, string location)
    {
        if (json[field] is { } value and not JsonObject)
        {
            throw InvalidTask(location, field);
        }
    }

    private static UptrainException InvalidTask(string location, string field) =>
        new("InvalidTask", ErrorKind.InvalidData, DataFiles.Format(Messages.ReviewTaskInvalidField, location, field), location);

    private static bool TryReadIds(JsonArray options, out List<string> ids)
    {
        ids = [];
        foreach (var option in options)
        {
            if (option is not JsonObject choice || choice["id"] is not JsonValue id || LabelOf(id) is not { } label)
            {
                return false;
            }
            ids.Add(label);
        }
        return ids.Distinct(StringComparer.Ordinal).Count() == ids.Count;
    }

    private static string? LabelOf(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => value.ToJsonString(),
        _ => null,
    };

    private static List<string> ReadStrings(JsonNode? node) =>
        node is JsonArray array ? array.OfType<JsonValue>().Select(LabelOf).OfType<string>().ToList() : [];

    private static Dictionary<string, double> ReadScores(JsonObject json)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        if ((json["meta"] as JsonObject)?["scores"] is JsonObject given)
        {
            foreach (var (label, value) in given)
            {
                if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number)
                {
                    scores[label] = number.GetValue<double>();
                }
            }
        }
        return scores;
    }
}
