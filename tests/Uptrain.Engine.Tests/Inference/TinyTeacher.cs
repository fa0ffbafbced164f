using TorchSharp;
using Uptrain.Models;
using Uptrain.Teacher;
using Uptrain.Tests.Data;
using static TorchSharp.torch;

namespace Uptrain.Tests.Inference;

/// <summary>
/// Two tiny teacher folders made without training: a random-initialised BERT (2 layers, hidden 32) with a
/// 40-word vocabulary, exported by <see cref="TeacherOnnxExport"/>, with a card. One exclusive with three
/// labels and mean pooling, one multilabel with two labels and [CLS] pooling.
/// </summary>
public sealed class TinyTeacher : IDisposable
{
    public const int MaxLength = 16;

    private static readonly string[] Words =
    [
        "the", "a", "movie", "film", "was", "is", "very", "not", "good", "bad", "great", "terrible", "and", "but",
        "actors", "story", "plot", "music", "boring", "fun", "i", "loved", "hated", "it", "this", ".", ",", "!",
        "##s", "##ly", "slow", "fast", "end", "ending", "long", "short", "really", "ok", "acting", "scenes",
    ];

    private readonly TempDir _dir = new();

    public TinyTeacher()
    {
        ExclusiveFolder = Write("exclusive", ["POSITIVE", "NEGATIVE", "NEUTRAL"], exclusive: true, PoolingMode.Mean, seed: 21);
        MultilabelFolder = Write("multilabel", ["ACTING", "MUSIC"], exclusive: false, PoolingMode.Cls, seed: 22);
    }

    public string ExclusiveFolder { get; }

    public string MultilabelFolder { get; }

    /// <summary>A fresh folder to break: a copy of the exclusive model.</summary>
    public string Copy(string name)
    {
        var folder = Path.Combine(_dir.Path, name);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(ExclusiveFolder))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }

    /// <summary>Records the checksums of <paramref name="folder"/>'s files as they are now, as training would have.</summary>
    public static void Reseal(string folder) => ModelFolder.Seal(folder, ModelCard.Read(folder));

    /// <summary>Changes <paramref name="folder"/>'s card as <paramref name="change"/> says, bypassing the checks of <see cref="ModelCard.Read"/>.</summary>
    public static void EditCard(string folder, Action<System.Text.Json.Nodes.JsonObject> change)
    {
        var file = Path.Combine(folder, ModelCard.FileName);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        change(json);
        File.WriteAllText(file, json.ToJsonString());
    }

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string[] labels, bool exclusive, PoolingMode pooling, int seed)
    {
        var folder = Path.Combine(_dir.Path, name);
        Directory.CreateDirectory(folder);
        string[] special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
        File.WriteAllLines(Path.Combine(folder, "vocab.txt"), [.. special, .. Words]);

        torch.manual_seed(seed);
        var config = new BertConfig
        {
            VocabSize = special.Length + Words.Length,
            HiddenSize = 32,
            NumHiddenLayers = 2,
            NumAttentionHeads = 4,
            IntermediateSize = 64,
            MaxPositionEmbeddings = 32,
        };
        using var model = new BertClassifier(new BertModel(config), labels.Length, pooling);
        model.eval();

        // A fresh head (spread 0.02) scores close to uniform; spread it so that scores span the range and
        // differences between texts show.
        using (no_grad())
        {
            model.named_parameters().Single(p => p.name == "classifier.weight").parameter.mul_(50);
        }

        TeacherOnnxExport.Save(model, exclusive, Path.Combine(folder, "model.onnx"));
        ModelFolder.Seal(folder, new ModelCard
        {
            Kind = "teacher",
            Labels = [.. labels],
            Exclusive = exclusive,
            MaxLength = MaxLength,
            Pooling = pooling == PoolingMode.Cls ? "cls" : "mean",
            Tokenizer = new TokenizerCard { Vocab = "vocab.txt", LowerCase = true },
        });
        return folder;
    }
}
