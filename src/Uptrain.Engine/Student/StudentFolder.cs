using System.Reflection;
using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Training;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Student;

/// <summary>
/// A student model folder: the card (<c>uptrain-model.json</c>, kind <c>student</c>) and the weights file
/// (<see cref="StudentWeightsFile"/>), written atomically through <see cref="ModelFolderWriter"/> and read back into a
/// <see cref="StudentModel"/> with every file's checksum verified.
/// </summary>
public static class StudentFolder
{
    /// <summary>The card's tokenizer type: hashed word and character n-grams (<see cref="StudentFeaturizer"/>).</summary>
    public const string TokenizerType = "ngram-hash";

    /// <summary>The card's tokenizer type of a student with token vectors: n-grams, and word pieces of the table's vocabulary.</summary>
    public const string TokenizerTypeWithVectors = "ngram-hash+wordpiece";

    /// <summary>
    /// Writes the trained student of <paramref name="outcome"/> into <paramref name="folder"/> and returns its card.
    /// </summary>
    /// <param name="outcome">What <see cref="StudentTrainer.Train"/> returned.</param>
    /// <param name="options">The options it was trained with (recorded in the card).</param>
    /// <param name="folder">The model folder to write.</param>
    /// <param name="force">Replace an existing folder.</param>
    /// <param name="data">More entries for the card's <see cref="ModelCard.Data"/>, such as the data fingerprints the
    /// host computes from its examples; null for none.</param>
    /// <param name="quantize">Store the rows as 8-bit integers (<see cref="StudentModel.Quantize"/>) although the model was
    /// trained without <see cref="StudentTrainingOptions.Quantize"/>; the card's metrics then remain those of the model
    /// before quantization.</param>
    /// <exception cref="UptrainException"><c>OutputExists</c>.</exception>
    public static ModelCard Write(StudentTrainingOutcome outcome, StudentTrainingOptions options, string folder, bool force, IReadOnlyDictionary<string, object?>? data = null, bool quantize = false)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(folder);
        var card = MakeCard(outcome, options, data);
        card.Training["quantized"] = quantize || outcome.Model.Quantized;
        var model = quantize ? outcome.Model.Quantize() : outcome.Model;
        ModelFolderWriter.Write(folder, force, card, temp =>
        {
            StudentWeightsFile.Write(model, Path.Combine(temp, StudentWeightsFile.FileName));
            model.Network.Static?.Table.Write(Path.Combine(temp, TokenVectors.FileName));
            if (model.WordOrder is { } wordOrder)
            {
                WordOrderWeightsFile.Write(wordOrder.Network, Path.Combine(temp, WordOrderPart.WeightsFileName));
                wordOrder.Table.Write(Path.Combine(temp, WordOrderPart.VectorsFileName));
            }
        });
        card.Path = Path.GetFullPath(folder);
        return card;
    }

    /// <summary>Reads the student in <paramref name="folder"/>.</summary>
    /// <exception cref="UptrainException">
    /// <c>ModelNotFound</c>, <c>InvalidModelCard</c>, <c>UnsupportedModelFormat</c>, <c>UnsupportedModelKind</c> (not a
    /// student), <c>ModelFileChanged</c>, and those of <see cref="StudentWeightsFile.Read"/>.
    /// </exception>
    public static StudentModel Load(string folder, IOutputWriter output)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return Load(ModelCard.Read(folder), output);
    }

    /// <summary>Reads the student whose card is <paramref name="card"/> (read with <see cref="ModelCard.Read"/>).</summary>
    /// <exception cref="UptrainException">As <see cref="Load(string, IOutputWriter)"/>.</exception>
    public static StudentModel Load(ModelCard card, IOutputWriter output) => Load(card, output, verify: true);

    /// <summary>As <see cref="Load(ModelCard, IOutputWriter)"/>; <paramref name="verify"/> false skips the checksums (a caller that checked them).</summary>
    internal static StudentModel Load(ModelCard card, IOutputWriter output, bool verify)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(output);
        var folder = card.Path ?? throw new ArgumentException(Messages.CardWithoutFolder, nameof(card));
        if (!ModelKinds.TryParse(card.Kind, out var kind) || kind != ModelKind.Student)
        {
            throw new UptrainException("UnsupportedModelKind", ErrorKind.InvalidData, Format(Messages.StudentFolderNotStudent, folder, card.Kind), folder);
        }

        if (verify)
        {
            ModelFolder.Verify(card, output);
        }

        var path = Path.Combine(folder, card.Weights);
        var tablePath = Path.Combine(folder, TokenVectors.FileName);
        var table = File.Exists(tablePath) ? TokenVectors.Read(tablePath) : null;
        var model = StudentWeightsFile.Read(path, table);
        if (!model.Labels.SequenceEqual(card.Labels, StringComparer.Ordinal) || model.Exclusive != card.Exclusive)
        {
            throw new UptrainException("InvalidModelCard", ErrorKind.InvalidData, Format(Messages.StudentCardMismatch, Path.Combine(folder, ModelCard.FileName), path), folder);
        }

        return model.WithWordOrder(ReadWordOrder(folder, model));
    }

    /// <summary>The word-order part in <paramref name="folder"/>; null when the student has none.</summary>
    /// <exception cref="UptrainException"><c>ModelNotFound</c> (weights without their vectors), and those of
    /// <see cref="TokenVectors.Read"/> and <see cref="WordOrderWeightsFile.Read"/>; <c>InvalidStudentWeights</c> when the
    /// part's vocabulary is not that of the student's token vectors.</exception>
    private static WordOrderPart? ReadWordOrder(string folder, StudentModel model)
    {
        var weights = Path.Combine(folder, WordOrderPart.WeightsFileName);
        if (!File.Exists(weights))
        {
            return null;
        }

        var vectorsPath = Path.Combine(folder, WordOrderPart.VectorsFileName);
        if (!File.Exists(vectorsPath))
        {
            throw new UptrainException("ModelNotFound", ErrorKind.ObjectNotFound, Format(Messages.WordOrderNeedsVectors, folder, WordOrderPart.WeightsFileName, WordOrderPart.VectorsFileName), vectorsPath);
        }

        var part = WordOrderWeightsFile.Read(weights, TokenVectors.Read(vectorsPath), model.Labels.Count);
        if (model.Network.Static is { } statics && !statics.Table.Vocabulary.SequenceEqual(part.Table.Vocabulary, StringComparer.Ordinal))
        {
            throw StudentWeightsFile.Invalid(vectorsPath, Format(Messages.StudentWeightsDamaged, vectorsPath, Format(Messages.WordOrderVocabulary, TokenVectors.FileName)));
        }

        return part;
    }

    /// <summary>The card of a trained student.</summary>
    internal static ModelCard MakeCard(StudentTrainingOutcome outcome, StudentTrainingOptions options, IReadOnlyDictionary<string, object?>? data)
    {
        var model = outcome.Model;
        var dataEntries = new Dictionary<string, object?>
        {
            ["trainExamples"] = outcome.TrainedExamples,
            ["ignoredExamples"] = outcome.IgnoredExamples,
            ["evalExamples"] = outcome.EvalExamples,
            ["evaluatedOn"] = outcome.EvaluatedOnTraining ? "train" : "eval",
        };
        foreach (var (key, value) in data ?? new Dictionary<string, object?>())
        {
            dataEntries[key] = value;
        }

        return new ModelCard
        {
            Kind = ModelKinds.Name(ModelKind.Student),
            Labels = [.. model.Labels],
            Exclusive = model.Exclusive,
            Weights = StudentWeightsFile.FileName,
            Tokenizer = new TokenizerCard { Type = model.HasTokenVectors ? TokenizerTypeWithVectors : TokenizerType, Vocab = null, LowerCase = true },
            Training = SettingsOf(outcome, options),
            Metrics = CardValues.Metrics(outcome.BestScore),
            Data = dataEntries,
            Versions = new Dictionary<string, string>
            {
                ["Uptrain"] = CardValues.VersionOf(typeof(StudentFolder).Assembly),
                [".NET"] = Environment.Version.ToString(),
            },
        };
    }

    private static Dictionary<string, object?> SettingsOf(StudentTrainingOutcome outcome, StudentTrainingOptions options) => new()
    {
        ["epochs"] = options.Epochs,
        ["epochsRun"] = outcome.History.Count,
        ["bestEpoch"] = outcome.BestEpoch,
        ["optimizer"] = "sgd",
        ["learningRate"] = options.LearningRate,
        ["schedule"] = "linear",
        ["dimension"] = options.Dimension,
        ["hidden"] = options.Hidden,
        ["buckets"] = options.Buckets,
        ["storedRows"] = outcome.Model.StoredRows,
        ["minCount"] = options.MinCount,
        ["wordNgrams"] = options.WordNgrams,
        ["charNgrams"] = options.CharNgrams,
        ["minCharNgram"] = StudentFeaturizer.MinCharNgram,
        ["maxCharNgram"] = StudentFeaturizer.MaxCharNgram,
        ["normalization"] = "NFKC, lower case (invariant)",
        ["tokenVectors"] = outcome.Model.HasTokenVectors
            ? new Dictionary<string, object?>
            {
                ["source"] = outcome.Model.Network.Static!.Table.Source,
                ["dimension"] = outcome.Model.Network.Static.SourceDimension,
                ["storedDimension"] = outcome.Model.TokenVectorDimension,
                ["wordPieces"] = outcome.Model.Network.Static.Table.Count,
                ["sifCoefficient"] = options.SifCoefficient,
            }
            : null,
        ["wordOrder"] = outcome.Model.WordOrder is { } wordOrder
            ? new Dictionary<string, object?>
            {
                ["filters"] = wordOrder.Network.Filters,
                ["widths"] = ConvolutionNetwork.Widths,
                ["dimension"] = wordOrder.Dimension,
                ["maxPieces"] = WordOrderPart.MaxPieces,
                ["optimizer"] = "adam",
                ["learningRate"] = options.WordOrderLearningRate,
                ["batchSize"] = WordOrderTrainingLoop.BatchSize,
                ["epochsRun"] = outcome.WordOrderHistory?.Count ?? 0,
                ["bestEpoch"] = outcome.WordOrderEpoch,
                ["combination"] = "mean of probabilities",
            }
            : null,
        ["l2"] = options.L2,
        ["temperature"] = outcome.Temperature,
        ["temperaturesTried"] = outcome.TemperatureScores is { Count: > 0 } tried
            ? tried.Select(t => new Dictionary<string, object?> { ["temperature"] = t.Temperature, ["epoch"] = t.Epoch, ["score"] = t.Score.Score }).ToList()
            : null,
        ["goldWeight"] = options.GoldWeight,
        ["seed"] = options.Seed,
        ["threads"] = options.Threads,
        ["patience"] = options.Patience,
        ["positiveLabel"] = options.PositiveLabel,
        ["selectionMetric"] = outcome.BestScore.ScoreDescription,
        ["stopped"] = outcome.Stopped,
        ["earlyStopped"] = outcome.EarlyStopped,
    };
}
