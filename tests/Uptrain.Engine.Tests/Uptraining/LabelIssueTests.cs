using System.Text.Json;
using Uptrain.Diagnostics;
using Uptrain.Tests.Student;
using Uptrain.Uptraining;
using Uptrain.Uptraining.Review;

namespace Uptrain.Tests.Uptraining;

public sealed class LabelIssueTests
{
    private static TextcatPrediction Given(ModelCard card, string text, string? given, params double[] scores)
    {
        var prediction = Predictions.Of(card, text, scores);
        foreach (var label in card.Labels)
        {
            prediction.Cats[label] = label == given ? 1.0 : 0.0;
        }
        return prediction;
    }

    [Fact]
    public void Rank_Exclusive_OrdersDisagreementsByMargin_AndSkipsAgreements()
    {
        var card = Predictions.Card(true, "a", "b", "c");
        var predictions = new[]
        {
            Given(card, "agrees", "a", 0.8, 0.1, 0.1),
            Given(card, "mild", "a", 0.4, 0.5, 0.1),     // margin 0.1
            Given(card, "strong", "b", 0.05, 0.05, 0.9), // margin 0.85
            Given(card, "no gold", null, 0.1, 0.1, 0.8),
        };

        var issues = LabelIssueFinder.Rank(predictions, exclusive: true);

        Assert.Equal(["strong", "mild"], issues.Select(i => i.Text));
        Assert.Equal([1, 2], issues.Select(i => i.Rank));
        Assert.Equal(("b", "c"), (issues[0].GivenLabel, issues[0].SuggestedLabel));
        Assert.Equal(0.85, issues[0].Confidence, 12);
        Assert.Equal(0.05, issues[0].GivenScore, 12);
    }

    [Fact]
    public void Rank_Multilabel_FlagsEachLabelOnTheOtherSideOfOneHalf()
    {
        var card = Predictions.Card(false, "a", "b");
        var prediction = Predictions.Of(card, "text", 0.1, 0.95);
        prediction.Cats["a"] = 1.0; // the model says 0.1: "a" given, "not a" suggested
        prediction.Cats["b"] = 0.0; // the model says 0.95: "not b" given, "b" suggested
        var unknown = Predictions.Of(card, "unknown", 0.9, 0.9); // no gold: nothing to check

        var issues = LabelIssueFinder.Rank([prediction, unknown], exclusive: false);

        Assert.Equal(2, issues.Count);
        Assert.Equal(("not b", "b"), (issues[0].GivenLabel, issues[0].SuggestedLabel));
        Assert.Equal(0.9, issues[0].Confidence, 12);
        Assert.Equal(("a", "not a"), (issues[1].GivenLabel, issues[1].SuggestedLabel));
        Assert.Equal(0.8, issues[1].Confidence, 12);
    }

