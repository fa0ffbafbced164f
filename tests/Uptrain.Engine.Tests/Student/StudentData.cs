using System.Globalization;
using Uptrain.Student;

namespace Uptrain.Tests.Student;

/// <summary>Generated classification tasks: every label has its own words, hidden among shared noise words.</summary>
internal static class StudentData
{
    public static readonly string[] Labels = ["alpha", "beta", "gamma", "delta"];

    /// <summary>Exclusive: each text has 2 words of its label and 8 noise words, shuffled.</summary>
    public static List<StudentExample> Exclusive(int count, int seed)
    {
        var random = new Random(seed);
        var examples = new List<StudentExample>(count);
        for (var i = 0; i < count; i++)
        {
            var label = i % Labels.Length;
            var words = Noise(random, 8);
            words.Add(ClassWord(random, label));
            words.Add(ClassWord(random, label));
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(words));
            var cats = Labels.Select((l, k) => (l, k)).ToDictionary(x => x.l, x => x.k == label ? 1.0 : 0.0);
            examples.Add(new StudentExample(string.Join(' ', words), cats));
        }

        return examples;
    }

    /// <summary><see cref="Exclusive"/> as gold <see cref="TextcatExample"/>s.</summary>
    public static List<TextcatExample> ExclusiveGold(int count, int seed) =>
        Exclusive(count, seed).Select(e =>
        {
            var example = new TextcatExample(e.Text);
            foreach (var (label, value) in e.Cats!)
            {
                example.Cats[label] = value;
            }
            return example;
        }).ToList();

    /// <summary>Multilabel: each label applies with even odds; an applying label adds 2 of its words.</summary>
    public static List<StudentExample> Multilabel(int count, int seed)
    {
        var random = new Random(seed);
        var examples = new List<StudentExample>(count);
        for (var i = 0; i < count; i++)
        {
            var words = Noise(random, 6);
            var cats = new Dictionary<string, double>();
            for (var label = 0; label < Labels.Length; label++)
            {
                var applies = random.Next(2) == 1;
                cats[Labels[label]] = applies ? 1.0 : 0.0;
                if (applies)
                {
                    words.Add(ClassWord(random, label));
                    words.Add(ClassWord(random, label));
                }
            }

            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(words));
            examples.Add(new StudentExample(string.Join(' ', words), cats));
        }

        return examples;
    }

    /// <summary>Options small enough for a fast test.</summary>
    public static StudentTrainingOptions SmallOptions(int epochs = 5) => new()
    {
        Epochs = epochs,
        Buckets = 1 << 16,
        Dimension = 16,
        Threads = 1,
        Seed = 7,
    };

    /// <summary>Share of texts whose top label is their gold label.</summary>
    public static double Accuracy(StudentModel model, IReadOnlyList<StudentExample> examples)
    {
        var right = 0;
        foreach (var example in examples)
        {
            var scores = model.ScoreLabels(example.Text);
            var top = scores.MaxBy(s => s.Value).Key;
            right += example.Cats![top] == 1.0 ? 1 : 0;
        }

        return (double)right / examples.Count;
    }

    /// <summary>Share of (text, label) pairs where score ≥ 0.5 agrees with gold.</summary>
    public static double LabelAccuracy(StudentModel model, IReadOnlyList<StudentExample> examples)
    {
        var right = 0;
        var total = 0;
        foreach (var example in examples)
        {
            foreach (var (label, score) in model.ScoreLabels(example.Text))
            {
                right += (score >= 0.5) == (example.Cats![label] == 1.0) ? 1 : 0;
                total++;
            }
        }

        return (double)right / total;
    }

    private static string ClassWord(Random random, int label) =>
        string.Create(CultureInfo.InvariantCulture, $"{Labels[label]}{random.Next(5)}");

    private static List<string> Noise(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => string.Create(CultureInfo.InvariantCulture, $"noise{random.Next(300)}")).ToList();
}
