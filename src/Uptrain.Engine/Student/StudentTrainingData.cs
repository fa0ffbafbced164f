using Uptrain.Data;
using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Training;
using static Uptrain.Diagnostics.UserMessage;

namespace Uptrain.Student;

/// <summary>
/// The training examples made ready for the loop: the labels and the task kind, every example's stored rows, targets
/// and weight, and the table of stored rows (the buckets that at least one training text touches, ascending).
/// </summary>
internal sealed class StudentTrainingData
{
    private StudentTrainingData(
        IReadOnlyList<string> labels,
        bool exclusive,
        StudentFeaturizer featurizer,
        int[] rowBuckets,
        int[][] rows,
        float[][] targets,
        float[] weights,
        int ignored,
        int[][]? pieces,
        StaticVectors? statics,
        int[][]? orderedPieces,
        int[] sources)
    {
        Sources = sources;
        Pieces = pieces;
        OrderedPieces = orderedPieces;
        Static = statics;
        Labels = labels;
        Exclusive = exclusive;
        Featurizer = featurizer;
        RowBuckets = rowBuckets;
        Rows = rows;
        Targets = targets;
        Weights = weights;
        Ignored = ignored;
    }

    public IReadOnlyList<string> Labels { get; }

    public bool Exclusive { get; }

    public StudentFeaturizer Featurizer { get; }

    /// <summary>The bucket of every stored row, ascending.</summary>
    public int[] RowBuckets { get; }

    /// <summary>Per trained example: the stored rows of its features.</summary>
    public int[][] Rows { get; }

    /// <summary>Per trained example: its word piece ids, when the student has static vectors; else null.</summary>
    public int[][]? Pieces { get; }

    /// <summary>Per trained example: the word pieces a word-order part reads (<see cref="WordPieces.Split(FeatureWorkspace, List{int}?, int)"/>), when the student has token vectors; else null.</summary>
    public int[][]? OrderedPieces { get; }

    /// <summary>The static vectors made from the training texts; null for an n-gram student.</summary>
    public StaticVectors? Static { get; }

    /// <summary>Per trained example: a target per label, NaN where unknown.</summary>
    public float[][] Targets { get; }

    /// <summary>Per trained example: its index in the examples it was prepared from.</summary>
    public int[] Sources { get; }

    /// <summary>True when some trained example's target comes from the teacher's scores (only those change with the temperature).</summary>
    public bool UsesScores { get; private init; }

    /// <summary>The temperature of <see cref="Targets"/>.</summary>
    public double Temperature { get; private set; }

    /// <summary>Per trained example: its weight in the loss.</summary>
    public float[] Weights { get; }

    /// <summary>Examples left out because they have no known label and no score.</summary>
    public int Ignored { get; }

    public int Count => Rows.Length;

    /// <summary>Checks and prepares <paramref name="examples"/>.</summary>
    /// <exception cref="UptrainException"><c>NoTrainingLabels</c>, <c>NoTrainableExamples</c>.</exception>
    public static StudentTrainingData Prepare(IReadOnlyList<StudentExample> examples, StudentTrainingOptions options, IOutputWriter output, TokenVectors? vectors = null, CancellationToken cancellationToken = default)
    {
        if (examples.Count == 0)
        {
            throw new UptrainException("NoExamples", ErrorKind.InvalidData, Messages.StudentNoTrainingExamples);
        }

        var labels = options.Labels is { Count: > 0 } given ? [.. given] : LabelsOf(examples);
        if (labels.Count == 0)
        {
            throw new UptrainException("NoLabels", ErrorKind.InvalidData, Messages.NoTrainingLabels, examples);
        }

        // Refused before any text is featurized.
        TrainingPlanner.CheckPositiveLabel(labels, options.PositiveLabel);
        CheckSilverLabels(examples);
        var exclusive = options.Exclusive ?? IsExclusive(examples);
        if (exclusive && labels.Count < 2)
        {
            // A softmax over one label gives it 1.0 whatever the text: refused as the teacher refuses it.
            throw new UptrainException("SingleLabel", ErrorKind.InvalidData, Format(Messages.SingleLabelExclusive, labels[0]), labels[0]);
        }

        var featurizer = new StudentFeaturizer(options.Buckets, options.WordNgrams, options.CharNgrams);
        var workspace = new FeatureWorkspace();
        var counts = new Dictionary<int, int>();
        var bucketRows = new List<int[]>();
        var pieces = vectors is null ? null : new List<int[]>();
        var orderedPieces = vectors is null ? null : new List<int[]>();
        var ordered = new List<int>();
        var wordPieces = vectors is null ? null : new WordPieces(vectors.Vocabulary, vectors.LowerCase);
        var targets = new List<float[]>();
        var weights = new List<float>();
        var sources = new List<int>();
        var ignored = 0;
        for (var index = 0; index < examples.Count; index++)
        {
            var example = examples[index];
            var target = StudentTargets.Of(example, labels, exclusive, options.Temperatures[0]);
            if (target is null)
            {
                ignored++;
                continue;
            }

            sources.Add(index);

            featurizer.Extract(example.Text, workspace);
            var rows = workspace.Rows.AsSpan(0, workspace.Count).ToArray();
            if (wordPieces is not null)
            {
                wordPieces.Split(workspace, ordered, WordOrderPart.MaxPieces);
                pieces!.Add([.. workspace.Pieces]);
                orderedPieces!.Add([.. ordered]);
            }

            if ((bucketRows.Count & 1023) == 1023)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ReportPreparing(output, bucketRows.Count + ignored, examples.Count);
            }

            foreach (var bucket in rows)
            {
                counts[bucket] = counts.GetValueOrDefault(bucket) + 1;
            }

            bucketRows.Add(rows);
            targets.Add(target);
            weights.Add(StudentTargets.WeightOf(example, options.GoldWeight));
        }