    [Fact]
    public void WriteReviewTasks_GivesOneTaskPerExample_GivenLabelPreselected_SuggestionShown()
    {
        var card = Predictions.Card(true, "a", "b", "c");
        var issues = LabelIssueFinder.Rank([Given(card, "first", "a", 0.3, 0.6, 0.1), Given(card, "second", "c", 0.9, 0.05, 0.05)], exclusive: true);
        var path = Path.Combine(Path.GetTempPath(), $"uptrain-label-issues-{Guid.NewGuid():N}.jsonl");
        try
        {
            var written = LabelIssueFinder.WriteReviewTasks(path, issues, exclusive: true, overwrite: false);

            Assert.Equal(2, written);
            var lines = File.ReadAllLines(path);
            var task = ReviewTask.Parse(JsonDocument.Parse(lines[0]).RootElement, path + ":1");
            Assert.Equal("second", task.Text);
            Assert.Equal(["a", "b", "c"], task.Labels);
            Assert.Equal(["c"], task.Accept);
            Assert.Equal(0.9, task.Scores["a"], 6);
            Assert.Equal(["a"], task.Uncertain);
            using var json = JsonDocument.Parse(lines[0]);
            Assert.Equal("a", json.RootElement.GetProperty("meta").GetProperty("suggested").GetString());
            Assert.Equal(LabelIssueFinder.SourceName, json.RootElement.GetProperty("meta").GetProperty("source").GetString());
            Assert.Throws<UptrainException>(() => LabelIssueFinder.WriteReviewTasks(path, issues, true, overwrite: false));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void StratifiedOrder_GivesEveryPrefixAndFoldItsShareOfEachLabel_AndRepeatsWithASeed()
    {
        // 60 of "alpha", 30 of "beta", 10 of "gamma".
        var gold = StudentData.ExclusiveGold(100, 1);
        for (var i = 0; i < gold.Count; i++)
        {
            var label = i < 60 ? "alpha" : i < 90 ? "beta" : "gamma";
            foreach (var key in gold[i].Cats.Keys.ToList())
            {
                gold[i].Cats[key] = key == label ? 1 : 0;
            }
        }

        var order = StratifiedOrder.Of(gold, 3);
        var folds = StratifiedOrder.Folds(gold, 5, 3);

        Assert.Equal(Enumerable.Range(0, 100), order.Order());
        Assert.Equal(order, StratifiedOrder.Of(gold, 3));
        Assert.NotEqual(order, StratifiedOrder.Of(gold, 4));
        var half = order.Take(50).Select(i => gold[i].PositiveLabels[0]).ToList();
        Assert.Equal((30, 15, 5), (half.Count(l => l == "alpha"), half.Count(l => l == "beta"), half.Count(l => l == "gamma")));
        for (var f = 0; f < 5; f++)
        {
            var members = Enumerable.Range(0, 100).Where(i => folds[i] == f).ToList();
            Assert.Equal(20, members.Count);
            Assert.Equal(2, members.Count(i => gold[i].PositiveLabels[0] == "gamma"));
        }
    }

    [Fact]
    public void OutOfFold_ScoresEachExampleByAModelThatDidNotSeeIt_AndFindsFlippedLabels()
    {
        var gold = StudentData.ExclusiveGold(200, 2);
        // Five labels flipped to the next label: a model trained on the other folds disagrees with each.
        var flipped = new[] { 3, 41, 77, 120, 166 };
        foreach (var i in flipped)
        {
            var given = gold[i].PositiveLabels[0];
            var next = StudentData.Labels[(Array.IndexOf(StudentData.Labels, given) + 1) % StudentData.Labels.Length];
            gold[i].Cats[given] = 0;
            gold[i].Cats[next] = 1;
        }
        var recipe = new StudentRecipe(StudentData.SmallOptions(epochs: 8), vectors: null);
        var output = new CollectingOutputWriter();

        var result = OutOfFold.Predict(gold, recipe, folds: 4, seed: 1, eval: null, output);

        Assert.False(result.Stopped);
        Assert.Equal(gold.Select(g => g.Text), result.Predictions.Select(p => p.Text));
        Assert.Equal(4, result.Predictions.Select(p => p.Model.Name).Distinct().Count());
        Assert.All(result.Predictions, p => Assert.StartsWith("student-fold-", p.Model.Name));
        // Each fold's model was deleted once it had scored its fold.
        Assert.All(result.Predictions, p => Assert.False(Directory.Exists(p.Model.Path)));
        var issues = LabelIssueFinder.Rank(result.Predictions, exclusive: true);
        Assert.Equal(flipped.Select(i => gold[i].Text).Order(), issues.Take(5).Select(i => i.Text).Order());
        Assert.Contains(output.Progress, p => p.ActivityId == OutOfFold.FoldActivityId && p.Completed);
        Assert.Contains(output.Progress, p => p.ParentActivityId == OutOfFold.FoldActivityId);
    }

    [Fact]
    public void OutOfFold_StoppedAfterAFold_KeepsThePredictionsOfTheFoldsDone()
    {
        var gold = StudentData.ExclusiveGold(120, 3);
        using var stop = new CancellationTokenSource();
        var output = new StopOnVerboseWriter(v => v.StartsWith("Fold 1 of 3", StringComparison.Ordinal), stop);

        var result = OutOfFold.Predict(gold, new StudentRecipe(StudentData.SmallOptions(), null), folds: 3, seed: 1, eval: null, output, stop.Token);

        Assert.True(result.Stopped);
        Assert.Equal(1, result.FoldsDone);
        Assert.Equal(40, result.Predictions.Count);
    }

    [Fact]
    public void OutOfFold_TooManyFolds_IsAnError()
    {
        var error = Assert.Throws<UptrainException>(() =>
            OutOfFold.Predict(StudentData.ExclusiveGold(3, 1), new StudentRecipe(StudentData.SmallOptions(), null), folds: 4, seed: 1, eval: null, NullOutputWriter.Instance));

        Assert.Equal("InvalidFolds", error.ErrorId);
    }
}
