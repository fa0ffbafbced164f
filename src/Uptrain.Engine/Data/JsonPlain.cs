using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Uptrain.Data;

/// <summary>
/// Converts between JSON and plain .NET values (string, long, double, bool, null,
/// <see cref="Dictionary{TKey, TValue}"/> of string → object, <see cref="List{T}"/> of object), the shapes
/// that <see cref="TextcatExample.Meta"/> holds.
/// </summary>
internal static class JsonPlain
{
    /// <summary>Writer settings for every JSON file Uptrain writes: readable non-ASCII text, no indentation.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Reader settings: strict JSON, as Prodigy and spaCy write it.</summary>
    internal static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>A JSON value as a plain .NET value; integers become <see cref="long"/>, other numbers <see cref="double"/>.</summary>
    /// <summary>
    /// What is wrong with one line of JSON, for a message that names the line itself: the parser's reason without its own
    /// "Path | LineNumber | BytePositionInLine" tail (a line number within the line, always 0), and the byte of the line
    /// where it stopped, from 1.
    /// </summary>
    internal static string LineError(JsonException exception)
    {
        var reason = exception.Message;
        var tail = reason.IndexOf(" Path:", StringComparison.Ordinal);
        tail = tail >= 0 ? tail : reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        reason = (tail >= 0 ? reason[..tail] : reason).TrimEnd();
        return exception.BytePositionInLine is { } position
            ? DataFiles.Format(Messages.JsonErrorAt, reason, position + 1)
            : reason;
    }

    internal static object? ToPlain(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToPlainObject(element),
        JsonValueKind.Array => element.EnumerateArray().Select(ToPlain).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var integer) ? (object)integer : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>A JSON object as a dictionary (a repeated key keeps its last value).</summary>
    internal static Dictionary<string, object?> ToPlainObject(JsonElement element)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            result[property.Name] = ToPlain(property.Value);
        }
        return result;
    }

    /// <summary>
    /// A label id as text: a string as it is, a number as written in the JSON (Prodigy option ids may be
    /// numbers); anything else is not a label (null).
    /// </summary>
    internal static string? LabelOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetRawText(),
        _ => null,
    };

    /// <summary>
    /// Writes a number so that it reads back as a <see cref="double"/>: an integral value keeps a
    /// <c>.0</c>. JSON has no NaN or infinity, so those are written as strings.
    /// </summary>
    internal static void WriteNumber(Utf8JsonWriter writer, double value)
    {
        if (!double.IsFinite(value))
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
            return;
        }
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.AsSpan().IndexOfAny(".eE") < 0)
        {
            text += ".0";
        }
        writer.WriteRawValue(text, skipInputValidation: true);
    }

    /// <summary>Writes a plain .NET value as JSON; a type JSON has no shape for is written as its string form.</summary>
    internal static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case long or int or short or sbyte or byte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong unsigned:
                writer.WriteNumberValue(unsigned);
                break;
            case double real:
                WriteNumber(writer, real);
                break;
            case float single:
                WriteNumber(writer, single);
                break;
            case decimal exact:
                writer.WriteNumberValue(exact);
                break;
            case DateTime time:
                writer.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset time:
                writer.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture));
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                WriteObject(writer, map);
                break;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                    Write(writer, entry.Value);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>Writes string-keyed pairs as a JSON object.</summary>
    internal static void WriteObject(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, object?>> map)
    {
        writer.WriteStartObject();
        foreach (var (key, item) in map)
        {
            writer.WritePropertyName(key);
            Write(writer, item);
        }
        writer.WriteEndObject();
    }

    /// <summary>Writes label → value pairs as a JSON object of numbers.</summary>
    internal static void WriteCats(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, double>> cats)
    {
        writer.WriteStartObject();
        foreach (var (label, value) in cats)
        {
            writer.WritePropertyName(label);
            WriteNumber(writer, value);
        }
        writer.WriteEndObject();
    }
}
