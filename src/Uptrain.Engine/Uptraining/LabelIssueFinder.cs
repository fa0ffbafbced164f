using System.Text.Json;
using Uptrain.Data;
using Uptrain.IO;

namespace Uptrain.Uptraining;

/// <summary>
/// Ranks gold labels by how confidently an out-of-fold model disagrees with them (the margin of confident learning,
/// Northcutt et al. 2021): exclusive, the model's top label against the given one, by the difference of their
/// probabilities; multilabel, each known label whose probability is on the other side of 0.5 than its gold value.
/// </summary>
public static class LabelIssueFinder
{
    /// <summary>The issues in <paramref name="predictions"/>, most suspect first, ranked from 1.</summary>
    /// <param name="predictions">Out-of-fold predictions of gold examples (their Cats are the given labels).</param>
    /// <param name="exclusive">One label per text (argmax) or independent labels.</param>
    public static List<LabelIssue> Rank(IEnumerable<TextcatPrediction> predictions, bool exclusive)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var issues = new List<LabelIssue>();
        foreach (var prediction in predictions)
        {
            if (exclusive)
            {
                AddExclusive(issues, prediction);
            }
            else
            {
                AddMultilabel(issues, prediction);
            }
        }
        // Stable: equal margins keep the examples' order.
        var ranked = issues.Select((issue, i) => (issue, i)).OrderByDescending(x => x.issue.Confidence).ThenBy(x => x.i).Select(x => x.issue).ToList();
        for (var r = 0; r < ranked.Count; r++)
        {
            ranked[r].Rank = r + 1;
        }
        return ranked;
    }

    /// <summary>
    /// Writes one review task per example with issues, in the order of its most suspect issue, to
    /// <paramref name="path"/> (through a temporary file moved into place): every label an option, the given labels
    /// pre-selected, the model's probabilities and the suggestion in <c>meta</c>. Returns how many tasks it wrote.
    /// <c>ReviewFileExists</c> (ResourceExists) when the file exists and <paramref name="overwrite"/> is false.
    /// </summary>
    public static int WriteReviewTasks(string path, IReadOnlyList<LabelIssue> issues, bool exclusive, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(issues);
        CheckReviewTarget(path, overwrite);
        var examples = issues.GroupBy(i => i.Prediction).Select(g => g.ToList()).ToList();
        AtomicFile.Write(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream, JsonPlain.WriterOptions);
            foreach (var group in examples)
            {
                json.Reset();
                WriteTask(json, group, exclusive);
                json.Flush();
                stream.WriteByte((byte)'\n');
            }
        }, overwrite, DataFiles.BufferSize);
        return examples.Count;
    }

    /// <summary>Stops before any work when the review file exists and may not be replaced.</summary>
    /// <exception cref="Diagnostics.UptrainException"><c>ReviewFileExists</c> (ResourceExists).</exception>
    public static void CheckReviewTarget(string path, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!overwrite && File.Exists(path))
        {
            throw new Diagnostics.UptrainException(
                "ReviewFileExists", Diagnostics.ErrorKind.ResourceExists, Diagnostics.UserMessage.Format(Messages.LabelIssueReviewExists, path), path);
        }
    }

    private static void AddExclusive(List<LabelIssue> issues, TextcatPrediction prediction)
    {
        var given = prediction.Cats.Where(c => c.Value == 1.0).Select(c => c.Key).FirstOrDefault();
        if (given is null || prediction.Label == given)
        {
            return;
        }
        issues.Add(new LabelIssue(prediction, given, prediction.Label, prediction.Scores.GetValueOrDefault(given), prediction.Confidence));
    }

    private static void AddMultilabel(List<LabelIssue> issues, TextcatPrediction prediction)
    {
        foreach (var (label, gold) in prediction.Cats)
        {
            if (double.IsNaN(gold))
            {
                continue;
            }
            var p = prediction.Scores.GetValueOrDefault(label);
            if (gold >= 0.5 && p < 0.5)
            {
                issues.Add(new LabelIssue(prediction, label, LabelIssue.NotPrefix + label, p, 1 - p));
            }
            else if (gold < 0.5 && p >= 0.5)
            {
                issues.Add(new LabelIssue(prediction, LabelIssue.NotPrefix + label, label, 1 - p, p));
            }
        }
    }

    // A textcat.correct-style choice task: the given labels pre-selected, so that accepting as is keeps the gold.
    private static void WriteTask(Utf8JsonWriter json, List<LabelIssue> issues, bool exclusive)
    {
        var prediction = issues[0].Prediction;
        var options = prediction.Scores.Keys.Concat(prediction.Cats.Keys).Distinct(StringComparer.Ordinal).ToList();
        var given = prediction.Cats.Where(c => c.Value >= 0.5).Select(c => c.Key).ToList();
        var inputHash = UptrainHashes.InputHashOf(prediction);
        json.WriteStartObject();
        json.WriteString("text", prediction.Text);
        ProdigyChoiceRecords.WriteChoices(json, options, given);
        ProdigyChoiceRecords.WriteView(json, exclusive);
        UptrainRecords.StartMeta(json, prediction, SourceName, OwnMetaKeys);
        // The reviewer marks the labels in question.
        json.WriteStartArray("uncertain");
        foreach (var label in issues.Select(i => i.SuggestedLabel.StartsWith(LabelIssue.NotPrefix, StringComparison.Ordinal) ? i.GivenLabel : i.SuggestedLabel).Distinct(StringComparer.Ordinal))
        {
            json.WriteStringValue(label);
        }
        json.WriteEndArray();
        json.WriteString("suggested", string.Join(", ", issues.Select(i => i.SuggestedLabel)));
        json.WriteNumber("confidence", Math.Round(issues[0].Confidence, 4));
        json.WriteNumber("rank", issues[0].Rank);
        json.WriteEndObject();
        json.WriteNumber("_input_hash", inputHash);
        json.WriteNumber("_task_hash", UptrainHashes.TaskHash(inputHash, options));
        json.WriteEndObject();
    }

    // The meta keys a label-issue task sets besides those of every task.
    private static readonly string[] OwnMetaKeys = ["suggested", "confidence", "rank"];

    /// <summary>The <c>meta.source</c> of a label-issue review task.</summary>
    public const string SourceName = "uptrain-label-issue";
}
