using Uptrain.Data;

namespace Uptrain.Tests.Data;

/// <summary>Rows of the same text from people (any meta.source but "uptrain") and from triage (meta.source "uptrain").</summary>
public sealed class ProdigyGoldBeatsSilverTests : IDisposable
{
    private const string Options = """[{"id":"billing","text":"billing"},{"id":"bug","text":"bug"},{"id":"shipping","text":"shipping"}]""";

    // Silver: triage accepted billing. Gold: a person chose bug. Review: the terminal reviewer, also bug.
    private const string Silver = """{"text":"It crashes when I pay","options":OPTIONS,"accept":["billing"],"answer":"accept","_view_id":"choice","meta":{"source":"uptrain","model":"teacher"},"_input_hash":7,"_task_hash":70}""";
    private const string Gold = """{"text":"It crashes when I pay","options":OPTIONS,"accept":["bug"],"answer":"accept","_view_id":"choice","_input_hash":7,"_task_hash":71,"_annotator_id":"ann"}""";
    private const string Review = """{"text":"It crashes when I pay","options":OPTIONS,"accept":["bug"],"answer":"accept","_view_id":"choice","meta":{"source":"review","model":"teacher","scores":{"billing":0.61,"bug":0.32}},"_input_hash":7,"_task_hash":72,"_annotator_id":"uptrain-review"}""";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private (List<TextcatExample> Examples, CollectingOutputWriter Output, ProdigyJsonlReader Reader) Read(ProdigyReadOptions options, params string[] lines)
    {
        var path = _dir.WriteLines("in.jsonl", lines.Select(l => l.Replace("OPTIONS", Options, StringComparison.Ordinal)).ToArray());
        var output = new CollectingOutputWriter();
        var reader = new ProdigyJsonlReader(options, output);
        var examples = reader.ReadFile(path).ToList();
        examples.AddRange(reader.Complete());
        return (examples, output, reader);
    }

    private static Dictionary<string, double> Cats(double billing, double bug, double shipping) =>
        new() { ["billing"] = billing, ["bug"] = bug, ["shipping"] = shipping };

    [Fact]
    public void AHumanAnswerBeatsSilverOnEveryLabelItAnswers()
    {
        // Without a preference one vote each way on billing and bug is a tie: both would be left unknown.
        var (examples, output, reader) = Read(new ProdigyReadOptions(), Silver, Gold);

        var example = Assert.Single(examples);
        Assert.Equal(Cats(0, 1, 0), example.Cats);
        Assert.Equal(2, reader.OverriddenSilverLabels);
        var warning = Assert.Single(output.Warnings);
        Assert.Contains("2 silver label", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void GoldSilverAndReviewAnswersForOneText()
    {
        var (examples, output, reader) = Read(new ProdigyReadOptions(), Silver, Gold, Review);

        var example = Assert.Single(examples);
        Assert.Equal(Cats(0, 1, 0), example.Cats);
        Assert.Equal(3, example.Answers.Count);
        // billing (1 → 0) and bug (0 → 1) are overridden; shipping, 0 in all three, is not.
        Assert.Equal(2, reader.OverriddenSilverLabels);
        Assert.Single(output.Warnings);
        // The example keeps the first human row's meta, not the silver row's.
        Assert.False(example.Meta.ContainsKey("source"));
    }

    [Fact]
    public void WithoutAPreferenceSilverVotesCountLikeAnyOther()
    {
        var (examples, output, reader) = Read(new ProdigyReadOptions { PreferSource = SourcePreference.None }, Silver, Gold, Review);

        // bug: 2 human votes for, 1 silver against → 1 by majority; billing likewise 0.
        Assert.Equal(Cats(0, 1, 0), Assert.Single(examples).Cats);
        Assert.Equal(0, reader.OverriddenSilverLabels);
        Assert.DoesNotContain(output.Warnings, w => w.Contains("silver", StringComparison.Ordinal));

        var (tied, tieOutput, _) = Read(new ProdigyReadOptions { PreferSource = SourcePreference.None }, Silver, Gold);
        Assert.Equal(new Dictionary<string, double> { ["shipping"] = 0 }, Assert.Single(tied).Cats);
        Assert.Equal(2, tieOutput.Warnings.Count);
    }

    [Fact]
    public void SilverLabelsThatNoHumanAnsweredStay()
    {
        // Multilabel binary answers: the person answered only A; silver's B is kept.
        var (examples, output, reader) = Read(
            new ProdigyReadOptions(),
            """{"text":"t","options":[{"id":"A","text":"A"},{"id":"B","text":"B"}],"accept":["A","B"],"answer":"accept","meta":{"source":"uptrain"}}""",
            """{"text":"t","label":"A","answer":"reject","meta":{"source":"review"}}""");

        Assert.Equal(new Dictionary<string, double> { ["A"] = 0, ["B"] = 1 }, Assert.Single(examples).Cats);
        Assert.Equal(1, reader.OverriddenSilverLabels);
        Assert.Single(output.Warnings);
    }

    [Fact]
    public void SilverThatAgreesWithTheHumanAnswerIsNotCounted()
    {
        var agreeing = Silver.Replace("[\"billing\"]", "[\"bug\"]", StringComparison.Ordinal);
        var (examples, output, reader) = Read(new ProdigyReadOptions(), agreeing, Gold);

        Assert.Equal(Cats(0, 1, 0), Assert.Single(examples).Cats);
        Assert.Equal(0, reader.OverriddenSilverLabels);
        Assert.Empty(output.Warnings);
    }

    [Fact]
    public void HumansWhoDisagreeFollowTheConflictPolicyWithoutSilver()
    {
        // Gold says bug, review says billing: a tie among people leaves both unknown; silver's billing does not break it.
        var reviewBilling = Review.Replace("[\"bug\"]", "[\"billing\"]", StringComparison.Ordinal);
        var (examples, output, reader) = Read(new ProdigyReadOptions(), Silver, Gold, reviewBilling);

        Assert.Equal(new Dictionary<string, double> { ["shipping"] = 0 }, Assert.Single(examples).Cats);
        Assert.Equal(2, reader.OverriddenSilverLabels);
        Assert.Equal(3, output.Warnings.Count);
    }
}
