using System.Globalization;
using System.Text;

namespace Uptrain.Student;

/// <summary>
/// Turns a text into the rows of the student's hashed embedding table: word n-grams and character n-grams, hashed with
/// <see cref="FeatureHash"/> (FNV-1a 64 over UTF-8) modulo <see cref="Buckets"/>. Training and scoring both call this
/// class, so a text always gives the same rows in both.
/// </summary>
/// <remarks>
/// <para>
/// Normalisation: Unicode NFKC (so that composed and decomposed accents, full-width letters and ligatures agree), then
/// lower case by the invariant culture (the same on every machine, whatever its locale).
/// </para>
/// <para>
/// Tokens: a word is a maximal run of letters (L*), digits and other numbers (N*) and combining marks (M*); a symbol
/// (S*, e.g. an emoji or a currency sign) is a token of its own, and marks that follow it (a variation selector) belong
/// to it. Punctuation, spaces, controls and format characters (such as the zero-width joiner) separate tokens and are
/// dropped. Scripts without spaces (Chinese, Japanese, Thai) give one long word per run, which the character n-grams
/// cut into pieces.
/// </para>
/// <para>
/// Features, each hashed with a leading kind byte so that kinds never meet by construction: word n-grams of 1 to
/// <see cref="WordNgrams"/> consecutive tokens (kind 1, tokens joined by U+0020), and with <see cref="CharNgrams"/> the
/// character n-grams of <see cref="MinCharNgram"/> to <see cref="MaxCharNgram"/> code points of each token wrapped in
/// boundary markers <c>&lt;</c> and <c>&gt;</c> (kind 2), in the manner of fastText's subwords. A feature that occurs
/// twice counts twice. Row = hash mod <see cref="Buckets"/>.
/// </para>
/// </remarks>
public sealed class StudentFeaturizer
{
    /// <summary>The kind byte of word n-grams.</summary>
    internal const byte WordKind = 1;

    /// <summary>The kind byte of character n-grams.</summary>
    internal const byte CharKind = 2;

    /// <summary>The shortest character n-gram, in code points (boundary markers included), as fastText's <c>-minn 3</c>.</summary>
    public const int MinCharNgram = 3;

    /// <summary>The longest character n-gram, in code points (boundary markers included), as fastText's <c>-maxn 5</c>.</summary>
    public const int MaxCharNgram = 5;

    private static readonly Rune StartMarker = new('<');
    private static readonly Rune EndMarker = new('>');

    private readonly ulong _mask;

