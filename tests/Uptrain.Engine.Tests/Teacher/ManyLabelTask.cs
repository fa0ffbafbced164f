using System.Globalization;
using TorchSharp;
using Uptrain.Teacher;

namespace Uptrain.Tests.Teacher;

/// <summary>
/// A generated many-label multilabel task, as users label with Prodigy's <c>textcat_multilabel</c>: 30 labels, every
/// label known on every example, one or two of them positive. A text is 4–10 filler words shared by all labels plus one
/// keyword of each positive label, so a model that reads the words can tell every label apart; one that learns only the
/// labels' frequencies gives every text the same scores. Written both for the tiny random BERT (its own vocabulary)
/// and for the bundled MiniLM (English keywords).
/// </summary>
internal static class ManyLabelTask
{
    public const int Labels = 30;

    private static readonly string[][] EnglishKeywords =
    [
        ["football", "goalkeeper"], ["guitar", "violin"], ["rain", "thunderstorm"], ["doctor", "hospital"], ["bread", "bakery"],
        ["train", "railway"], ["election", "parliament"], ["dog", "puppy"], ["ocean", "beach"], ["computer", "software"],
        ["garden", "flowers"], ["money", "bank"], ["school", "teacher"], ["movie", "cinema"], ["mountain", "hiking"],
        ["coffee", "espresso"], ["wedding", "bride"], ["police", "arrest"], ["snow", "winter"], ["painting", "museum"],
        ["airport", "flight"], ["chess", "checkmate"], ["baby", "diaper"], ["fire", "smoke"], ["church", "prayer"],
        ["car", "engine"], ["moon", "planet"], ["fishing", "lake"], ["kitchen", "recipe"], ["shoes", "jacket"],
    ];

    private static readonly string[] EnglishFiller =
    [
        "the", "a", "we", "they", "saw", "had", "some", "very", "really", "there", "was", "is", "and", "then", "today",
        "yesterday", "about", "with", "our", "new", "old", "little", "big", "again", "just", "quite", "what", "time",
    ];

    public const int TinyFiller = 40;

    /// <summary>The labels L00 … L29.</summary>
    public static IReadOnlyList<string> LabelNames { get; } = Enumerable.Range(0, Labels).Select(l => string.Create(CultureInfo.InvariantCulture, $"L{l:00}")).ToArray();

    /// <summary>The tiny BERT of <see cref="TinyTask"/> with a vocabulary of two keywords per label and 40 filler words.</summary>
    public static string WriteTinyBaseModel(string folder, int seed = 5)
    {
        Directory.CreateDirectory(folder);
        string[] special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
        var words = special.Concat(TinyKeywords.SelectMany(k => k)).Concat(TinyFillerWords).ToArray();
        var config = TinyTask.Config with { VocabSize = words.Length };
        File.WriteAllLines(Path.Combine(folder, "vocab.txt"), words);
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJson());
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), "{\"do_lower_case\": true}");

        torch.manual_seed(seed);
        using var model = new BertModel(config);
        var tensors = model.named_parameters().Select(p => new KeyValuePair<string, WeightTensor>(
            p.name,
            new WeightTensor(p.parameter.shape, p.parameter.detach().contiguous().data<float>().ToArray())));
        SafetensorsFile.Write(Path.Combine(folder, "model.safetensors"), tensors.ToList());
        return folder;
    }

    /// <summary><paramref name="count"/> examples for the tiny BERT's vocabulary.</summary>
    public static List<TextcatExample> Tiny(int count, int seed) => Examples(count, seed, TinyKeywords, TinyFillerWords);

    /// <summary><paramref name="count"/> examples in English words, for MiniLM.</summary>
    public static List<TextcatExample> English(int count, int seed) => Examples(count, seed, EnglishKeywords, EnglishFiller);

    private static string[][] TinyKeywords { get; } = Enumerable.Range(0, Labels)
        .Select(l => new[] { string.Create(CultureInfo.InvariantCulture, $"cue{l}a"), string.Create(CultureInfo.InvariantCulture, $"cue{l}b") })
        .ToArray();

    private static string[] TinyFillerWords { get; } = Enumerable.Range(0, TinyFiller).Select(i => string.Create(CultureInfo.InvariantCulture, $"plain{i}")).ToArray();

    private static List<TextcatExample> Examples(int count, int seed, string[][] keywords, string[] filler)
    {
        var random = new Random(seed);
        var examples = new List<TextcatExample>(count);
        for (var i = 0; i < count; i++)
        {
            // Every label is positive on about the same number of texts: the first positive cycles through the labels.
            var positives = new List<int> { i % Labels };
            if (random.Next(2) == 0)
            {
                var second = random.Next(Labels - 1);
                positives.Add(second >= positives[0] ? second + 1 : second);
            }

            var words = Enumerable.Range(0, random.Next(4, 11)).Select(_ => filler[random.Next(filler.Length)]).ToList();
            foreach (var label in positives)
            {
                words.Insert(random.Next(words.Count + 1), keywords[label][random.Next(2)]);
            }

            var example = new TextcatExample(string.Join(' ', words)) { Source = string.Create(CultureInfo.InvariantCulture, $"many:{seed}:{i + 1}") };
            for (var l = 0; l < Labels; l++)
            {
                example.Cats[LabelNames[l]] = positives.Contains(l) ? 1 : 0;
            }

            examples.Add(example);
        }

        return examples;
    }
}
