using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Uptrain.IO;

namespace Uptrain.Training;

/// <summary>A fingerprint of labelled data, recorded in a model's card so that a model can be traced to what it learned from.</summary>
public static class DataFingerprint
{
    /// <summary>
    /// <c>sha256:</c> and the hex SHA-256 over every example in order: its text, then its known labels sorted by name with
    /// their values, with separator bytes that cannot occur in text (U+001F between fields, U+001E after an example).
    /// </summary>
    public static string Of(IEnumerable<TextcatExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var example in examples)
        {
            Append(hash, example.Text, example.Cats, null);
        }

        return Sha256Digest.Finish(hash);
    }

    /// <summary>
    /// As <see cref="Of(IEnumerable{TextcatExample})"/> for examples that may carry a teacher's scores: an example with
    /// scores adds U+001D and the scores sorted by label after its known labels; one without gives the same bytes as
    /// the <see cref="TextcatExample"/> with its text and labels.
    /// </summary>
    public static string Of(IEnumerable<(string Text, IEnumerable<KeyValuePair<string, double>> Cats, IEnumerable<KeyValuePair<string, double>>? Scores)> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (text, cats, scores) in examples)
        {
            Append(hash, text, cats, scores);
        }

        return Sha256Digest.Finish(hash);
    }

    private static void Append(IncrementalHash hash, string text, IEnumerable<KeyValuePair<string, double>> cats, IEnumerable<KeyValuePair<string, double>>? scores)
    {
        var line = new StringBuilder(text);
        AppendValues(line, cats);
        if (scores is not null)
        {
            line.Append('\u001d');
            AppendValues(line, scores);
        }

        line.Append('\u001e');
        hash.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
    }

    private static void AppendValues(StringBuilder line, IEnumerable<KeyValuePair<string, double>> values)
    {
        foreach (var (label, value) in values.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            line.Append('\u001f').Append(label).Append('=').Append(value.ToString("R", CultureInfo.InvariantCulture));
        }
    }
}
