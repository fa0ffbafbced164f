using System.Globalization;
using System.Security.Cryptography;
using System.Text;

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
            var text = new StringBuilder(example.Text);
            foreach (var (label, value) in example.Cats.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                text.Append('\u001f').Append(label).Append('=').Append(value.ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append('\u001e');
            hash.AppendData(Encoding.UTF8.GetBytes(text.ToString()));
        }

        return "sha256:" + Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }
}