        if (ignored > 0)
        {
            output.WriteVerbose(Format(Messages.StudentIgnoredExamples, ignored, examples.Count));
        }

        if (bucketRows.Count == 0)
        {
            throw new UptrainException("NoTrainableExamples", ErrorKind.InvalidData, Format(Messages.NoTrainableExamples, examples.Count, Messages.StudentNothingKnown), examples);
        }

        ReportPreparing(output, examples.Count, examples.Count);
        cancellationToken.ThrowIfCancellationRequested();

        // Stored rows in bucket order, so that the weights file lists them ascending.
        var rowBuckets = counts.Where(c => c.Value >= options.MinCount).Select(c => c.Key).ToArray();
        Array.Sort(rowBuckets);
        var rowOf = new Dictionary<int, int>(rowBuckets.Length);
        for (var row = 0; row < rowBuckets.Length; row++)
        {
            rowOf[rowBuckets[row]] = row;
        }

        var tableRows = new int[bucketRows.Count][];
        for (var i = 0; i < tableRows.Length; i++)
        {
            if ((i & 4095) == 4095)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            tableRows[i] = StoredRows(bucketRows[i], rowOf);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var statics = vectors is null ? null : StaticVectors.Prepare(vectors, pieces!, options.SifCoefficient, options.TokenVectorScale, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return new StudentTrainingData(labels, exclusive, featurizer, rowBuckets, tableRows, [.. targets], [.. weights], ignored, pieces?.ToArray(), statics, orderedPieces?.ToArray(), [.. sources])
        {
            Temperature = options.Temperatures[0],
            UsesScores = sources.Any(i => StudentTargets.UsesScores(examples[i], labels)),
        };
    }

    /// <summary>
    /// Makes <see cref="Targets"/> those of <paramref name="temperature"/>; <paramref name="examples"/> are those the data was
    /// prepared from. Gold targets stay as they are; only the teacher's scores are tempered again.
    /// </summary>
    public void Retarget(IReadOnlyList<StudentExample> examples, double temperature)
    {
        if (temperature == Temperature)
        {
            return;
        }

        for (var i = 0; i < Targets.Length; i++)
        {
            // Known before, so known now: the temperature does not change which labels are known.
            Targets[i] = StudentTargets.Of(examples[Sources[i]], Labels, Exclusive, temperature)!;
        }

        Temperature = temperature;
    }

    /// <summary>Progress of the preparation, on the run's activity before its first epoch.</summary>
    private static void ReportPreparing(IOutputWriter output, int done, int total) =>
        output.WriteProgress(new ProgressInfo(
            StudentTrainer.RunActivityId, Messages.StudentTrainingActivity, Format(Messages.StudentPreparingStatus, done, total), total == 0 ? 100 : (int)(100L * done / total)));

    /// <summary>The stored rows of a text's buckets; buckets without a stored row (too rare) are left out.</summary>
    private static int[] StoredRows(int[] buckets, Dictionary<int, int> rowOf)
    {
        var count = 0;
        foreach (var bucket in buckets)
        {
            if (rowOf.TryGetValue(bucket, out var row))
            {
                buckets[count++] = row;
            }
        }

        return count == buckets.Length ? buckets : buckets[..count];
    }

    /// <summary>
    /// Every silver example must carry the labels of the first one (in any order): predictions of models with other labels
    /// would make one student of both label sets without a word, where Select-UptrainExample refuses the same mix.
    /// </summary>
    /// <exception cref="UptrainException"><c>LabelsDiffer</c>, naming the first example that differs.</exception>
    private static void CheckSilverLabels(IReadOnlyList<StudentExample> examples)
    {
        HashSet<string>? first = null;
        IReadOnlyDictionary<string, double>? firstScores = null;
        foreach (var example in examples)
        {
            if (example.Scores is not { Count: > 0 } scores)
            {
                continue;
            }

            if (first is null)
            {
                first = new HashSet<string>(scores.Keys, StringComparer.Ordinal);
                firstScores = scores;
                continue;
            }

            if (scores.Count != first.Count || !scores.Keys.All(first.Contains))
            {
                throw new UptrainException("LabelsDiffer", ErrorKind.InvalidData, Format(
                    Messages.StudentLabelsDiffer, "\"" + DataFiles.Preview(example.Text) + "\"", string.Join(", ", scores.Keys), string.Join(", ", firstScores!.Keys)), example);
            }
        }
    }

    /// <summary>The labels of the examples' Cats and Scores, in order of first appearance.</summary>
    private static List<string> LabelsOf(IReadOnlyList<StudentExample> examples)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var labels = new List<string>();
        foreach (var example in examples)
        {
            foreach (var label in (example.Cats?.Keys ?? []).Concat(example.Scores?.Keys ?? []))
            {
                if (seen.Add(label))
                {
                    labels.Add(label);
                }
            }
        }

        return labels;
    }

    /// <summary>
    /// Exclusive unless an example with known labels has other than exactly one of them above 0.5 (the teacher's rule:
    /// <c>TrainingPlanner</c>), or gives scores with two above 0.5 or a sum above 1 (allowing rounding).
    /// </summary>
    private static bool IsExclusive(IReadOnlyList<StudentExample> examples)
    {
        const double RoundingAllowance = 1e-3;
        foreach (var example in examples)
        {
            if (example.Cats is { Count: > 0 } cats && cats.Values.Count(v => v > 0.5) != 1)
            {
                return false;
            }

            if (example.Scores is not null && (example.Scores.Values.Count(v => v > 0.5) > 1 || example.Scores.Values.Sum() > 1 + RoundingAllowance))
            {
                return false;
            }
        }

        return true;
    }
}
