using System.Text.Json;
using Uptrain.Tests.Data;
using Uptrain.Uptraining;
using Uptrain.Uptraining.Review;

namespace Uptrain.Tests.Uptraining.Review;

public sealed class ReviewTaskTests
{
    private static UptrainDecision Decision(string text, bool exclusive, long? hash, params (string Label, double Score)[] scores)
    {
        var card = new ModelCard { Labels = scores.Select(score => score.Label).ToList(), Exclusive = exclusive };
        var prediction = new TextcatPrediction(new TextcatExample(text) { InputHash = hash }, scores.ToDictionary(s => s.Label, s => s.Score), card);
        var uncertain = scores.Where(s => s.Score is > 0.1 and < 0.9).Select(s => s.Label).ToList();
        return new UptrainDecision(prediction, TriageRoute.Review, new Dictionary<string, double>(), uncertain);
    }

    [Fact]
    public void AnExclusiveDecisionBecomesATaskWithTheTopLabelPreSelected()
    {
        var task = ReviewTask.FromDecision(Decision("refund please", true, 7, ("billing", 0.6), ("bug", 0.4)));

        Assert.Equal(["billing", "bug"], task.Labels);
        Assert.Equal(["billing"], task.Accept);
        Assert.True(task.Exclusive);
        Assert.Equal(7, task.InputHash);
        Assert.Equal(0.4, task.Scores["bug"]);
        Assert.Equal(["billing", "bug"], task.Uncertain);
        Assert.Equal("single", task.Json["config"]!["choice_style"]!.GetValue<string>());
        Assert.Equal("uptrain", task.Json["meta"]!["source"]!.GetValue<string>());
    }

    [Fact]
    public void AMultilabelDecisionPreSelectsEveryLabelFromOneHalfAndIsHashedAsInTheReviewFile()
    {
        var decision = Decision("BUY NOW", false, null, ("spam", 0.7), ("urgent", 0.5), ("other", 0.2));

        var task = ReviewTask.FromDecision(decision);

        Assert.Equal(["spam", "urgent"], task.Accept);
        Assert.False(task.Exclusive);
        // The same hashes as Select-UptrainExample -ReviewPath writes, so a piped review and a file review resume alike.
        Assert.Equal(UptrainHashes.InputHash("BUY NOW"), task.InputHash);
        Assert.Equal(UptrainRecords.ReviewTaskHash(decision), task.Json["_task_hash"]!.GetValue<long>());
    }

    [Fact]
    public void AnExclusiveDecisionBelowOneHalfHasNothingPreSelected()
    {
        var task = ReviewTask.FromDecision(Decision("hm", true, 1, ("a", 0.45), ("b", 0.35), ("c", 0.2)));

        Assert.Empty(task.Accept);
    }

    [Fact]
    public void ReviewedDecisionsAreWrittenAsAnswersAndResumeByText()
    {
        using var dir = new TempDir();
        var answers = dir.File("answers.jsonl");
        var tasks = new[] { ReviewTask.FromDecision(Decision("BUY NOW", false, null, ("spam", 0.7), ("urgent", 0.2))) };
        using (var session = new ReviewSession(new ScriptedConsole().Type("2\r"), answers, new ReviewOptions { Annotator = "alice" }, new CollectingOutputWriter()))
        {
            Assert.Equal(1, session.Run(tasks, CancellationToken.None).Accepted);
        }
        using (var again = new ReviewSession(new ScriptedConsole(), answers, new ReviewOptions(), new CollectingOutputWriter()))
        {
            Assert.Equal(1, again.Run(tasks, CancellationToken.None).AlreadyAnswered);
        }

        var row = JsonDocument.Parse(File.ReadAllLines(answers).Single()).RootElement;
        Assert.Equal("alice", row.GetProperty("_annotator_id").GetString());
        Assert.Equal(["spam", "urgent"], row.GetProperty("accept").EnumerateArray().Select(label => label.GetString()));
        Assert.Equal("review", row.GetProperty("meta").GetProperty("source").GetString());
    }
}
