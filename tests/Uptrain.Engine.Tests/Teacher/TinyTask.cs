using System.Globalization;
using TorchSharp;
using Uptrain.Teacher;

namespace Uptrain.Tests.Teacher;

/// <summary>
/// A small random-initialised BERT written as a Hugging Face folder (config.json, model.safetensors, vocab.txt,
/// tokenizer_config.json), and a synthetic task it can learn: texts of neutral words with one or two cue words
/// whose kind decides the label.
/// </summary>
internal static class TinyTask
{
    public const int CueWords = 5;
    public const int NeutralWords = 50;
    public const int MaxLength = 32;

    public static BertConfig Config { get; } = new()
    {
        VocabSize = 5 + (2 * CueWords) + NeutralWords, // 65
        HiddenSize = 64,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        IntermediateSize = 128,
        MaxPositionEmbeddings = MaxLength,
    };

    /// <summary>Writes the base model into <paramref name="folder"/> (created) and returns it.</summary>
    public static string WriteBaseModel(string folder, int seed = 5)
    {
        Directory.CreateDirectory(folder);
        string[] special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
        var words = special
            .Concat(Enumerable.Range(0, CueWords).Select(i => Word("good", i)))
            .Concat(Enumerable.Range(0, CueWords).Select(i => Word("bad", i)))
            .Concat(Enumerable.Range(0, NeutralWords).Select(i => Word("plain", i)));
        File.WriteAllLines(Path.Combine(folder, "vocab.txt"), words);
        File.WriteAllText(Path.Combine(folder, "config.json"), Config.ToJson());
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), "{\"do_lower_case\": true}");

        torch.manual_seed(seed);
        using var model = new BertModel(Config);
        var tensors = model.named_parameters().Select(p => new KeyValuePair<string, WeightTensor>(
            p.name,
            new WeightTensor(p.parameter.shape, p.parameter.detach().contiguous().data<float>().ToArray())));
        SafetensorsFile.Write(Path.Combine(folder, "model.safetensors"), tensors.ToList());
        return folder;
    }

    /// <summary>
    /// <paramref name="count"/> texts of 3–12 neutral words with one or two cue words, half of them "good" ones,
    /// labelled by <paramref name="label"/> (true for a good text).
    /// </summary>
    public static List<TextcatExample> Examples(int count, int seed, Action<TextcatExample, bool, int> label)
    {
        var random = new Random(seed);
        var examples = new List<TextcatExample>(count);
        for (var i = 0; i < count; i++)
        {
            var good = i % 2 == 0;
            var words = Enumerable.Range(0, random.Next(3, 13)).Select(_ => Word("plain", random.Next(NeutralWords))).ToList();
            for (var c = random.Next(1, 3); c > 0; c--)
            {
                words.Insert(random.Next(words.Count + 1), Word(good ? "good" : "bad", random.Next(CueWords)));
            }

            var example = new TextcatExample(string.Join(' ', words)) { Source = string.Create(CultureInfo.InvariantCulture, $"tiny:{seed}:{i + 1}") };
            label(example, good, i);
            examples.Add(example);
        }

        return examples;
    }

    /// <summary>Exclusive POS/NEG examples.</summary>
    public static List<TextcatExample> Exclusive(int count, int seed) => Examples(count, seed, (e, good, _) =>
    {
        e.Cats["POS"] = good ? 1 : 0;
        e.Cats["NEG"] = good ? 0 : 1;
    });

    /// <summary>
    /// Options that make the tiny model learn quickly: a higher learning rate than a pretrained model wants, and
    /// trainable word embeddings (random ones carry no meaning to keep).
    /// </summary>
    public static TeacherTrainingOptions Options(string baseModel, string output) => new()
    {
        BaseModel = baseModel,
        OutputPath = output,
        LearningRate = 2e-3,
        FreezeWordEmbeddings = false,
        Epochs = 10,
        Patience = 3,
        MaxLength = MaxLength,
        Device = ComputeDevice.Cpu,
        Seed = 1,
    };

    private static string Word(string kind, int i) => string.Create(CultureInfo.InvariantCulture, $"{kind}{i}");
}
