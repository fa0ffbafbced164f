using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace Uptrain.Hosting;

/// <summary>
/// Turns what users pipe in (Uptrain objects, hashtables, objects from ConvertFrom-Json or Import-Csv)
/// into engine values. Conversion failures are <see cref="PSInvalidCastException"/> with a message
/// that names the property, for the cmdlet to report as a non-terminating error.
/// </summary>
internal static class PipelineInput
{
    /// <summary>
    /// A label → value map from a dictionary or an object whose properties are labels.
    /// Values must convert to numbers; null values are left out (unknown).
    /// </summary>
    public static Dictionary<string, double> ToLabelValues(object? value, string propertyName)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        switch (value is PSObject wrapped ? wrapped.BaseObject : value)
        {
            case null:
                break;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    Add(result, Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, entry.Value, propertyName);
                }
                break;
            case PSCustomObject:
                foreach (var property in ((PSObject)value!).Properties)
                {
                    Add(result, property.Name, property.Value, propertyName);
                }
                break;
            default:
                throw new PSInvalidCastException(string.Format(CultureInfo.CurrentCulture, Messages.LabelValuesNotADictionary, propertyName));
        }
        return result;
    }

    private static void Add(Dictionary<string, double> result, string label, object? value, string propertyName)
    {
        if (value is null || (value is PSObject { BaseObject: null }))
        {
            return;
        }
        try
        {
            result[label] = (double)LanguagePrimitives.ConvertTo(value, typeof(double), CultureInfo.InvariantCulture);
        }
        catch (PSInvalidCastException)
        {
            throw new PSInvalidCastException(string.Format(CultureInfo.CurrentCulture, Messages.LabelValueNotANumber, propertyName, label, value));
        }
    }

    /// <summary>The name of a prediction's model: a name as it is, else the object's <c>Name</c> (a ModelReference's, a TextcatModel's).</summary>
    public static string? ModelName(object? model) => model switch
    {
        null => null,
        string name => name,
        _ => PSObject.AsPSObject(model).Properties["Name"]?.Value?.ToString(),
    };

    /// <summary>Whether a prediction's model is exclusive, as its <c>Exclusive</c> property says; null when it says nothing.</summary>
    public static bool? ModelExclusive(object? model) =>
        model is not null
        && PSObject.AsPSObject(model).Properties["Exclusive"]?.Value is { } value
        && LanguagePrimitives.TryConvertTo<bool>(value, CultureInfo.InvariantCulture, out var exclusive)
            ? exclusive
            : null;

    /// <summary>
    /// An example from a piped object: an Uptrain.TextcatExample as it is, else any object with a
    /// <c>Text</c> property and optionally <c>Cats</c>, <c>Meta</c>, <c>InputHash</c>, <c>Split</c>.
    /// Label values follow the same rule as in files (<see cref="LabelValue"/>): a value outside 0..1
    /// throws <see cref="Diagnostics.UptrainException"/> with the id <c>InvalidLabelValue</c>.
    /// </summary>
    public static TextcatExample ToExample(PSObject input)
    {
        if (input.BaseObject is TextcatExample example)
        {
            LabelValue.Require(example.Cats, nameof(example.Cats), input);
            return example;
        }
        if (input.BaseObject is string text)
        {
            return new TextcatExample(text);
        }
        var textValue = input.Properties["Text"]?.Value;
        if (textValue is null)
        {
            throw new PSInvalidCastException(Messages.InputHasNoText);
        }
        var result = new TextcatExample((string)LanguagePrimitives.ConvertTo(textValue, typeof(string), CultureInfo.InvariantCulture));
        var cats = ToLabelValues(input.Properties["Cats"]?.Value, "Cats");
        LabelValue.Require(cats, "Cats", input);
        foreach (var (label, value) in cats)
        {
            result.Cats[label] = value;
        }
        if (input.Properties["InputHash"]?.Value is { } hash)
        {
            result.InputHash = (long)LanguagePrimitives.ConvertTo(hash, typeof(long), CultureInfo.InvariantCulture);
        }
        if (input.Properties["Split"]?.Value is { } split)
        {
            result.Split = split.ToString();
        }
        if (input.Properties["Source"]?.Value is { } source)
        {
            result.Source = source.ToString();
        }
        if (input.Properties["Meta"]?.Value is { } meta)
        {
            var metaObject = meta is PSObject psMeta ? psMeta.BaseObject : meta;
            if (metaObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    result.Meta[entry.Key.ToString() ?? string.Empty] = entry.Value is PSObject p ? p.BaseObject : entry.Value;
                }
            }
            else if (metaObject is PSCustomObject)
            {
                foreach (var property in ((PSObject)meta).Properties)
                {
                    result.Meta[property.Name] = property.Value is PSObject p ? p.BaseObject : property.Value;
                }
            }
        }
        return result;
    }

    /// <summary>
    /// A student training example from a piped object: its text and known labels as <see cref="ToExample"/> reads them
    /// (an <c>Uptrain.UptrainDecision</c>'s are its silver Cats), and the teacher's probabilities from a <c>Scores</c>
    /// property (<c>Uptrain.TextcatPrediction</c>, <c>Uptrain.UptrainDecision</c> or any object that has one). Known
    /// labels win over scores for the labels they name.
    /// </summary>
    public static Student.StudentExample ToStudentExample(PSObject input)
    {
        var (text, cats, scores) = input.BaseObject switch
        {
            TextcatPrediction prediction => (prediction.Text, (IReadOnlyDictionary<string, double>)prediction.Cats, prediction.Scores),
            UptrainDecision decision => (decision.Text, decision.Cats, decision.Scores),
            _ => FromObject(input),
        };
        LabelValue.Require(cats, "Cats", input);
        LabelValue.RequireScores(scores, input);
        return new Student.StudentExample(text, cats.Count > 0 ? cats : null, scores.Count > 0 ? scores : null);
    }

    private static (string Text, IReadOnlyDictionary<string, double> Cats, IReadOnlyDictionary<string, double> Scores) FromObject(PSObject input)
    {
        var example = ToExample(input);
        var scores = input.BaseObject is TextcatExample or string
            ? new Dictionary<string, double>()
            : ToLabelValues(input.Properties["Scores"]?.Value, "Scores");
        return (example.Text, example.Cats, scores);
    }
}
