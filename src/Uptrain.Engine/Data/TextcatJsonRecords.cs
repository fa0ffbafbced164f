using System.Text.Json;

namespace Uptrain.Data;

/// <summary>One example as a JSON record of a line-based format (spaCy JSONL, spaCy tuple, Prodigy JSONL).</summary>
internal static class TextcatJsonRecords
{
    /// <summary>Writes <paramref name="example"/> as one record of <paramref name="format"/> (without the line break).</summary>
    internal static void Write(Utf8JsonWriter json, TextcatWriteFormat format, TextcatExample example)
    {
        switch (format)
        {
            case TextcatWriteFormat.SpacyJsonl:
                json.WriteStartObject();
                json.WriteString("text", example.Text);
                json.WritePropertyName("cats");
                JsonPlain.WriteCats(json, example.Cats);
                if (example.Meta.Count > 0)
                {
                    json.WritePropertyName("meta");
                    JsonPlain.WriteObject(json, example.Meta);
                }
                json.WriteEndObject();
                break;
            case TextcatWriteFormat.SpacyTuple:
                json.WriteStartArray();
                json.WriteStringValue(example.Text);
                json.WriteStartObject();
                json.WritePropertyName("cats");
                JsonPlain.WriteCats(json, example.Cats);
                json.WriteEndObject();
                json.WriteEndArray();
                break;
            case TextcatWriteFormat.ProdigyJsonl:
                WriteProdigyRow(json, example);
                break;
        }
    }

    private static void WriteProdigyRow(Utf8JsonWriter json, TextcatExample example)
    {
        json.WriteStartObject();
        json.WriteString("text", example.Text);
        ProdigyChoiceRecords.WriteChoices(json, example.Cats.Keys, example.PositiveLabels);
        json.WriteString("answer", ProdigyChoiceRecords.AcceptAnswer);
        ProdigyChoiceRecords.WriteView(json, exclusive: null);
        if (example.InputHash is { } hash)
        {
            json.WriteNumber("_input_hash", hash);
        }
        if (example.Meta.Count > 0)
        {
            json.WritePropertyName("meta");
            JsonPlain.WriteObject(json, example.Meta);
        }
        json.WriteEndObject();
    }
}
