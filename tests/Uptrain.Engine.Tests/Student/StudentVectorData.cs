using System.Globalization;
using Uptrain.Models;
using Uptrain.Student;

namespace Uptrain.Tests.Student;

/// <summary>
/// A token vector table for <see cref="StudentData"/>'s words, made by hand: word pieces for the label words, their
/// synonyms and "noise", "##0" to "##9" for the numbers after them; each label's word and its synonym share one
/// direction, so a student with the table can read a synonym it never saw in training.
/// </summary>
internal static class StudentVectorData
{
    public const int Dimension = 8;

    /// <summary>A synonym per label (<see cref="StudentData.Labels"/> order), never in the generated training texts.</summary>
    public static readonly string[] Synonyms = ["aleph", "bet", "gimel", "dalet"];

    public static TokenVectors Table()
    {
        var vocabulary = new List<string> { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "noise" };
        vocabulary.AddRange(StudentData.Labels);
        vocabulary.AddRange(Synonyms);
        vocabulary.AddRange(Enumerable.Range(0, 10).Select(i => string.Create(CultureInfo.InvariantCulture, $"##{i}")));
        var random = new Random(11);
        var dense = new float[vocabulary.Count * Dimension];
        for (var id = 0; id < vocabulary.Count; id++)
        {
            var label = Array.IndexOf(StudentData.Labels, vocabulary[id]);
            label = label >= 0 ? label : Array.IndexOf(Synonyms, vocabulary[id]);
            for (var i = 0; i < Dimension; i++)
            {
                var noise = ((float)random.NextDouble() - 0.5f) * 0.2f;
                dense[(id * Dimension) + i] = noise + (label >= 0 && i == label ? 2f : 0f);
            }
        }

        return TokenVectors.Quantize(vocabulary, lowerCase: true, Dimension, dense, "hand-made");
    }

    /// <summary>Texts like <see cref="StudentData.Exclusive"/>'s whose label words are replaced by the label's synonym.</summary>
    public static List<StudentExample> SynonymTexts(int count, int seed) =>
        StudentData.Exclusive(count, seed).Select(e =>
        {
            var text = e.Text;
            for (var l = 0; l < StudentData.Labels.Length; l++)
            {
                text = text.Replace(StudentData.Labels[l], Synonyms[l], StringComparison.Ordinal);
            }

            return e with { Text = text };
        }).ToList();
}
