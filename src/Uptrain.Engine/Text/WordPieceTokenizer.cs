using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Uptrain.Text;

/// <summary>
/// BERT's WordPiece tokenisation (Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/> on a
/// <c>vocab.txt</c>), with the framing a sequence classifier needs: <c>[CLS] tokens [SEP]</c>,
/// truncation to a maximum length, attention mask, token types and dynamic padding of a batch to its
/// longest text.
/// </summary>
public sealed class WordPieceTokenizer
{
    /// <summary>The vocabulary file name in a model folder.</summary>
    public const string VocabFileName = "vocab.txt";

    /// <summary>The tokenizer settings file name in a Hugging Face model folder.</summary>
    public const string ConfigFileName = "tokenizer_config.json";

    /// <summary>The default maximum sequence length in tokens, [CLS] and [SEP] included (the -MaxLength default).</summary>
    public const int DefaultMaxLength = 128;

    private readonly BertTokenizer _tokenizer;

    private WordPieceTokenizer(BertTokenizer tokenizer, bool lowerCase)
    {
        _tokenizer = tokenizer;
        LowerCase = lowerCase;
    }

    /// <summary>Whether text is lower-cased (and accents stripped) before WordPiece: an uncased model.</summary>
    public bool LowerCase { get; }

    /// <summary>The [CLS] token id.</summary>
    public int ClsId => _tokenizer.ClassificationTokenId;

    /// <summary>The [SEP] token id.</summary>
    public int SepId => _tokenizer.SeparatorTokenId;

    /// <summary>The [PAD] token id.</summary>
    public int PadId => _tokenizer.PaddingTokenId;

    /// <summary>
    /// The tokenizer of a model folder: its <c>vocab.txt</c>, lower-cased when its
    /// <c>tokenizer_config.json</c> says <c>do_lower_case</c> (the default when there is no such file,
    /// as for Hugging Face's BertTokenizer). <c>strip_accents</c> follows <c>do_lower_case</c> unless set.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder has no vocab.txt.</exception>
    public static WordPieceTokenizer FromFolder(string folder)
    {
        var vocab = Path.Combine(folder, VocabFileName);
        if (!File.Exists(vocab))
        {
            throw new FileNotFoundException(string.Format(CultureInfo.CurrentCulture, Messages.VocabNotFound, folder), vocab);
        }

        var lowerCase = true;
        bool? stripAccents = null;
        var config = Path.Combine(folder, ConfigFileName);
        if (File.Exists(config))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(config));
            var root = document.RootElement;
            if (root.TryGetProperty("do_lower_case", out var lower) && lower.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                lowerCase = lower.GetBoolean();
            }

            if (root.TryGetProperty("strip_accents", out var strip) && strip.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                stripAccents = strip.GetBoolean();
            }
        }

        return FromVocab(vocab, lowerCase, stripAccents);
    }

    /// <summary>A tokenizer on <paramref name="vocabPath"/>; accents are stripped when lower-casing unless told otherwise.</summary>
    public static WordPieceTokenizer FromVocab(string vocabPath, bool lowerCase, bool? stripAccents = null)
    {
        var options = new BertOptions
        {
            LowerCaseBeforeTokenization = lowerCase,
            RemoveNonSpacingMarks = stripAccents ?? lowerCase,
            ApplyBasicTokenization = true,
            SplitOnSpecialTokens = true,
            IndividuallyTokenizeCjk = true,
        };
        return new WordPieceTokenizer(BertTokenizer.Create(vocabPath, options), lowerCase);
    }

    /// <summary>
    /// The ids of one text: <c>[CLS]</c>, its word pieces cut to <paramref name="maxLength"/> − 2, <c>[SEP]</c>.
    /// </summary>
    public IReadOnlyList<int> Encode(string text, int maxLength = DefaultMaxLength) => Encode(text, maxLength, out _);

    /// <summary>
    /// The ids of one text, as <see cref="Encode(string, int)"/>; <paramref name="truncated"/> tells whether
    /// word pieces were cut off to fit <paramref name="maxLength"/>.
    /// </summary>
    public IReadOnlyList<int> Encode(string text, int maxLength, out bool truncated)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckMaxLength(maxLength);
        var pieces = _tokenizer.EncodeToIds(text, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true);
        truncated = pieces.Count > maxLength - 2;
        var kept = Math.Min(pieces.Count, maxLength - 2);
        var ids = new int[kept + 2];
        ids[0] = ClsId;
        for (var i = 0; i < kept; i++)
        {
            ids[i + 1] = pieces[i];
        }

        ids[kept + 1] = SepId;
        return ids;
    }

    /// <summary>
    /// Encodes texts into one batch padded to the longest of them (never beyond <paramref name="maxLength"/>),
    /// with attention mask and token types.
    /// </summary>
    public TokenBatch EncodeBatch(IReadOnlyList<string> texts, int maxLength = DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(texts);
        CheckMaxLength(maxLength);
        var encoded = texts.Select(t => Encode(t, maxLength)).ToArray();
        var length = encoded.Length == 0 ? 0 : encoded.Max(e => e.Count);
        var ids = new long[encoded.Length * length];
        var mask = new long[ids.Length];
        var types = new long[ids.Length];
        Array.Fill(ids, PadId);
        for (var row = 0; row < encoded.Length; row++)
        {
            for (var i = 0; i < encoded[row].Count; i++)
            {
                ids[(row * length) + i] = encoded[row][i];
                mask[(row * length) + i] = 1;
            }
        }

        return new TokenBatch(encoded.Length, length, ids, mask, types, [.. encoded.Select(e => e.Count)]);
    }

    private static void CheckMaxLength(int maxLength)
    {
        if (maxLength < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, string.Format(CultureInfo.CurrentCulture, Messages.MaxLengthTooSmall, maxLength));
        }
    }
}
