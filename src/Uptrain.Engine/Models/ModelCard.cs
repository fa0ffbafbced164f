using System.Text.Json;
using System.Text.Json.Serialization;
using Uptrain.Diagnostics;

namespace Uptrain;

/// <summary>
/// The card of a model on disk (<c>uptrain-model.json</c>): what the model is, how to feed it and how it
/// was made. Invoke-TextcatPrediction reads it to tokenise and to label the scores; Measure-TextcatScore
/// reads <see cref="Exclusive"/> from it.
/// </summary>
public sealed class ModelCard
{
    /// <summary>The card's file name inside a model folder.</summary>
    public const string FileName = "uptrain-model.json";

    /// <summary>The format tag this version writes and reads.</summary>
    public const string CurrentFormat = "uptrain-model/1";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Format tag, <see cref="CurrentFormat"/>.</summary>
    public string Format { get; set; } = CurrentFormat;

    /// <summary><c>teacher</c> (transformer, model.onnx) or <c>student</c>.</summary>
    public string Kind { get; set; } = "teacher";

    /// <summary>The labels, in the order of the model's output columns.</summary>
    public List<string> Labels { get; set; } = [];

    /// <summary>True: softmax over mutually exclusive labels. False: one sigmoid per label.</summary>
    public bool Exclusive { get; set; }

    /// <summary>Texts are truncated to this many word pieces, [CLS] and [SEP] included.</summary>
    public int MaxLength { get; set; } = 128;

    /// <summary>The weights file inside the folder (<c>model.onnx</c> for a teacher).</summary>
    public string Weights { get; set; } = "model.onnx";

    /// <summary>How texts become model inputs.</summary>
    public TokenizerCard Tokenizer { get; set; } = new();

    /// <summary>The base model the teacher was fine-tuned from (a bundled name or a folder).</summary>
    public string? BaseModel { get; set; }

    /// <summary><c>mean</c> or <c>cls</c> pooling of the encoder output.</summary>
    public string? Pooling { get; set; }

    /// <summary>The settings the model was trained with, by name.</summary>
    public Dictionary<string, object?> Training { get; set; } = [];

    /// <summary>Metrics on the eval data at the best epoch, by name (score, macroF, macroAuc, ...).</summary>
    public Dictionary<string, double> Metrics { get; set; } = [];

    /// <summary>What the model was trained on: counts and a fingerprint of texts and labels.</summary>
    public Dictionary<string, object?> Data { get; set; } = [];

    /// <summary>Library versions that made the model.</summary>
    public Dictionary<string, string> Versions { get; set; } = [];

    /// <summary>When the model was written (UTC).</summary>
    public DateTimeOffset Created { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>The folder the card was read from; not stored in the file.</summary>
    [JsonIgnore]
    public string? Path { get; set; }

    /// <summary>Reads the card of the model in <paramref name="folder"/>.</summary>
    /// <exception cref="UptrainException"><c>ModelNotFound</c> or <c>InvalidModelCard</c>.</exception>
    public static ModelCard Read(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var file = System.IO.Path.Combine(folder, FileName);
        if (!File.Exists(file))
        {
            throw new UptrainException("ModelNotFound", ErrorKind.ObjectNotFound, Format_(Messages.ModelNotFound, folder, FileName), folder);
        }
        ModelCard? card;
        try
        {
            card = JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(file), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new UptrainException("InvalidModelCard", ErrorKind.InvalidData, Format_(Messages.InvalidModelCard, file, ex.Message), file, ex);
        }
        if (card is null || card.Labels.Count == 0 || card.Format != CurrentFormat)
        {
            throw new UptrainException("InvalidModelCard", ErrorKind.InvalidData, Format_(Messages.InvalidModelCard, file, card?.Format ?? "empty"), file);
        }
        card.Path = System.IO.Path.GetFullPath(folder);
        return card;
    }

    /// <summary>Writes the card into <paramref name="folder"/> (through a temporary file).</summary>
    public void Write(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var file = System.IO.Path.Combine(folder, FileName);
        var temp = file + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, JsonOptions));
        File.Move(temp, file, overwrite: true);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Kind} ({(Exclusive ? "exclusive" : "multilabel")}: {string.Join(", ", Labels)})";

    private static string Format_(string format, params object?[] args) =>
        string.Format(System.Globalization.CultureInfo.CurrentCulture, format, args);
}

/// <summary>The tokenizer part of a <see cref="ModelCard"/>.</summary>
public sealed class TokenizerCard
{
    /// <summary><c>wordpiece</c> (BERT family).</summary>
    public string Type { get; set; } = "wordpiece";

    /// <summary>The vocabulary file inside the model folder.</summary>
    public string Vocab { get; set; } = "vocab.txt";

    /// <summary>Whether texts are lower-cased (and accents stripped) before word pieces are looked up.</summary>
    public bool LowerCase { get; set; } = true;
}
