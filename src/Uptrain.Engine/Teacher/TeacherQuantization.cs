using System.Text.Json;
using Uptrain.Diagnostics;
using Uptrain.Metrics;
using Uptrain.Models;
using Uptrain.Teacher.Onnx;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Teacher;

/// <summary>
/// Writes a teacher's 8-bit graph (<see cref="ModelFolder.QuantizedOnnxFileName"/>, made by <see cref="OnnxQuantizer"/>)
/// beside its fp32 <c>model.onnx</c> and keeps it only where it scores the eval data as well: both graphs score the same
/// texts through ONNX Runtime, and the 8-bit one stays when its score moves by less than <see cref="MaxScoreChange"/>. When
/// the whole graph moves it too far, a second graph keeps the feed-forward output products in fp32 as well
/// (<see cref="MethodFeedForwardOutputsFp32"/>) and is measured the same way.
/// The figures go into the card (<see cref="ModelCard.Quantized"/>). The classifier head stays fp32 (it is a few
/// thousand weights, and the scores are most sensitive there); the embeddings are looked up, not multiplied, and stay
/// fp32 too.
/// </summary>
public static class TeacherQuantization
{
    /// <summary>The largest change of the eval score the 8-bit graph may bring: 0.005, half a point of F1 or AUC.</summary>
    public const double MaxScoreChange = 0.005;

    /// <summary>The card's <see cref="QuantizedCard.Method"/> when every matrix product but the head's is 8-bit.</summary>
    public const string MethodAll = "dynamic-int8";

    /// <summary>
    /// The card's <see cref="QuantizedCard.Method"/> when the feed-forward output products stayed fp32 as well: the second
    /// attempt, made when the whole graph moved the eval score too far. Their input is the GELU output, the widest-ranged
    /// activation of a layer and so the one a per-batch 8-bit scale serves worst; measured on the Debian sections teacher
    /// (bench/results/2026-11-30-teacher-int8.md) the whole graph moved the eval macro F by −0.0098 at 2.55× the fp32
    /// speed, this one by +0.0043 at 1.55×.
    /// </summary>
    public const string MethodFeedForwardOutputsFp32 = "dynamic-int8, feed-forward outputs fp32";

    /// <summary>The names of the feed-forward output weights in the exported graph (<c>encoder.layer.N.output.dense.weight.T</c>).</summary>
    internal static readonly System.Text.RegularExpressions.Regex FeedForwardOutput = new(@"^encoder\.layer\.\d+\.output\.dense\.weight\.T$");

    /// <summary>The head's weight in the exported graph (<see cref="TeacherOnnxExport"/>): it stays fp32.</summary>
    public const string HeadWeight = "classifier.weight.T";

    /// <summary>
    /// Quantises the teacher in <paramref name="folder"/> (written earlier, with or without -Quantize), checks it on
    /// <paramref name="eval"/> and seals the folder again with the 8-bit graph, or without one when it was not kept.
    /// </summary>
    /// <returns>The card's new <see cref="QuantizedCard"/>, or null when the 8-bit graph was not kept (a warning says why).</returns>
    /// <exception cref="UptrainException">What <see cref="TextcatModel.Load"/> throws for the folder; <c>UnsupportedModelKind</c> for a student.</exception>
    public static QuantizedCard? QuantizeFolder(string folder, IReadOnlyList<TextcatExample> eval, IOutputWriter output)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(eval);
        ArgumentNullException.ThrowIfNull(output);
        var card = ModelCard.Read(folder);
        if (!ModelKinds.TryParse(card.Kind, out var kind) || kind != ModelKind.Teacher)
        {
            throw new UptrainException("UnsupportedModelKind", ErrorKind.InvalidData, Format(Messages.QuantizeNotTeacher, card.Path, card.Kind), card.Path);
        }

