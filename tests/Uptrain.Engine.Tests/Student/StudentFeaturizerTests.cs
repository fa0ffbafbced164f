using System.Text;
using Uptrain.Student;
using Xunit;

namespace Uptrain.Tests.Student;

public sealed class StudentFeaturizerTests
{
    private const int DefaultBuckets = 1 << 20;

    [Fact]
    public void FeatureHashMatchesTheFnv1a64ReferenceValues()
    {
        Assert.Equal(0xcbf29ce484222325UL, FeatureHash.Of(string.Empty));
        Assert.Equal(0xaf63dc4c8601ec8cUL, FeatureHash.Of("a"));
        Assert.Equal(0x85944171f73967e8UL, FeatureHash.Of("foobar"));
        Assert.Equal(FeatureHash.Of(Encoding.UTF8.GetBytes("naïve 😀")), FeatureHash.Of("naïve 😀"));
    }

    [Fact]
    public void PinnedFeatureHashesAndRows()
    {
        // Computed independently (Python, FNV-1a 64 over the kind byte and the UTF-8 bytes).
        var featurizer = new StudentFeaturizer(DefaultBuckets, wordNgrams: 2, charNgrams: true);
        var hashes = featurizer.Hashes("Café au");
        var rows = featurizer.Rows("Café au");
        Assert.Equal(17113915632464492562UL, hashes[0]);   // word "café"
        Assert.Equal(636715056166836384UL, hashes[1]);     // bigram "café au"
        Assert.Equal(849938, rows[0]);
        Assert.Equal(497824, rows[1]);
        Assert.Equal(5819628808418176075UL, hashes[3]);    // after the word "au": char trigram "<ca"
        Assert.Equal(339019, rows[3]);
        Assert.Equal(9333460929648976980UL, featurizer.Hashes("😀").Last()); // "<😀>"
    }

    [Fact]
    public void FeatureListOfAShortText()
    {
        var featurizer = new StudentFeaturizer(DefaultBuckets, wordNgrams: 2, charNgrams: true);

        // Words "ab", "c": unigrams 2, bigram 1; "<ab>": 3-grams 2, 4-gram 1; "<c>": 3-gram 1.
        var hashes = featurizer.Hashes("AB, c!");
        Assert.Equal(7, hashes.Length);
        Assert.Equal(Word("ab"), hashes[0]);
        Assert.Equal(Word("ab c"), hashes[1]);
        Assert.Equal(Word("c"), hashes[2]);
        Assert.Equal(new[] { Char("<ab"), Char("<ab>"), Char("ab>"), Char("<c>") }, hashes[3..]);
    }

    [Fact]
    public void WordNgramsAndCharNgramsFollowTheSettings()
    {
        var words = new StudentFeaturizer(DefaultBuckets, wordNgrams: 1, charNgrams: false);
        Assert.Equal(new[] { Word("one"), Word("two"), Word("three") }, words.Hashes("one two three"));

        var trigrams = new StudentFeaturizer(DefaultBuckets, wordNgrams: 3, charNgrams: false);
        Assert.Equal(
            new[] { Word("one"), Word("one two"), Word("one two three"), Word("two"), Word("two three"), Word("three") },
            trigrams.Hashes("one two three"));
    }

    [Fact]
    public void LongWordsGiveCharNgramsOfThreeToFiveCodePoints()
    {
        var featurizer = new StudentFeaturizer(DefaultBuckets, wordNgrams: 1, charNgrams: true);

        // "<hello>" has 7 code points: 5 trigrams, 4 four-grams, 3 five-grams.
        var hashes = featurizer.Hashes("hello");
        Assert.Equal(1 + 5 + 4 + 3, hashes.Length);
        Assert.Contains(Char("<hel"), hashes);
        Assert.Contains(Char("llo>"), hashes);
        Assert.Contains(Char("ello>"), hashes);
        Assert.DoesNotContain(Char("<hello"), hashes);
    }

    [Fact]
    public void TokensAreNormalisedAndUnicodeAware()
    {
        Assert.Equal(new[] { "don", "t", "stop", "3", "times", "😀", "ok" }, StudentFeaturizer.Tokens("Don't STOP 3 times😀ok."));
        Assert.Equal(new[] { "東京は晴れ" }, StudentFeaturizer.Tokens("東京は晴れ。"));
        Assert.Equal(new[] { "straße", "fi" }, StudentFeaturizer.Tokens("STRAßE ﬁ"));  // the ligature ﬁ is NFKC "fi"
        Assert.Equal(new[] { "abc", "123" }, StudentFeaturizer.Tokens("ＡＢＣ　１２３"));   // full-width forms
        Assert.Equal(new[] { "❤️" }, StudentFeaturizer.Tokens("❤️"));                      // heart + variation selector
        Assert.Empty(StudentFeaturizer.Tokens("  ... !? \u200d "));
    }

    [Fact]
    public void ComposedAndDecomposedAccentsGiveTheSameFeatures()
    {
        var featurizer = new StudentFeaturizer(DefaultBuckets, wordNgrams: 2, charNgrams: true);
        var composed = "Crème brûlée".Normalize(NormalizationForm.FormC);
        var decomposed = "Crème brûlée".Normalize(NormalizationForm.FormD);
        Assert.NotEqual(composed, decomposed);
        Assert.Equal(featurizer.Rows(composed), featurizer.Rows(decomposed));
    }

    [Fact]
    public void CjkAndEmojiCharNgramsCountCodePointsNotUtf16Units()
    {
        var featurizer = new StudentFeaturizer(DefaultBuckets, wordNgrams: 1, charNgrams: true);

        // "<東京>" is 4 code points: 2 trigrams and 1 four-gram.
        Assert.Equal(new[] { Word("東京"), Char("<東京"), Char("<東京>"), Char("東京>") }, featurizer.Hashes("東京"));

        // Two emoji (surrogate pairs) are two tokens of one code point each: "<😀>" and "<🎉>".
        Assert.Equal(new[] { Word("😀"), Word("🎉"), Char("<😀>"), Char("<🎉>") }, featurizer.Hashes("😀🎉"));
    }

    [Fact]
    public void EmptyTextHasNoFeatures()
    {
        var featurizer = new StudentFeaturizer(DefaultBuckets, wordNgrams: 2, charNgrams: true);
        Assert.Empty(featurizer.Rows(string.Empty));
        Assert.Empty(featurizer.Rows(" \t\n-- "));
    }

    [Fact]
    public void RowsAreTheHashesModuloTheBuckets()
    {
        var featurizer = new StudentFeaturizer(1000, wordNgrams: 2, charNgrams: true);
        var text = "A quick brown fox, 東京 and 😀";
        Assert.Equal(featurizer.Hashes(text).Select(h => (int)(h % 1000)), featurizer.Rows(text));
        Assert.All(featurizer.Rows(text), r => Assert.InRange(r, 0, 999));
    }

    private static ulong Word(string text) => Kind(1, text);

    private static ulong Char(string text) => Kind(2, text);

    private static ulong Kind(byte kind, string text) => FeatureHash.Of([kind, .. Encoding.UTF8.GetBytes(text)]);
}
