using System.Numerics;
using Uptrain.Models;

namespace Uptrain.Student;

/// <summary>
/// The student's embedding table, one row of <see cref="Dimension"/> values per stored feature, in one of two storage
/// kinds: <see cref="DenseRows"/> (floats; what training updates) and <see cref="QuantizedRows"/> (8-bit integers with a
/// scale per row; for scoring). The network only ever asks for the sum of a text's rows.
/// </summary>
internal abstract class EmbeddingRows
{
    protected EmbeddingRows(int rows, int dimension)
    {
        Rows = rows;
        Dimension = dimension;
    }

    /// <summary>Stored rows.</summary>
    public int Rows { get; }

    /// <summary>Values per row.</summary>
    public int Dimension { get; }

    /// <summary>
    /// The sum of the rows <paramref name="rows"/> into <paramref name="sum"/> (<see cref="Dimension"/> long), row by row in
    /// order for every element. Blocks of four vectors are summed in registers over all rows before the next block, so
    /// that the loads of different rows do not wait on each other (scoring is bound by fetching rows from memory).
    /// </summary>
    public abstract void Sum(ReadOnlySpan<int> rows, Span<float> sum);
}

/// <summary>Rows of 32-bit floats, [rows, dimension] row-major.</summary>
internal sealed class DenseRows : EmbeddingRows
{
    public DenseRows(int rows, int dimension)
        : base(rows, dimension)
    {
        Values = new float[(long)rows * dimension];
    }

    /// <summary>[rows, dimension], row-major.</summary>
    public float[] Values { get; }

    /// <summary>Row <paramref name="row"/>, writable.</summary>
    public Span<float> Row(int row) => Values.AsSpan(row * Dimension, Dimension);

    /// <summary>
    /// These rows as 8-bit integers with a scale per row (max |value| / 127, rounded to nearest): a quarter of the size,
    /// scores close to these rows' but not the same.
    /// </summary>
    public QuantizedRows Quantize()
    {
        var copy = new QuantizedRows(Rows, Dimension);
        for (var r = 0; r < Rows; r++)
        {
            copy.Scales[r] = TokenVectors.QuantizeRow(Row(r), copy.Values.AsSpan(r * Dimension, Dimension));
        }

        return copy;
    }

    /// <inheritdoc />
    public override void Sum(ReadOnlySpan<int> rows, Span<float> sum)
    {
        var width = Vector<float>.Count;
        var start = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; start + (4 * width) <= Dimension; start += 4 * width)
            {
                Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
                foreach (var row in rows)
                {
                    var values = Values.AsSpan((row * Dimension) + start, 4 * width);
                    a0 += new Vector<float>(values);
                    a1 += new Vector<float>(values[width..]);
                    a2 += new Vector<float>(values[(2 * width)..]);
                    a3 += new Vector<float>(values[(3 * width)..]);
                }

                a0.CopyTo(sum[start..]);
                a1.CopyTo(sum[(start + width)..]);
                a2.CopyTo(sum[(start + (2 * width))..]);
                a3.CopyTo(sum[(start + (3 * width))..]);
            }
        }

        var rest = sum[start..];
        rest.Clear();
        foreach (var row in rows)
        {
            StudentNetwork.AddScaled(rest, Values.AsSpan((row * Dimension) + start, Dimension - start), 1f);
        }
    }
}

/// <summary>Rows of 8-bit integers: row r's values are <see cref="Scales"/>[r] × the integers. For scoring only.</summary>
internal sealed class QuantizedRows : EmbeddingRows
{
    public QuantizedRows(int rows, int dimension)
        : this(rows, dimension, new float[rows], new sbyte[(long)rows * dimension])
    {
    }

    /// <summary>Rows on existing arrays (not copied): <paramref name="scales"/> [rows], <paramref name="values"/> [rows × dimension].</summary>
    public QuantizedRows(int rows, int dimension, float[] scales, sbyte[] values)
        : base(rows, dimension)
    {
        Values = values;
        Scales = scales;
    }

    /// <summary>[rows, dimension], row-major.</summary>
    public sbyte[] Values { get; }

    /// <summary>Per row, the value of integer step 1.</summary>
    public float[] Scales { get; }

    /// <summary>
    /// As <see cref="DenseRows.Sum"/> for 8-bit rows: each row's integers widened to floats, scaled and added, a block of
    /// one byte vector (four float vectors) at a time in registers over all rows.
    /// </summary>
    public override void Sum(ReadOnlySpan<int> rows, Span<float> sum)
    {
        var bytes = Vector<sbyte>.Count;
        var floats = Vector<float>.Count;
        var start = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; start + bytes <= Dimension; start += bytes)
            {
                Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
                foreach (var row in rows)
                {
                    var factor = new Vector<float>(Scales[row]);
                    Vector.Widen(new Vector<sbyte>(Values.AsSpan((row * Dimension) + start, bytes)), out var low, out var high);
                    Vector.Widen(low, out var w0, out var w1);
                    Vector.Widen(high, out var w2, out var w3);
                    a0 += Vector.ConvertToSingle(w0) * factor;
                    a1 += Vector.ConvertToSingle(w1) * factor;
                    a2 += Vector.ConvertToSingle(w2) * factor;
                    a3 += Vector.ConvertToSingle(w3) * factor;
                }

                a0.CopyTo(sum[start..]);
                a1.CopyTo(sum[(start + floats)..]);
                a2.CopyTo(sum[(start + (2 * floats))..]);
                a3.CopyTo(sum[(start + (3 * floats))..]);
            }
        }

        sum[start..].Clear();
        foreach (var row in rows)
        {
            var values = Values.AsSpan((row * Dimension) + start, Dimension - start);
            var scale = Scales[row];
            for (var i = 0; i < values.Length; i++)
            {
                sum[start + i] += values[i] * scale;
            }
        }
    }
}
