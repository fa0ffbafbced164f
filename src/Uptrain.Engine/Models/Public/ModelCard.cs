using System.Text.Json;
using System.Text.Json.Serialization;
using Uptrain.Diagnostics;
using Uptrain.IO;
using Uptrain.Models;

namespace Uptrain;

/// <summary>
/// The card of a model on disk (<c>uptrain-model.json</c>): what the model is, how to feed it and how it
/// was made. Invoke-TextcatPrediction reads it to tokenise and to label the scores; Measure-TextcatScore
/// reads <see cref="Exclusive"/> from it.
/// </summary>
public sealed class ModelCard
{
    /// <summary>The card's file name inside a model folder.</summary>
    public const string FileName = ModelFolder.CardFileName;

    /// <summary>The format tag this version writes and reads.</summary>
    public const string CurrentFormat = "uptrain-model/1";

    /// <summary>The shortest maximum length a card may give: [CLS] and [SEP].</summary>
    public const int MinMaxLength = 2;

    /// <summary>The longest maximum length a card may give; BERT-family models stop at 512, long-context ones at 8192.</summary>
    public const int MaxMaxLength = 8192;

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
    public string Kind { get; set; } = ModelKinds.Name(ModelKind.Teacher);

    /// <summary>The labels, in the order of the model's output columns.</summary>
    public List<string> Labels { get; set; } = [];

    /// <summary>True: softmax over mutually exclusive labels. False: one sigmoid per label.</summary>
    public bool Exclusive { get; set; }

    /// <summary>Texts are truncated to this many word pieces, [CLS] and [SEP] included.</summary>
    public int MaxLength { get; set; } = 128;

    /// <summary>The weights file inside the folder (<c>model.onnx</c> for a teacher).</summary>
    public string Weights { get; set; } = ModelFolder.OnnxFileName;

    /// <summary>A teacher's 8-bit graph and how it scored against the fp32 one; null when the folder has none.</summary>
    public QuantizedCard? Quantized { get; set; }

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

    /// <summary>
    /// The checksum (<c>sha256:</c> and hex) of every file in the folder but the card, by name relative to the folder;
    /// written last by the trainer, verified on load. Null in models written before Uptrain recorded them.
    /// </summary>
    public Dictionary<string, string>? Files { get; set; }

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
            throw new UptrainException("ModelNotFound", ErrorKind.ObjectNotFound, UserMessage.Format(Messages.ModelNotFound, folder, FileName), folder);
        }
        ModelCard? card;
        try
        {
            card = JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(file), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new UptrainException("InvalidModelCard", ErrorKind.InvalidData, UserMessage.Format(Messages.InvalidModelCard, file, ex.Message), file, ex);
        }
        if (card is null)
        {
            throw new UptrainException("InvalidModelCard", ErrorKind.InvalidData, UserMessage.Format(Messages.InvalidModelCard, file, Messages.CardEmpty), file);
        }

        if (card.Format != CurrentFormat)
        {
            throw new UptrainException("UnsupportedModelFormat", ErrorKind.InvalidData, UserMessage.Format(Messages.UnsupportedModelFormat, file, card.Format, CurrentFormat), file);
        }

        if (card.Problem() is { } problem)
        {
            throw new UptrainException("InvalidModelCard", ErrorKind.InvalidData, UserMessage.Format(Messages.InvalidModelCardValue, file, problem), file);
        }

        card.Path = System.IO.Path.GetFullPath(folder);
        return card;
    }

    /// <summary>Writes the card into <paramref name="folder"/> (through a temporary file).</summary>
    public void Write(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        AtomicFile.WriteAllBytes(System.IO.Path.Combine(folder, FileName), JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions));
    }

    /// <summary>What makes the card unusable, or null: labels, lengths and the file names it gives.</summary>
    private string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Kind))
        {
            return Messages.CardNoKind;
        }

        if (Labels is not { Count: > 0 })
        {
            return Messages.CardNoLabels;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in Labels)
        {
            if (string.IsNullOrWhiteSpace(label))
            {
                return Messages.CardBlankLabel;
            }

            if (!seen.Add(label))
            {
                return UserMessage.Format(Messages.CardDuplicateLabel, label);
            }
        }

        if (MaxLength is < MinMaxLength or > MaxMaxLength)
        {
            return UserMessage.Format(Messages.CardMaxLength, MaxLength, MinMaxLength, MaxMaxLength);
        }

        if (Tokenizer is null)
        {
            return Messages.CardNoTokenizer;
        }

        // A student hashes its features and has no vocabulary file; every other kind needs one.
        var names = new List<string?> { Weights };
        if (Quantized is not null)
        {
            names.Add(Quantized.Weights);
        }

        if (Tokenizer.Vocab is not null || !(ModelKinds.TryParse(Kind, out var kind) && kind == ModelKind.Student))
        {
            names.Add(Tokenizer.Vocab);
        }

        foreach (var name in names.Concat(Files?.Keys ?? Enumerable.Empty<string>()))
        {
            if (!IsPlainName(name))
            {
                return UserMessage.Format(Messages.CardBadFileName, name);
            }
        }

        return null;
    }

    /// <summary>A file name inside the folder: not empty, not rooted, no <c>..</c> step out of it.</summary>
    private static bool IsPlainName(string? name) =>
        !string.IsNullOrWhiteSpace(name)
        && !System.IO.Path.IsPathRooted(name)
        && !name.Split('/', '\\').Any(part => part is ".." or "." or "");

    /// <inheritdoc />
    public override string ToString() =>
        UserMessage.Format(Exclusive ? Messages.CardDisplayExclusive : Messages.CardDisplayMultilabel, Kind, string.Join(", ", Labels));
}

