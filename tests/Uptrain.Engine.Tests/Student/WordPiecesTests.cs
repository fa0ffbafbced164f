using Uptrain.Student;

namespace Uptrain.Tests.Student;

public sealed class WordPiecesTests
{
    private static readonly string[] Vocabulary = ["[PAD]", "[UNK]", "un", "##aff", "##able", "aff", "able", "cafe", "##s", "x", "##x", ",", "!"];

    private static int[] Split(string text, bool lowerCase = true)
    {
        var pieces = new WordPieces(Vocabulary, lowerCase);
        var workspace = new FeatureWorkspace();
        new StudentFeaturizer(16, 1, false).Extract(text, workspace);
        pieces.Split(workspace);
        return [.. workspace.Pieces];
    }

    [Fact]
    public void CutsWordsGreedilyLongestFirstWithContinuations() =>
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], Split("unaffable, aff able cafes"));

    [Fact]
    public void AWordWithoutACutOrTooLongIsUnknown()
    {
        Assert.Equal([1, 9], Split("unknown x"));
        Assert.Equal([1], Split(new string('x', WordPieces.MaxWordLength + 1)));
        Assert.Equal([9, 10, 10], Split("xxx"));
    }

    [Fact]
    public void AccentsAreStrippedForALowerCaseVocabulary()
    {
        Assert.Equal([7], Split("Café"));
        Assert.Equal([1], Split("Café", lowerCase: false));
    }

    [Fact]
    public void InOrderThePunctuationBetweenWordsIsReadAsTheTeacherReadsIt()
    {
        var pieces = new WordPieces(Vocabulary, lowerCase: true);
        var workspace = new FeatureWorkspace();
        new StudentFeaturizer(16, 1, false).Extract("Unaffable, aff!! (cafes)", workspace);
        var ids = new List<int>();

        pieces.Split(workspace, ids, max: 100);
        Assert.Equal([2, 3, 4, 11, 5, 12, 12, 1, 7, 8, 1], ids);
        // The same pass fills the word pieces without punctuation, as the static part reads them.
        Assert.Equal([2, 3, 4, 5, 7, 8], workspace.Pieces);

        workspace.Pieces.Clear();
        pieces.Split(workspace, ids, max: 5);
        Assert.Equal([2, 3, 4, 11, 5], ids);
    }
}
