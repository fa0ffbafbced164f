namespace Uptrain.Student;

/// <summary>
/// A trained student, ready to score texts: the featurizer, the stored embedding rows with the hash buckets they
/// belong to, the hidden and output layers. It depends on nothing but the .NET base library.
/// </summary>
/// <remarks>
/// A text's probabilities: its features (<see cref="StudentFeaturizer"/>) whose bucket has a stored row are averaged
/// (features never seen in training have no row and are left out of the average; a text with none scores the output
/// biases alone), then the hidden layer and the output layer, then softmax over the labels when
/// <see cref="Exclusive"/>, else a sigmoid per label. A student with a word-order part (<see cref="HasWordOrder"/>) gives
/// the mean of those probabilities and the part's. Scoring reuses per-thread buffers and never writes to the model, so
/// many threads may score different texts at once.
/// </remarks>
public sealed class StudentModel
{
    [ThreadStatic]
    private static ScoringWorkspace? t_workspace;

    private readonly int[] _rowOf;
    private readonly string[] _labels;

    internal StudentModel(IReadOnlyList<string> labels, bool exclusive, StudentFeaturizer featurizer, int[] rowBuckets, StudentNetwork network, WordOrderPart? wordOrder = null)
    {
        if (wordOrder is not null && (wordOrder.Labels != labels.Count
            || (network.Static is { } statics && !statics.Table.Vocabulary.SequenceEqual(wordOrder.Table.Vocabulary, StringComparer.Ordinal))))
        {
            throw new ArgumentException("The word-order part does not fit the student.", nameof(wordOrder));
        }

        WordOrder = wordOrder;
        _labels = [.. labels];
        Exclusive = exclusive;
        Featurizer = featurizer;
        RowBuckets = rowBuckets;
        Network = network;
        _rowOf = new int[featurizer.Buckets];
        Array.Fill(_rowOf, -1);
        for (var row = 0; row < rowBuckets.Length; row++)
        {
            _rowOf[rowBuckets[row]] = row;
        }
    }

    /// <summary>The labels, in the order of the scores.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>True: softmax over mutually exclusive labels. False: a sigmoid per label.</summary>
    public bool Exclusive { get; }

    /// <summary>How texts become features.</summary>
    public StudentFeaturizer Featurizer { get; }

    /// <summary>Width of the embedding.</summary>
    public int Dimension => Network.Dimension;

    /// <summary>Width of the hidden layer; 0 for none.</summary>
    public int Hidden => Network.Hidden;

    /// <summary>True when the rows are 8-bit integers with a scale per row (<see cref="Quantize"/>).</summary>
    public bool Quantized => Network.IsQuantized;

    /// <summary>Stored embedding rows (the buckets that training touched).</summary>
    public int StoredRows => RowBuckets.Length;

    /// <summary>The bucket of every stored row, ascending.</summary>
    internal int[] RowBuckets { get; }

    internal StudentNetwork Network { get; }

    /// <summary>
    /// This model with its embedding rows as 8-bit integers and a scale per row (max |value| / 127), and, without a
    /// hidden layer, the output layer folded into the rows first (<see cref="StudentNetwork.Fold"/>: a row of one number
    /// per label where there are fewer labels than dimensions): its weights file is a quarter of the size or less, its
    /// scores close to this model's but not the same. This model is unchanged.
    /// </summary>
    public StudentModel Quantize() =>
        Quantized ? this : new StudentModel(_labels, Exclusive, Featurizer, RowBuckets, Network.Fold().Quantize(), WordOrder);

    /// <summary>The word-order part, whose probabilities are averaged with the n-gram part's; null for none.</summary>
    internal WordOrderPart? WordOrder { get; }

    /// <summary>True when the student has a word-order part: convolutions over the encoder's token vectors of its word pieces.</summary>
    public bool HasWordOrder => WordOrder is not null;

    /// <summary>This student with <paramref name="wordOrder"/> as its word-order part (null: none); this model is unchanged.</summary>
    internal StudentModel WithWordOrder(WordOrderPart? wordOrder) => new(_labels, Exclusive, Featurizer, RowBuckets, Network, wordOrder);

