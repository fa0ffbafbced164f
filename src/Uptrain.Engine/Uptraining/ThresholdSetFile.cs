using System.Globalization;
using System.Text.Json;
using Uptrain.Data;
using Uptrain.Diagnostics;
using Uptrain.IO;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Uptraining;

/// <summary>
/// A <see cref="ThresholdSet"/> as a JSON file (<c>"format": "uptrain-thresholds"</c>, version 1): what
/// Find-UptrainThreshold -Path writes and Select-UptrainExample -Threshold reads. Numbers that are not
/// defined (a precision over no texts) are written as null.
/// </summary>
public static class ThresholdSetFile
{
    /// <summary>The value of the file's <c>format</c> field.</summary>
    public const string FormatName = "uptrain-thresholds";

    /// <summary>The version this code writes and reads.</summary>
    public const int Version = 1;

    /// <summary>The set as UTF-8 JSON bytes (indented, for people to read).</summary>
    public static byte[] ToJson(ThresholdSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonPlain.WriterOptions with { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", FormatName);
            json.WriteNumber("version", Version);
            json.WriteBoolean("exclusive", set.Exclusive);
            WriteNumber(json, "targetPrecision", set.TargetPrecision);
            WriteNumber(json, "targetNegativePrecision", set.TargetNegativePrecision);
            json.WriteNumber("minSupport", set.MinSupport);
            json.WriteNumber("examples", set.Examples);
            WriteNumber(json, "acceptShare", set.AcceptShare);
            WriteNumber(json, "reviewShare", set.ReviewShare);
            WriteNumber(json, "skipShare", set.SkipShare);
            if (set.Model is { } model)
            {
                json.WriteString("model", model);
            }
            json.WriteStartArray("labels");
            foreach (var label in set.Labels)
            {
                WriteLabel(json, label);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Writes the set to <paramref name="path"/> through a temporary file moved into place.</summary>
    public static void Write(ThresholdSet set, string path, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.WriteAllBytes(path, ToJson(set), overwrite);
    }

    /// <summary>Reads a set from <paramref name="path"/>; a file that is not one gives <c>InvalidThresholdFile</c>.</summary>
    public static ThresholdSet Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new UptrainException("ThresholdFileNotFound", ErrorKind.ObjectNotFound, Format(Messages.ThresholdFileNotFound, path), path);
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), JsonPlain.DocumentOptions);
            return FromJson(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new UptrainException("InvalidThresholdFile", ErrorKind.InvalidData, Format(Messages.InvalidThresholdFile, path, e.Message), path, e);
        }
    }

    private static ThresholdSet FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.GetString() != FormatName)
        {
            throw new InvalidDataException(Format(Messages.ThresholdFileNotThresholds, FormatName));
        }
        var version = root.GetProperty("version").GetInt32();
        if (version != Version)
        {
            throw new InvalidDataException(Format(Messages.ThresholdFileVersion, version.ToString(CultureInfo.InvariantCulture), Version.ToString(CultureInfo.InvariantCulture)));
        }
        var labels = root.GetProperty("labels").EnumerateArray().Select(ReadLabel).ToList();
        if (labels.Count == 0)
        {
            throw new InvalidDataException(Format(Messages.ThresholdFileNoLabels));
        }
        return new ThresholdSet(root.GetProperty("exclusive").GetBoolean(), labels)
        {
            TargetPrecision = Number(root, "targetPrecision"),
            TargetNegativePrecision = Number(root, "targetNegativePrecision"),
            MinSupport = root.GetProperty("minSupport").GetInt32(),
            Examples = root.GetProperty("examples").GetInt32(),
            AcceptShare = Number(root, "acceptShare"),
            ReviewShare = Number(root, "reviewShare"),
            SkipShare = Number(root, "skipShare"),
            Model = root.TryGetProperty("model", out var model) ? model.GetString() : null,
        };
    }

    private static void WriteLabel(Utf8JsonWriter json, LabelThreshold label)
    {
        json.WriteStartObject();
        json.WriteString("label", label.Label);
        WriteNumber(json, "high", label.High);
        WriteNumber(json, "low", label.Low);
        WriteNumber(json, "precision", label.Precision);
        WriteNumber(json, "precisionLowerBound", label.PrecisionLowerBound);
        WriteNumber(json, "negativePrecision", label.NegativePrecision);
        WriteNumber(json, "negativePrecisionLowerBound", label.NegativePrecisionLowerBound);
        json.WriteNumber("support", label.Support);
        json.WriteNumber("negativeSupport", label.NegativeSupport);
        json.WriteNumber("examples", label.Examples);
        json.WriteBoolean("targetReached", label.TargetReached);
        WriteNumber(json, "acceptShare", label.AcceptShare);
        WriteNumber(json, "reviewShare", label.ReviewShare);
        WriteNumber(json, "skipShare", label.SkipShare);
        json.WriteEndObject();
    }

    private static LabelThreshold ReadLabel(JsonElement element)
    {
        var name = element.GetProperty("label").GetString();
        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidDataException(Format(Messages.ThresholdFileBlankLabel));
        }
        var high = Number(element, "high");
        var low = Number(element, "low");
        if (!(high is >= 0 and <= 1) || !(low is >= 0 and <= 1) || low > high)
        {
            throw new InvalidDataException(Format(Messages.ThresholdFileBadPair, name, Show(high), Show(low)));
        }
        return new LabelThreshold(name, high, low)
        {
            Precision = Number(element, "precision"),
            PrecisionLowerBound = Number(element, "precisionLowerBound"),
            NegativePrecision = Number(element, "negativePrecision"),
            NegativePrecisionLowerBound = Number(element, "negativePrecisionLowerBound"),
            Support = element.GetProperty("support").GetInt32(),
            NegativeSupport = element.GetProperty("negativeSupport").GetInt32(),
            Examples = element.GetProperty("examples").GetInt32(),
            TargetReached = element.GetProperty("targetReached").GetBoolean(),
            AcceptShare = Number(element, "acceptShare"),
            ReviewShare = Number(element, "reviewShare"),
            SkipShare = Number(element, "skipShare"),
        };
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>A number field; null gives NaN, a missing field is an error.</summary>
    private static double Number(JsonElement element, string name)
    {
        var value = element.GetProperty(name);
        return value.ValueKind == JsonValueKind.Null ? double.NaN : value.GetDouble();
    }

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