    /// <summary>Creates a featurizer.</summary>
    /// <param name="buckets">Rows of the hashed table (1 or more).</param>
    /// <param name="wordNgrams">Longest word n-gram (1 or more).</param>
    /// <param name="charNgrams">Whether character n-grams are added.</param>
    public StudentFeaturizer(int buckets, int wordNgrams, bool charNgrams)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(wordNgrams, 1);
        Buckets = buckets;
        WordNgrams = wordNgrams;
        CharNgrams = charNgrams;
        _mask = buckets > 1 && (buckets & (buckets - 1)) == 0 ? (ulong)buckets - 1 : 0;
    }

    /// <summary>Rows of the hashed table.</summary>
    public int Buckets { get; }

    /// <summary>Longest word n-gram: 1 words only, 2 words and pairs of neighbours, ...</summary>
    public int WordNgrams { get; }

    /// <summary>Whether character n-grams of each token are features.</summary>
    public bool CharNgrams { get; }

    /// <summary>The row of a feature hash: the hash modulo <see cref="Buckets"/> (a mask when that is a power of two).</summary>
    private int Row(ulong hash) => (int)(_mask != 0 ? hash & _mask : hash % (ulong)Buckets);

    /// <summary>The normalised form of <paramref name="text"/>: NFKC, then invariant lower case.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // ASCII is its own NFKC form: skip the Unicode check on the common case.
        var normal = Ascii.IsValid(text) || text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        return normal.ToLowerInvariant();
    }

    /// <summary>The tokens of <paramref name="text"/> after normalisation, as the remarks define them.</summary>
    public static IReadOnlyList<string> Tokens(string text)
    {
        var normal = Normalize(text);
        var spans = new List<(int Start, int Length)>();
        Tokenize(normal, spans);
        return spans.Select(s => normal.Substring(s.Start, s.Length)).ToArray();
    }

    /// <summary>The rows of <paramref name="text"/>'s features, in order: word n-grams, then each token's character n-grams.</summary>
    public int[] Rows(string text)
    {
        var workspace = new FeatureWorkspace();
        Extract(text, workspace);
        return workspace.Rows.AsSpan(0, workspace.Count).ToArray();
    }

    /// <summary>The raw 64-bit hashes of <paramref name="text"/>'s features, in the order of <see cref="Rows"/>.</summary>
    public ulong[] Hashes(string text)
    {
        var workspace = new FeatureWorkspace();
        Extract(text, workspace);
        return workspace.Hashes.AsSpan(0, workspace.Count).ToArray();
    }

    /// <summary>Fills <paramref name="workspace"/> with the features of <paramref name="text"/>.</summary>
    internal void Extract(string text, FeatureWorkspace workspace)
    {
        var normal = Normalize(text);
        workspace.Clear();
        workspace.Normal = normal;
        Tokenize(normal, workspace.Tokens);
        var tokens = workspace.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var hash = FeatureHash.Add(FeatureHash.OffsetBasis, WordKind);
            for (var n = 0; n < WordNgrams && i + n < tokens.Count; n++)
            {
                if (n > 0)
                {
                    hash = FeatureHash.Add(hash, (byte)' ');
                }

                hash = FeatureHash.Add(hash, normal.AsSpan(tokens[i + n].Start, tokens[i + n].Length));
                workspace.Add(hash, Row(hash));
            }
        }

        if (CharNgrams)
        {
            foreach (var (start, length) in tokens)
            {
                AddCharNgrams(normal.AsSpan(start, length), workspace);
            }
        }
    }

    /// <summary>The character n-grams of one token wrapped in boundary markers.</summary>
    private void AddCharNgrams(ReadOnlySpan<char> token, FeatureWorkspace workspace)
    {
        var runes = workspace.RunesFor(token.Length + 2);
        var count = 0;
        runes[count++] = StartMarker;
        foreach (var rune in token.EnumerateRunes())
        {
            runes[count++] = rune;
        }

        runes[count++] = EndMarker;
        for (var start = 0; start + MinCharNgram <= count; start++)
        {
            var hash = FeatureHash.Add(FeatureHash.OffsetBasis, CharKind);
            for (var end = start; end < count && end - start < MaxCharNgram; end++)
            {
                hash = FeatureHash.Add(hash, runes[end]);
                if (end - start + 1 >= MinCharNgram)
                {
                    workspace.Add(hash, Row(hash));
                }
            }
        }
    }

    /// <summary>Splits normalised text into tokens (start and length in UTF-16 units), as the remarks define them.</summary>
    internal static void Tokenize(string normal, List<(int Start, int Length)> tokens)
    {
        var start = -1;
        var symbol = false;
        var index = 0;
        while (index < normal.Length)
        {
            Rune.DecodeFromUtf16(normal.AsSpan(index), out var rune, out var width);
            switch (Classify(Rune.GetUnicodeCategory(rune)))
            {
                case CharClass.Word when start < 0 || symbol:
                    Close(tokens, ref start, index);
                    start = index;
                    symbol = false;
                    break;
                case CharClass.Symbol:
                    Close(tokens, ref start, index);
                    start = index;
                    symbol = true;
                    break;
                case CharClass.Mark when start < 0:
                case CharClass.Separator:
                    Close(tokens, ref start, index);
                    break;
            }

            index += width;
        }

        Close(tokens, ref start, index);
    }

    private static void Close(List<(int Start, int Length)> tokens, ref int start, int end)
    {
        if (start >= 0)
        {
            tokens.Add((start, end - start));
            start = -1;
        }
    }

    private enum CharClass
    {
        Word,
        Mark,
        Symbol,
        Separator,
    }

    private static CharClass Classify(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Word,
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => CharClass.Mark,
        UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => CharClass.Symbol,
        _ => CharClass.Separator,
    };
}

/// <summary>Reusable buffers for one text's features; one per thread.</summary>
internal sealed class FeatureWorkspace
{
    private Rune[] _runes = new Rune[64];

    public List<(int Start, int Length)> Tokens { get; } = [];

    /// <summary>The normalised text the <see cref="Tokens"/> index.</summary>
    public string Normal { get; set; } = string.Empty;

    /// <summary>The word piece ids of the tokens, when the student has static vectors (<see cref="WordPieces.Split(FeatureWorkspace, List{int}?, int)"/>).</summary>
    public List<int> Pieces { get; } = [];

    public int[] Rows { get; private set; } = new int[256];

    public ulong[] Hashes { get; private set; } = new ulong[256];

    public int Count { get; private set; }

    public void Clear()
    {
        Tokens.Clear();
        Pieces.Clear();
        Count = 0;
    }

    public void Add(ulong hash, int row)
    {
        if (Count == Rows.Length)
        {
            var rows = Rows;
            var hashes = Hashes;
            Array.Resize(ref rows, Count * 2);
            Array.Resize(ref hashes, Count * 2);
            Rows = rows;
            Hashes = hashes;
        }

        Hashes[Count] = hash;
        Rows[Count++] = row;
    }

    public Rune[] RunesFor(int length)
    {
        if (_runes.Length < length)
        {
            _runes = new Rune[Math.Max(length, _runes.Length * 2)];
        }

        return _runes;
    }
}