        ModelFolder.Verify(card, output);
        File.Delete(Path.Combine(card.Path!, ModelFolder.QuantizedOnnxFileName));
        var result = Apply(card.Path!, card, eval, evalIsTrain: false, PositiveLabelOf(card), output);
        ModelFolder.Seal(card.Path!, card);
        return result;
    }

    /// <summary>
    /// Writes the 8-bit graph into <paramref name="folder"/>, which holds the fp32 graph and the vocabulary named by
    /// <paramref name="card"/> (the card itself need not be there yet), scores both and sets <see cref="ModelCard.Quantized"/>
    /// or, when the score moved too far, deletes the 8-bit graph and leaves it null.
    /// </summary>
    internal static QuantizedCard? Apply(string folder, ModelCard card, IReadOnlyList<TextcatExample> eval, bool evalIsTrain, string? positiveLabel, IOutputWriter output, double maxScoreChange = MaxScoreChange)
    {
        var target = Path.Combine(folder, ModelFolder.QuantizedOnnxFileName);
        var graph = ModelProto.Load(Path.Combine(folder, card.Weights));
        string[] feedForwardOutputs = [.. OnnxQuantizer.FloatWeightMatMuls(graph).Where(name => FeedForwardOutput.IsMatch(name))];
        var attempts = new List<(string Method, string[] KeepFloat)> { (MethodAll, [HeadWeight]) };
        if (feedForwardOutputs.Length > 0)
        {
            attempts.Add((MethodFeedForwardOutputsFp32, [HeadWeight, .. feedForwardOutputs]));
        }

        // The fp32 graph scores the eval data once; each 8-bit attempt is compared with those predictions.
        var path = card.Path;
        card.Path = Path.GetFullPath(folder);
        try
        {
            using var full = TextcatModel.Open(card, new ScorerRequest(ComputeDevice.Cpu, Environment.ProcessorCount, ModelPrecision.Float32, Verify: false), NullOutputWriter.Instance);
            var fullPredictions = full.Predict(eval).ToList();
            QuantizedCard? figures = null;
            foreach (var (method, keepFloat) in attempts)
            {
                if (figures is not null)
                {
                    output.WriteVerbose(Format(Messages.QuantizationRetry, figures.Float32Score, figures.Score, figures.ScoreChange, maxScoreChange));
                }

                var (quantized, count) = OnnxQuantizer.Quantize(graph, keepFloat);
                quantized.Save(target);
                card.Quantized = new QuantizedCard { Weights = ModelFolder.QuantizedOnnxFileName };
                using (var eight = TextcatModel.Open(card, new ScorerRequest(ComputeDevice.Cpu, Environment.ProcessorCount, ModelPrecision.Int8, Verify: false), NullOutputWriter.Instance))
                {
                    figures = Compare(fullPredictions, eight, eval, positiveLabel);
                }

                card.Quantized = null;
                figures.Method = method;
                figures.EvaluatedOn = evalIsTrain ? "train" : "eval";
                if (Math.Abs(figures.ScoreChange) < maxScoreChange)
                {
                    card.Quantized = figures;
                    output.WriteVerbose(Format(Messages.QuantizationKept, count, figures.Float32Score, figures.Score, figures.ScoreChange, figures.TopLabelAgreement, figures.Examples));
                    return figures;
                }
            }

            File.Delete(target);
            output.WriteWarning(Format(Messages.QuantizationNotKept, figures!.Float32Score, figures.Score, figures.ScoreChange, maxScoreChange, figures.Examples));
            return null;
        }
        catch
        {
            card.Quantized = null;
            File.Delete(target);
            throw;
        }
        finally
        {
            card.Path = path;
        }
    }

    /// <summary>
    /// Scores <paramref name="examples"/> with the fp32 and the 8-bit model: both scores, the change, the share of texts whose
    /// top label agrees and the largest change of any probability (the figures the card records).
    /// </summary>
    public static QuantizedCard Compare(TextcatModel full, TextcatModel eight, IReadOnlyList<TextcatExample> examples, string? positiveLabel)
    {
        ArgumentNullException.ThrowIfNull(full);
        ArgumentNullException.ThrowIfNull(eight);
        ArgumentNullException.ThrowIfNull(examples);
        return Compare(full.Predict(examples).ToList(), eight, examples, positiveLabel);
    }

    /// <summary>As the public overload, with the fp32 model's predictions of <paramref name="examples"/> already made.</summary>
    private static QuantizedCard Compare(List<TextcatPrediction> fullPredictions, TextcatModel eight, IReadOnlyList<TextcatExample> examples, string? positiveLabel)
    {
        var options = new TextcatScorerOptions { Labels = eight.Labels, Exclusive = eight.Exclusive, PositiveLabel = positiveLabel };
        var fullScore = new TextcatScoreAccumulator(options);
        var eightScore = new TextcatScoreAccumulator(options);
        var agree = 0;
        var maxChange = 0.0;
        foreach (var (a, b) in fullPredictions.Zip(eight.Predict(examples)))
        {
            fullScore.Add(new ScoredItem(a.Cats, a.Scores));
            eightScore.Add(new ScoredItem(b.Cats, b.Scores));
            agree += a.Label == b.Label ? 1 : 0;
            maxChange = Math.Max(maxChange, a.Scores.Max(s => Math.Abs(s.Value - b.Scores[s.Key])));
        }

        var figures = new QuantizedCard
        {
            Float32Score = fullScore.Finish().Score,
            Score = eightScore.Finish().Score,
            TopLabelAgreement = examples.Count == 0 ? 1 : (double)agree / examples.Count,
            MaxProbabilityChange = maxChange,
            Examples = examples.Count,
        };
        figures.ScoreChange = figures.Score - figures.Float32Score;
        return figures;
    }

    /// <summary>The positive label the teacher was trained with (its card's <c>training.positiveLabel</c>), or null.</summary>
    public static string? PositiveLabelOf(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return card.Training.TryGetValue("positiveLabel", out var value) ? value switch
        {
            string text => text,
            JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
            _ => null,
        } : null;
    }
}