/// <summary>The tokenizer part of a <see cref="ModelCard"/>.</summary>
public sealed class TokenizerCard
{
    /// <summary><c>wordpiece</c> (BERT family) or <c>ngram-hash</c> (a student: see <c>Student.StudentFeaturizer</c>).</summary>
    public string Type { get; set; } = "wordpiece";

    /// <summary>The vocabulary file inside the model folder; null for a student, which hashes its features and has none (written as
    /// <c>null</c>, so that it does not read back as the default).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Vocab { get; set; } = ModelFolder.VocabFileName;

    /// <summary>Whether texts are lower-cased (and accents stripped) before word pieces are looked up.</summary>
    public bool LowerCase { get; set; } = true;
}

/// <summary>
/// The 8-bit part of a teacher's <see cref="ModelCard"/>: the graph's file and what it scored on the eval data beside the
/// fp32 graph. It is written only where the score moved by less than the limit the quantisation keeps to.
/// </summary>
public sealed class QuantizedCard
{
    /// <summary>The 8-bit graph inside the folder (<c>model.int8.onnx</c>).</summary>
    public string Weights { get; set; } = ModelFolder.QuantizedOnnxFileName;

    /// <summary>How it was made: <c>dynamic-int8</c> (int8 weights, symmetric, a scale per output column; uint8 activations per batch).</summary>
    public string Method { get; set; } = "dynamic-int8";

    /// <summary>The 8-bit graph's eval score (the same metric as <see cref="ModelCard.Metrics"/>' <c>score</c>).</summary>
    public double Score { get; set; }

    /// <summary>The fp32 graph's score on the same texts, scored by ONNX Runtime as the 8-bit one was.</summary>
    public double Float32Score { get; set; }

    /// <summary><see cref="Score"/> minus <see cref="Float32Score"/>.</summary>
    public double ScoreChange { get; set; }

    /// <summary>The share of eval texts whose top label is the same under both graphs (0 to 1).</summary>
    public double TopLabelAgreement { get; set; }

    /// <summary>The largest difference of one label's probability between the graphs, over the eval texts.</summary>
    public double MaxProbabilityChange { get; set; }

    /// <summary>The texts both graphs scored.</summary>
    public int Examples { get; set; }

    /// <summary><c>eval</c>, or <c>train</c> where the model was trained without eval data.</summary>
    public string EvaluatedOn { get; set; } = "eval";
}
