using System.Globalization;
using System.Text;

namespace Uptrain.Student;

/// <summary>
/// Cuts the student's word tokens (<see cref="StudentFeaturizer.Tokenize"/>) into the word pieces of a WordPiece
/// vocabulary, greedily longest-first as BERT's tokenizer does: a word's first piece is a plain entry, every later one
/// a <c>##</c> continuation; a word with no such cut, or longer than <see cref="MaxWordLength"/>, is <c>[UNK]</c>. With a
/// lower-case vocabulary accents are stripped first (NFD, combining marks dropped), as BERT's uncased models do.
/// </summary>
/// <remarks>
/// The student's tokens already drop punctuation, which BERT would keep as pieces of their own; everything else (lower
/// case, splitting on spaces, punctuation and symbols) matches, so a text's pieces are BERT's without its punctuation.
/// Lookups hash the candidate piece (FNV-1a over its UTF-16 units) and compare it with the entry, allocating nothing
/// for ASCII words.
/// </remarks>
internal sealed class WordPieces
{
    /// <summary>Words longer than this (in UTF-16 units) are <c>[UNK]</c>, as in BERT's tokenizer.</summary>
    public const int MaxWordLength = 100;

    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>The hash state a continuation piece starts from (a byte 1 hashed in first), so that "##ab" and "ab" differ.</summary>
    private const ulong ContinuationBasis = unchecked((OffsetBasis ^ 1) * Prime);

    private readonly string[] _vocabulary;
    private readonly Dictionary<ulong, int> _ids;

    public WordPieces(IReadOnlyList<string> vocabulary, bool lowerCase)
    {
        _vocabulary = [.. vocabulary];
        LowerCase = lowerCase;
        _ids = new Dictionary<ulong, int>(_vocabulary.Length);
        UnknownId = -1;
        for (var id = 0; id < _vocabulary.Length; id++)
        {
            var entry = _vocabulary[id];
            if (entry == "[UNK]")
            {
                UnknownId = id;
            }

            var continuation = entry.Length > 2 && entry.StartsWith("##", StringComparison.Ordinal);
            var key = Hash(continuation ? entry.AsSpan(2) : entry, continuation);
            _ids.TryAdd(key, id);
        }
    }

    /// <summary>True when texts are matched without case and accents.</summary>
    public bool LowerCase { get; }

    /// <summary>The id of <c>[UNK]</c>; -1 when the vocabulary has none (unknown words then give no piece).</summary>
    public int UnknownId { get; }

    /// <summary>
    /// Appends the piece ids of every token in <paramref name="workspace"/> (after a featurizer's Extract) to its piece
    /// list. With <paramref name="inOrder"/>, also writes there (after clearing it) the pieces as BERT's tokenizer reads
    /// the text, at most <paramref name="max"/>: the tokens' pieces, and between them every punctuation mark or symbol
    /// that is not part of a token, each as a piece of its own (the student's tokens leave them out). Each token is
    /// looked up once for both lists.
    /// </summary>
    public void Split(FeatureWorkspace workspace, List<int>? inOrder = null, int max = 0)
    {
        var normal = workspace.Normal;
        var all = workspace.Pieces;
        inOrder?.Clear();
        var previous = 0;
        foreach (var (start, length) in workspace.Tokens)
        {
            var first = all.Count;
            Split(normal.AsSpan(start, length), all);

            // A token inside the last one (not made by today's featurizer) is left out of the order: the gaps need it.
            if (inOrder is null || inOrder.Count >= max || start < previous)
            {
                continue;
            }

            AppendPunctuation(normal.AsSpan(previous, start - previous), inOrder, max);
            for (var i = first; i < all.Count && inOrder.Count < max; i++)
            {
                inOrder.Add(all[i]);
            }

            previous = start + length;
        }

        if (inOrder is not null)
        {
            AppendPunctuation(normal.AsSpan(previous), inOrder, max);
        }
    }

    /// <summary>Appends a piece for every character of <paramref name="gap"/> that is not white space or a control, up to <paramref name="max"/> pieces.</summary>
    private void AppendPunctuation(ReadOnlySpan<char> gap, List<int> ids, int max)
    {
        for (var i = 0; i < gap.Length && ids.Count < max; i++)
        {
            if (!char.IsWhiteSpace(gap[i]) && !char.IsControl(gap[i]))
            {
                Split(gap.Slice(i, 1), ids);
            }
        }
    }

    /// <summary>Appends the piece ids of <paramref name="word"/> (already lower case when <see cref="LowerCase"/>).</summary>
    public void Split(ReadOnlySpan<char> word, List<int> ids)
    {
        if (LowerCase && !Ascii.IsValid(word))
        {
            word = StripAccents(word);
        }

        if (word.Length == 0)
        {
            return;
        }

        var first = ids.Count;
        if (word.Length <= MaxWordLength)
        {
            var start = 0;
            while (start < word.Length)
            {
                var id = Longest(word, start, out var end);
                if (id < 0)
                {
                    break;
                }

                ids.Add(id);
                start = end;
            }

            if (start == word.Length)
            {
                return;
            }
        }

        ids.RemoveRange(first, ids.Count - first);
        if (UnknownId >= 0)
        {
            ids.Add(UnknownId);
        }
    }

    /// <summary>The id of the longest entry that matches <paramref name="word"/> from <paramref name="start"/>; -1 for none.</summary>
    private int Longest(ReadOnlySpan<char> word, int start, out int end)
    {
        var continuation = start > 0;
        Span<ulong> prefixes = stackalloc ulong[MaxWordLength];
        var hash = continuation ? ContinuationBasis : OffsetBasis;
        var count = word.Length - start;
        for (var i = 0; i < count; i++)
        {
            hash = (hash ^ word[start + i]) * Prime;
            prefixes[i] = hash;
        }

        for (var length = count; length > 0; length--)
        {
            if (_ids.TryGetValue(prefixes[length - 1], out var id) && Matches(id, word.Slice(start, length), continuation))
            {
                end = start + length;
                return id;
            }
        }

        end = start;
        return -1;
    }

    private bool Matches(int id, ReadOnlySpan<char> piece, bool continuation)
    {
        var entry = _vocabulary[id].AsSpan();
        return continuation ? entry.StartsWith("##") && entry[2..].SequenceEqual(piece) : entry.SequenceEqual(piece);
    }

    private static ulong Hash(ReadOnlySpan<char> piece, bool continuation)
    {
        var hash = continuation ? ContinuationBasis : OffsetBasis;
        foreach (var c in piece)
        {
            hash = (hash ^ c) * Prime;
        }

        return hash;
    }

    private static string StripAccents(ReadOnlySpan<char> word)
    {
        var decomposed = word.ToString().Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                kept.Append(c);
            }
        }

        return kept.ToString();
    }
}
