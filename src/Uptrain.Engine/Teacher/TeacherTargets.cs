namespace Uptrain.Teacher;

/// <summary>
/// Training targets per example. Exclusive: the class index of the highest-valued label (<see cref="Classes"/>).
/// Multilabel: row-major [examples, labels] values and a known mask, 0 where the example's Cats lack the label, so
/// that the loss leaves it out (a Prodigy binary answer says nothing about the other labels).
/// </summary>
internal sealed class TeacherTargets
{
    public TeacherTargets(IReadOnlyList<TextcatExample> examples, IReadOnlyList<string> labels)
    {
        LabelCount = labels.Count;
        Classes = new long[examples.Count];
        Values = new float[examples.Count * labels.Count];
        Known = new float[examples.Count * labels.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            var best = double.NegativeInfinity;
            for (var l = 0; l < labels.Count; l++)
            {
                if (examples[i].Cats.TryGetValue(labels[l], out var value) && !double.IsNaN(value))
                {
                    Values[(i * labels.Count) + l] = (float)value;
                    Known[(i * labels.Count) + l] = 1;
                    if (value > best)
                    {
                        best = value;
                        Classes[i] = l;
                    }
                }
            }
        }
    }

    public int LabelCount { get; }

    public long[] Classes { get; }

    public float[] Values { get; }

    public float[] Known { get; }
}
