using Uptrain.Diagnostics;

namespace Uptrain.Teacher;

/// <summary>A dense float32 tensor in row-major order: one weight of a checkpoint.</summary>
public sealed class WeightTensor
{
    /// <summary>A tensor of <paramref name="shape"/> holding <paramref name="data"/> (not copied).</summary>
    /// <exception cref="ArgumentException">The data's length is not the product of the shape.</exception>
    public WeightTensor(IReadOnlyList<long> shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        var count = shape.Aggregate(1L, (product, dim) => product * dim);
        if (count != data.Length)
        {
            throw new ArgumentException($"A tensor of shape [{string.Join(", ", shape)}] needs {count} values, not {data.Length}.", nameof(data));
        }

        Shape = [.. shape];
        Data = data;
    }

    /// <summary>The dimensions.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The values, row-major.</summary>
    public float[] Data { get; }

    /// <summary>The transpose of a matrix ([rows, columns] → [columns, rows]).</summary>
    /// <exception cref="InvalidOperationException">The tensor is not two-dimensional.</exception>
    public WeightTensor Transpose()
    {
        if (Shape.Count != 2)
        {
            throw new InvalidOperationException(UserMessage.Format(Messages.TransposeNotMatrix, string.Join(", ", Shape)));
        }

        var rows = (int)Shape[0];
        var columns = (int)Shape[1];
        var result = new float[Data.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                result[(c * rows) + r] = Data[(r * columns) + c];
            }
        }

        return new WeightTensor([columns, rows], result);
    }

    /// <inheritdoc/>
    public override string ToString() => $"float32[{string.Join(", ", Shape)}]";
}
