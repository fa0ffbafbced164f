using TorchSharp;
using Uptrain.Diagnostics;
using Uptrain.Models;
using Uptrain.Teacher;
using Uptrain.Tests.Data;
using Uptrain.Text;
using static TorchSharp.torch;

namespace Uptrain.Tests.Teacher;

[Collection(TorchTrainingCollection.Name)]
public sealed class TokenVectorDistillerTests(TinyBaseModel tiny) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheTableHasARowPerWordPieceAndKeepsTheEncodersGeometry()
    {
        var writer = new CollectingOutputWriter();
        var hidden = TinyTask.Config.HiddenSize;
        var table = TokenVectorDistiller.FromFolder(tiny.Folder, "tiny", writer, dimension: 256);

        Assert.Equal(TinyTask.Config.VocabSize, table.Count);
        Assert.Equal(hidden, table.Dimension); // capped at the encoder's width
        Assert.True(table.LowerCase);
        Assert.Equal("tiny", table.Source);
        Assert.Equal(File.ReadAllLines(Path.Combine(tiny.Folder, "vocab.txt")), table.Vocabulary);
        Assert.Contains(writer.Verbose, v => v.Contains("65 word pieces", StringComparison.Ordinal));
        Assert.True(writer.Progress[^1].Completed);

        // A direct forward pass of "[CLS] piece [SEP]": with every dimension kept, PCA only rotates the centred states, so
        // the distance between two pieces' rows is the distance between their mean output states.
        var states = DirectStates(tiny.Folder);
        var rowA = new float[hidden];
        var rowB = new float[hidden];
        foreach (var (a, b) in new[] { (5, 6), (5, 40), (12, 64), (0, 3) })
        {
            table.Row(a, rowA);
            table.Row(b, rowB);
            var expected = Distance(states[a], states[b]);
            var actual = Distance(rowA, rowB);
            Assert.True(Math.Abs(expected - actual) < 0.02 * expected + 1e-3, $"pieces {a}, {b}: {actual} against {expected}");
        }
    }

    [Fact]
    public void PcaKeepsTheDirectionsOfMostVarianceFirstAndRepeats()
    {
        var first = TokenVectorDistiller.FromFolder(tiny.Folder, "tiny", NullOutputWriter.Instance, dimension: 4);
        var second = TokenVectorDistiller.FromFolder(tiny.Folder, "tiny", NullOutputWriter.Instance, dimension: 4);

        Assert.Equal(4, first.Dimension);
        Assert.Equal(first.Values, second.Values);
        Assert.Equal(first.Scales, second.Scales);
        var variance = new double[4];
        var row = new float[4];
        for (var id = 0; id < first.Count; id++)
        {
            first.Row(id, row);
            for (var i = 0; i < 4; i++)
            {
                variance[i] += row[i] * row[i];
            }
        }

        for (var i = 1; i < 4; i++)
        {
            Assert.True(variance[i - 1] >= variance[i] * 0.98, string.Join(", ", variance));
        }
    }

    [Fact]
    public void AFolderWithoutAnEncoderIsANamedError()
    {
        var empty = Directory.CreateDirectory(_dir.File("empty")).FullName;
        var error = Assert.Throws<UptrainException>(() => TokenVectorDistiller.FromFolder(empty, "empty", NullOutputWriter.Instance));
        Assert.Equal("BaseModelNotFound", error.ErrorId);
    }

    private static float[][] DirectStates(string folder)
    {
        var tokenizer = WordPieceTokenizer.FromFolder(folder);
        using var encoder = BertModel.FromPretrained(folder);
        encoder.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var states = new float[TinyTask.Config.VocabSize][];
        for (var id = 0; id < states.Length; id++)
        {
            var input = tensor(new long[] { tokenizer.ClsId, id, tokenizer.SepId }, [1, 3]);
            var output = encoder.call(input, ones([1, 3], ScalarType.Int64), zeros([1, 3], ScalarType.Int64));
            states[id] = output.mean([1]).contiguous().data<float>().ToArray();
        }

        return states;
    }

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());
}