    /// <summary>Writes the probability of every label (in <see cref="Labels"/> order) for <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="probabilities"/> is shorter than the number of labels.</exception>
    public void Score(string text, Span<float> probabilities)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (probabilities.Length < _labels.Length)
        {
            throw new ArgumentException(null, nameof(probabilities));
        }

        var workspace = t_workspace ??= new ScoringWorkspace();
        var buffers = workspace.Network.Fit(Network);
        var rows = Rows(text, workspace.Features);
        var pieces = Pieces(workspace.Features, WordOrder is null ? null : workspace.OrderedPieces);
        Network.Forward(rows, pieces, buffers);
        StudentLoss.Probabilities(buffers.Logits.AsSpan(0, _labels.Length), probabilities, Exclusive);
        if (WordOrder is { } wordOrder)
        {
            var own = workspace.WordOrderProbabilities(_labels.Length);
            wordOrder.Score(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(workspace.OrderedPieces), Exclusive, workspace.WordOrder, own);
            for (var l = 0; l < own.Length; l++)
            {
                probabilities[l] = (probabilities[l] + own[l]) / 2;
            }
        }
    }

    /// <summary>The probability of every label, in <see cref="Labels"/> order.</summary>
    public float[] Score(string text)
    {
        var probabilities = new float[_labels.Length];
        Score(text, probabilities);
        return probabilities;
    }

    /// <summary>Label → probability for <paramref name="text"/>, in <see cref="Labels"/> order.</summary>
    public Dictionary<string, double> ScoreLabels(string text)
    {
        var probabilities = Score(text);
        var scores = new Dictionary<string, double>(_labels.Length, StringComparer.Ordinal);
        for (var l = 0; l < _labels.Length; l++)
        {
            scores[_labels[l]] = probabilities[l];
        }

        return scores;
    }

    /// <summary>
    /// The word piece ids of the text last given to <see cref="Rows"/> with <paramref name="features"/>, when the student
    /// has static vectors or a word-order part (both read the same vocabulary); none otherwise. With
    /// <paramref name="inOrder"/>, also the pieces the word-order part reads, in the same pass.
    /// </summary>
    internal ReadOnlySpan<int> Pieces(FeatureWorkspace features, List<int>? inOrder = null)
    {
        var pieces = Network.Static?.Pieces ?? WordOrder?.Pieces;
        if (pieces is null)
        {
            return [];
        }

        pieces.Split(features, inOrder, WordOrderPart.MaxPieces);
        return System.Runtime.InteropServices.CollectionsMarshal.AsSpan(features.Pieces);
    }

    /// <summary>True when the student adds the encoder's static token vectors to its features.</summary>
    public bool HasTokenVectors => Network.Static is not null;

    /// <summary>Width of the static token vectors; 0 without them.</summary>
    public int TokenVectorDimension => Network.StaticDimension;

    /// <summary>The stored rows of <paramref name="text"/>'s features, in the workspace's row buffer.</summary>
    internal ReadOnlySpan<int> Rows(string text, FeatureWorkspace features)
    {
        Featurizer.Extract(text, features);
        var rows = features.Rows;
        var count = 0;
        for (var i = 0; i < features.Count; i++)
        {
            var row = _rowOf[rows[i]];
            if (row >= 0)
            {
                rows[count++] = row;
            }
        }

        return rows.AsSpan(0, count);
    }

    private sealed class ScoringWorkspace
    {
        public FeatureWorkspace Features { get; } = new();

        public NetworkBuffers Network { get; } = new();

        public WordOrderBuffers WordOrder { get; } = new();

        /// <summary>The word pieces the word-order part reads.</summary>
        public List<int> OrderedPieces { get; } = [];

        private float[] _probabilities = [];

        /// <summary>A buffer of <paramref name="labels"/> probabilities for the word-order part.</summary>
        public Span<float> WordOrderProbabilities(int labels)
        {
            if (_probabilities.Length < labels)
            {
                _probabilities = new float[labels];
            }

            return _probabilities.AsSpan(0, labels);
        }
    }
}
