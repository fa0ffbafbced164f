using Uptrain.Diagnostics;
using Uptrain.Metrics;

namespace Uptrain.Tests.Metrics;

// Expected values are worked out by hand in the comments (P = TP/(TP+FP), R = TP/(TP+FN), F = 2PR/(P+R), AUC = share of
// (positive, negative) pairs where the positive scores higher, ties counting half). The scenarios of the first five
// tests were also run through a plain-Python re-statement of spaCy v3's score_cats (with an absent gold label as
// spaCy's None) and gave the same numbers.
public sealed class TextcatScorerTests
{
    private const double Tolerance = 1e-9;

    private static Dictionary<string, double> D(params (string Label, double Value)[] entries)
    {
        var dict = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (label, value) in entries)
        {
            dict.Add(label, value);
        }
        return dict;
    }

    private static ScoredItem Item(Dictionary<string, double> gold, Dictionary<string, double> predicted) =>
        new(gold, predicted);

    private static void Near(double expected, double? actual)
    {
        Assert.NotNull(actual);
        Assert.InRange(actual!.Value, expected - Tolerance, expected + Tolerance);
    }

    private static LabelScore Label(TextcatScore score, string label) => Assert.Single(score.PerLabel, l => l.Label == label);

    private static void Counts(LabelScore label, int tp, int fp, int fn)
    {
        Assert.Equal(tp, label.TruePositives);
        Assert.Equal(fp, label.FalsePositives);
        Assert.Equal(fn, label.FalseNegatives);
    }

    [Fact]
    public void Multilabel_SkipsAbsentGoldLabels()
    {
        var items = new[]
        {
            Item(D(("A", 1), ("B", 0)), D(("A", 0.9), ("B", 0.6), ("C", 0.2))), // C unknown
            Item(D(("A", 0), ("B", 1), ("C", 0)), D(("A", 0.4), ("B", 0.3), ("C", 0.7))),
            Item(D(("A", 1), ("C", 1)), D(("A", 0.2), ("B", 0.8), ("C", 0.55))), // B unknown
            Item(D(("B", 0), ("C", 0)), D(("A", 0.1), ("B", 0.1), ("C", 0.6))), // A unknown
        };

        var score = TextcatScorer.Score(items, new TextcatScorerOptions());

        // Two gold 1s in item 3 → inferred multilabel, threshold 0.5.
        Assert.False(score.Exclusive);
        Assert.Equal(0.5, score.Threshold);
        Assert.Equal(4, score.Examples);
        Assert.Equal(["A", "B", "C"], score.PerLabel.Select(l => l.Label));

        // A (items 1-3): 0.9/1 TP, 0.4/0 nothing, 0.2/1 FN → TP1 FP0 FN1; P 1, R 1/2, F 2/3.
        // AUC: pos {0.9, 0.2}, neg {0.4}: 0.9>0.4, 0.2<0.4 → 1/2. Support 2.
        var a = Label(score, "A");
        Counts(a, 1, 0, 1);
        Near(1.0, a.P);
        Near(0.5, a.R);
        Near(2.0 / 3.0, a.F);
        Near(0.5, a.Auc);
        Assert.Equal(2, a.Support);

        // B (items 1, 2, 4): 0.6/0 FP, 0.3/1 FN, 0.1/0 nothing → TP0 FP1 FN1; P R F 0.
        // AUC: pos {0.3}, neg {0.6, 0.1} → 1/2.
        var b = Label(score, "B");
        Counts(b, 0, 1, 1);
        Near(0.0, b.P);
        Near(0.0, b.R);
        Near(0.0, b.F);
        Near(0.5, b.Auc);
        Assert.Equal(1, b.Support);

        // C (items 2-4; item 1's 0.2 is not a negative): 0.7/0 FP, 0.55/1 TP, 0.6/0 FP → TP1 FP2 FN0;
        // P 1/3, R 1, F 2(1/3)/(4/3) = 1/2. AUC: pos {0.55}, neg {0.7, 0.6} → 0.
        var c = Label(score, "C");
        Counts(c, 1, 2, 0);
        Near(1.0 / 3.0, c.P);
        Near(1.0, c.R);
        Near(0.5, c.F);
        Near(0.0, c.Auc);

        // Micro: TP2 FP3 FN2 → P 2/5, R 2/4, F 2(0.2)/0.9 = 4/9.
        Near(0.4, score.MicroP);
        Near(0.5, score.MicroR);
        Near(4.0 / 9.0, score.MicroF);
        // Macro: P (1 + 0 + 1/3)/3 = 4/9, R (1/2 + 0 + 1)/3 = 1/2, F (2/3 + 0 + 1/2)/3 = 7/18, AUC (1/2 + 1/2 + 0)/3.
        Near(4.0 / 9.0, score.MacroP);
        Near(0.5, score.MacroR);
        Near(7.0 / 18.0, score.MacroF);
        Near(1.0 / 3.0, score.MacroAuc);
        Near(1.0 / 3.0, score.Score);
        Assert.Equal("macro AUC", score.ScoreDescription);
        Assert.Null(score.Accuracy);
        Assert.Null(score.Confusion);
    }

    private static ScoredItem[] ThreeAnimals() =>
    [
        Item(D(("cat", 1), ("dog", 0), ("bird", 0)), D(("cat", 0.7), ("dog", 0.2), ("bird", 0.1))),
        Item(D(("cat", 1), ("dog", 0), ("bird", 0)), D(("cat", 0.4), ("dog", 0.35), ("bird", 0.25))),
        Item(D(("cat", 0), ("dog", 1), ("bird", 0)), D(("cat", 0.6), ("dog", 0.3), ("bird", 0.1))),
        Item(D(("cat", 0), ("dog", 1), ("bird", 0)), D(("cat", 0.1), ("dog", 0.8), ("bird", 0.1))),
        Item(D(("cat", 0), ("dog", 0), ("bird", 1)), D(("cat", 0.3), ("dog", 0.45), ("bird", 0.25))),
        Item(D(("cat", 0), ("dog", 0), ("bird", 1)), D(("bird", 0.9), ("cat", 0.05), ("dog", 0.05))),
        Item(D(("cat", 1), ("dog", 0), ("bird", 0)), D()), // gold only
        Item(D(), D(("dog", 0.7), ("cat", 0.3))), // prediction only
    ];

    [Fact]
    public void Exclusive_ThreeLabels_WithThreshold()
    {
        var score = TextcatScorer.Score(ThreeAnimals(), new TextcatScorerOptions { Exclusive = true, Threshold = 0.5 });

        // 1 cat→cat 0.7 ≥ .5: TP cat.  2 cat→cat 0.4 < .5: FN cat.  3 dog→cat 0.6: FN dog, FP cat.
        // 4 dog→dog 0.8: TP dog.  5 bird→dog 0.45 < .5: FN bird only.  6 bird→bird 0.9: TP bird.
        // 7 gold cat, no prediction: FN cat.  8 no gold, dog 0.7 ≥ .5: FP dog.
        Assert.True(score.Exclusive);
        Assert.Equal(0.5, score.Threshold);
        Assert.Equal(8, score.Examples);
        Assert.Equal(["cat", "dog", "bird"], score.PerLabel.Select(l => l.Label));

        // cat TP1 FP1 FN2: P 1/2, R 1/3, F 2(1/6)/(5/6) = 2/5.
        var cat = Label(score, "cat");
        Counts(cat, 1, 1, 2);
        Near(0.5, cat.P);
        Near(1.0 / 3.0, cat.R);
        Near(0.4, cat.F);
        Assert.Equal(3, cat.Support);
        // dog TP1 FP1 FN1: 1/2 each.
        var dog = Label(score, "dog");
        Counts(dog, 1, 1, 1);
        Near(0.5, dog.F);
        // bird TP1 FP0 FN1: P 1, R 1/2, F 2/3.
        var bird = Label(score, "bird");
        Counts(bird, 1, 0, 1);
        Near(2.0 / 3.0, bird.F);

        // Micro TP3 FP2 FN4: P 3/5, R 3/7, F 2(9/35)/(36/35) = 1/2. Macro F (2/5 + 1/2 + 2/3)/3 = 47/90.
        Near(0.6, score.MicroP);
        Near(3.0 / 7.0, score.MicroR);
        Near(0.5, score.MicroF);
        Near((0.5 + 0.5 + 1.0) / 3.0, score.MacroP);
        Near((1.0 / 3.0 + 0.5 + 0.5) / 3.0, score.MacroR);
        Near(47.0 / 90.0, score.MacroF);
        Near(47.0 / 90.0, score.Score);
        Assert.Equal("macro F", score.ScoreDescription);

        // AUC over all 8 items (item 7's predictions are all 0.0). Exclusive scoring counts absent gold as 0, as
        // spaCy does ("if not gold_score and not multi_label: gold_score = 0.0"), so item 8 adds a negative to every
        // label: cat .3, dog .7, bird 0.
        // cat: pos {.7, .4, 0}, neg {.6, .1, .3, .05, .3}: 5 + 4 + 0 = 9 of 15.
        // dog: pos {.3, .8}, neg {.2, .35, .45, .05, 0, .7}: 3 + 6 = 9 of 12.
        // bird: pos {.25, .9}, neg {.1, .25, .1, .1, 0, 0}: (5 + 1/2 tie) + 6 = 11.5 of 12.
        Near(0.6, cat.Auc);
        Near(0.75, dog.Auc);
        Near(11.5 / 12.0, bird.Auc);
        Near((0.6 + 0.75 + 11.5 / 12.0) / 3.0, score.MacroAuc);

        // Accuracy ignores the threshold: items 1-7 have gold; 1, 2, 4, 6 are argmax-correct → 4/7.
        Near(4.0 / 7.0, score.Accuracy);

        // Confusion (gold row, predicted column), items with both gold and predictions (1-6).
        var confusion = Assert.IsType<ConfusionMatrix>(score.Confusion);
        Assert.Equal(["cat", "dog", "bird"], confusion.Labels);
        Assert.Equal(2, confusion["cat", "cat"]);
        Assert.Equal(1, confusion["dog", "cat"]);
        Assert.Equal(1, confusion["dog", "dog"]);
        Assert.Equal(1, confusion["bird", "dog"]);
        Assert.Equal(1, confusion["bird", "bird"]);
        Assert.Equal(6, confusion.Counts.Sum(row => row.Sum()));
        Assert.Equal(new[] { 0, 1, 1 }, confusion.Counts[2]);
        Assert.Throws<KeyNotFoundException>(() => confusion["cat", "fish"]);
    }

    [Fact]
    public void Exclusive_DefaultThresholdIsZero()
    {
        var score = TextcatScorer.Score(ThreeAnimals(), new TextcatScorerOptions { Exclusive = true });

        // Threshold 0: item 2 becomes TP cat; item 5 adds FP dog.
        // cat TP2 FP1 FN1 → 2/3 each. dog TP1 FP2 FN1 → P 1/3, R 1/2, F 2/5. bird unchanged (2/3).
        Assert.Equal(0.0, score.Threshold);
        Counts(Label(score, "cat"), 2, 1, 1);
        Near(2.0 / 3.0, Label(score, "cat").F);
        Counts(Label(score, "dog"), 1, 2, 1);
        Near(0.4, Label(score, "dog").F);
        // Micro TP4 FP3 FN3 → 4/7 each. Macro F (2/3 + 2/5 + 2/3)/3 = 26/45.
        Near(4.0 / 7.0, score.MicroF);
        Near(26.0 / 45.0, score.MacroF);
        Near(26.0 / 45.0, score.Score);
        Near(4.0 / 7.0, score.Accuracy);
    }

    [Fact]
    public void ExclusiveBinary_ScoreIsPositiveLabelF()
    {
        var items = new[]
        {
            Item(D(("POS", 1), ("NEG", 0)), D(("POS", 0.8), ("NEG", 0.2))), // TP POS
            Item(D(("POS", 1), ("NEG", 0)), D(("POS", 0.3), ("NEG", 0.7))), // FN POS, FP NEG
            Item(D(("POS", 0), ("NEG", 1)), D(("POS", 0.6), ("NEG", 0.4))), // FN NEG, FP POS
            Item(D(("POS", 0), ("NEG", 1)), D(("POS", 0.1), ("NEG", 0.9))), // TP NEG
            Item(D(("POS", 1), ("NEG", 0)), D(("POS", 0.9))), // TP POS; NEG's score is 0.0
        };

        var score = TextcatScorer.Score(items, new TextcatScorerOptions { PositiveLabel = "POS" });

        // One-hot gold → inferred exclusive. POS TP2 FP1 FN1 → F 2/3; NEG TP1 FP1 FN1 → F 1/2.
        Assert.True(score.Exclusive);
        Near(2.0 / 3.0, Label(score, "POS").F);
        Near(0.5, Label(score, "NEG").F);
        Near(2.0 / 3.0, score.Score);
        Assert.Equal("F (POS)", score.ScoreDescription);
        Assert.Equal("POS", score.PositiveLabel);
        // Macro F (2/3 + 1/2)/2 = 7/12; micro TP3 FP2 FN2 → 3/5.
        Near(7.0 / 12.0, score.MacroF);
        Near(0.6, score.MicroF);
        // POS AUC: pos {.8, .3, .9}, neg {.6, .1}: 2 + 1 + 2 = 5 of 6.
        Near(5.0 / 6.0, Label(score, "POS").Auc);

        // The same items scored as multilabel: the score is the macro AUC, the positive label does not apply.
        var multilabel = TextcatScorer.Score(items, new TextcatScorerOptions { PositiveLabel = "POS", Exclusive = false });
        Assert.Equal("macro AUC", multilabel.ScoreDescription);
        Near(multilabel.MacroAuc, multilabel.Score);
    }

    [Fact]
    public void PositiveLabel_WithThreeLabels_GivesMacroF()
    {
        var score = TextcatScorer.Score(ThreeAnimals(), new TextcatScorerOptions { Exclusive = true, PositiveLabel = "cat" });

        Assert.Equal("macro F", score.ScoreDescription);
        Near(score.MacroF, score.Score);
    }

    [Fact]
    public void RocAuc_TiesCountHalf_AndLabelWithOneClassHasNone()
    {
        var items = new[]
        {
            Item(D(("X", 1), ("Y", 0), ("Z", 1)), D(("X", 0.9), ("Y", 0.3), ("Z", 0.8))),
            Item(D(("X", 1), ("Y", 0), ("Z", 0)), D(("X", 0.5), ("Y", 0.6), ("Z", 0.2))),
            Item(D(("X", 0), ("Y", 0), ("Z", 0)), D(("X", 0.5), ("Y", 0.1), ("Z", 0.1))),
            Item(D(("X", 0), ("Y", 0)), D(("X", 0.2), ("Y", 0.9), ("Z", 0.7))), // Z unknown: its 0.7 is ignored
            Item(D(("X", 0), ("Y", 0), ("Z", 1)), D(("X", 0.5), ("Y", 0.2), ("Z", 0.6))),
        };

        var score = TextcatScorer.Score(items, new TextcatScorerOptions());

        // X: pos {.9, .5}, neg {.5, .2, .5}. .9 beats all 3; .5 ties .5 twice (1/2 + 1/2) and beats .2 → 3 + 2 = 5 of 6.
        // As spaCy's curve: points (0,0) (0,1/2) (2/3,1) (1,1); trapezoids 0 + (2/3)(3/4) + (1/3)(1) = 5/6.
        Near(5.0 / 6.0, Label(score, "X").Auc);
        // Y: gold all 0 → no AUC.
        Assert.Null(Label(score, "Y").Auc);
        // Z: pos {.8, .6}, neg {.2, .1} → 1.
        Near(1.0, Label(score, "Z").Auc);
        // Macro AUC still divides by all three labels: (5/6 + 0 + 1)/3 = 11/18.
        Near(11.0 / 18.0, score.MacroAuc);
        Near(11.0 / 18.0, score.Score);
        // X ≥ 0.5: items 1, 2 (TP), 3, 5 (FP). Y: 0.6 and 0.9 FP. Z: items 1, 5 TP.
        Counts(Label(score, "X"), 2, 2, 0);
        Counts(Label(score, "Y"), 0, 2, 0);
        Counts(Label(score, "Z"), 2, 0, 0);
    }

    [Fact]
    public void MissingPrediction_CountsAsZero()
    {
        var items = new[]
        {
            Item(D(("A", 1), ("B", 0)), D(("A", 0.7))), // A TP; B 0.0 vs 0: nothing
            Item(D(("A", 1), ("B", 1)), D()), // A FN, B FN
            Item(D(("A", 0), ("B", 1)), D(("B", 0.5))), // B 0.5 ≥ 0.5: TP
            Item(D(("A", 0), ("B", 0)), D(("A", 0.0), ("B", 0.9))), // B FP
        };

        var score = TextcatScorer.Score(items, new TextcatScorerOptions());

        // A TP1 FN1 → F 2/3. B TP1 FP1 FN1 → F 1/2.
        Counts(Label(score, "A"), 1, 0, 1);
        Counts(Label(score, "B"), 1, 1, 1);
        // A: pos {.7, 0 (missing)}, neg {0 (missing), 0}: .7 beats both, 0 ties both → (2 + 1)/4 = 3/4.
        Near(0.75, Label(score, "A").Auc);
        // B: pos {0 (missing), .5}, neg {0 (missing), .9}: 0 ties 0 (1/2), .5 beats 0 → 1.5/4 = 3/8.
        Near(0.375, Label(score, "B").Auc);
        Near((0.75 + 0.375) / 2.0, score.Score);
        // Micro TP2 FP1 FN2: P 2/3, R 1/2, F 4/7.
        Near(4.0 / 7.0, score.MicroF);
    }

    [Fact]
    public void Labels_InferredOrderAndExplicitSubset()
    {
        var items = new[]
        {
            Item(D(("c", 1), ("a", 0)), D(("b", 0.1), ("a", 0.9))),
            Item(D(("e", 0), ("b", 1)), D(("d", 0.5), ("a", 0.2))),
        };

        // Inferred: prediction labels in first-appearance order (b, a, d), then gold-only labels (c, e).
        var inferred = TextcatScorer.Score(items, new TextcatScorerOptions());
        Assert.Equal(["b", "a", "d", "c", "e"], inferred.PerLabel.Select(l => l.Label));
        Assert.Empty(inferred.IgnoredLabels);

        // Explicit: that order; the other labels are not scored and are reported in order of first sight.
        var explicitLabels = TextcatScorer.Score(items, new TextcatScorerOptions { Labels = ["e", "a", "e"] });
        Assert.Equal(["e", "a"], explicitLabels.PerLabel.Select(l => l.Label));
        Assert.Equal(["b", "c", "d"], explicitLabels.IgnoredLabels);
        // a: item 1 0.9/0 → FP; item 2 gold unknown. e: item 2 0.0/0 → nothing.
        Counts(Label(explicitLabels, "a"), 0, 1, 0);
        Counts(Label(explicitLabels, "e"), 0, 0, 0);
        // Macro values are over the two listed labels (all 0 here).
        Near(0.0, explicitLabels.MacroF);
    }

    [Fact]
    public void Labels_ExplicitRestrictExclusiveArgmax()
    {
        // "other" scores highest but is not a listed label, so the argmax is over yes/no only.
        var items = new[] { Item(D(("yes", 1), ("no", 0)), D(("other", 0.9), ("yes", 0.06), ("no", 0.04))) };

        var score = TextcatScorer.Score(items, new TextcatScorerOptions { Labels = ["yes", "no"] });

        Assert.True(score.Exclusive);
        Counts(Label(score, "yes"), 1, 0, 0);
        Assert.Equal(["other"], score.IgnoredLabels);
        Near(1.0, score.Accuracy);
    }

    [Fact]
    public void Exclusivity_IsInferredFromGold()
    {
        var oneHot = new[]
        {
            Item(D(("a", 1), ("b", 0)), D(("a", 0.3), ("b", 0.2))),
            Item(D(("a", 0), ("b", 1)), D(("a", 0.1), ("b", 0.2))),
        };
        var inferred = TextcatScorer.Score(oneHot, new TextcatScorerOptions());
        var forced = TextcatScorer.Score(oneHot, new TextcatScorerOptions { Exclusive = true });
        // Exclusive, threshold 0: both argmax-correct → a and b TP1 each, F 1. (Multilabel at 0.5 would give F 0.)
        Assert.True(inferred.Exclusive);
        Assert.Equal(0.0, inferred.Threshold);
        Near(1.0, inferred.MacroF);
        Near(forced.MacroF, inferred.MacroF);
        Near(forced.MicroF, inferred.MicroF);
        Assert.NotNull(inferred.Confusion);

        // Explicit multilabel wins over the inference: nothing reaches 0.5 → a FN1, b FN1, F 0.
        var multilabel = TextcatScorer.Score(oneHot, new TextcatScorerOptions { Exclusive = false });
        Assert.False(multilabel.Exclusive);
        Assert.Equal(0.5, multilabel.Threshold);
        Near(0.0, multilabel.MacroF);
        Assert.Null(multilabel.Accuracy);

        // Two positives, no positive, or unknown gold: multilabel.
        Assert.False(TextcatScorer.Score([Item(D(("a", 1), ("b", 1)), D())], new TextcatScorerOptions()).Exclusive);
        Assert.False(TextcatScorer.Score([Item(D(("a", 0), ("b", 0)), D())], new TextcatScorerOptions()).Exclusive);
        Assert.False(TextcatScorer.Score([oneHot[0], Item(D(), D(("a", 0.4)))], new TextcatScorerOptions()).Exclusive);
    }

    [Fact]
    public void ExclusiveTies_TakeFirstInDictionaryOrder_AsSpacy()
    {
        var items = new[]
        {
            // Both argmaxes tie → first entry: a vs a, 0.5 ≥ 0 → TP a (spaCy counts it although gold a is 0).
            Item(D(("a", 0), ("b", 0)), D(("a", 0.5), ("b", 0.5))),
            // Gold only, its top value 0 → nothing counted.
            Item(D(("a", 0), ("b", 0)), D()),
            // Ties again, now b comes first in both → TP b.
            Item(D(("b", 1), ("a", 0)), D(("b", 0.5), ("a", 0.5))),
        };

        var score = TextcatScorer.Score(items, new TextcatScorerOptions { Exclusive = true });

        Counts(Label(score, "a"), 1, 0, 0);
        Counts(Label(score, "b"), 1, 0, 0);
        // Accuracy: 3 items with gold, 1 and 3 correct → 2/3.
        Near(2.0 / 3.0, score.Accuracy);
        // a: gold all 0 → no AUC; b: pos {.5}, neg {.5, 0} → (1/2 + 1)/2 = 3/4. Macro (0 + 3/4)/2.
        Assert.Null(Label(score, "a").Auc);
        Near(0.75, Label(score, "b").Auc);
        Near(0.375, score.MacroAuc);
    }

    [Fact]
    public void ZeroDivision_GivesZero()
    {
        var none = TextcatScorer.Score([], new TextcatScorerOptions());
        Assert.Equal(0, none.Examples);
        Assert.Empty(none.PerLabel);
        Assert.False(none.Exclusive);
        Assert.Equal(0.0, none.Score);
        Assert.Equal(0.0, none.MicroP);
        Assert.Equal(0.0, none.MicroR);
        Assert.Equal(0.0, none.MicroF);
        Assert.Equal(0.0, none.MacroP);
        Assert.Equal(0.0, none.MacroF);
        Assert.Equal(0.0, none.MacroAuc);

        var noneExclusive = TextcatScorer.Score([], new TextcatScorerOptions { Exclusive = true, Labels = ["x", "y"] });
        Assert.Equal(0.0, noneExclusive.Accuracy);
        Assert.All(noneExclusive.PerLabel, l =>
        {
            Assert.Equal(0.0, l.P);
            Assert.Equal(0.0, l.R);
            Assert.Equal(0.0, l.F);
            Assert.Null(l.Auc);
        });
        Assert.Equal(0.0, noneExclusive.Score);

        // Nothing predicted (TP+FP = 0) and nothing to find (TP+FN = 0): P, R, F are 0, not NaN.
        var empty = TextcatScorer.Score([Item(D(("a", 0)), D(("a", 0.1)))], new TextcatScorerOptions());
        var a = Label(empty, "a");
        Counts(a, 0, 0, 0);
        Assert.Equal(0.0, a.P);
        Assert.Equal(0.0, a.R);
        Assert.Equal(0.0, a.F);
        Assert.Equal(0.0, empty.MicroF);
    }

    [Fact]
    public void UnknownPositiveLabel_IsRejected()
    {
        var given = Assert.Throws<UptrainException>(() =>
            new TextcatScoreAccumulator(new TextcatScorerOptions { Labels = ["a", "b"], PositiveLabel = "c" }));
        Assert.Equal("UnknownPositiveLabel", given.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, given.Kind);
        Assert.Contains("'c'", given.Message, StringComparison.Ordinal);

        // Inferred labels are known only at the end.
        var accumulator = new TextcatScoreAccumulator(new TextcatScorerOptions { PositiveLabel = "A" });
        accumulator.Add(Item(D(("a", 1), ("b", 0)), D(("a", 0.9))));
        var inferred = Assert.Throws<UptrainException>(accumulator.Finish);
        Assert.Equal("UnknownPositiveLabel", inferred.ErrorId);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void ThresholdOutsideZeroToOne_IsRejected(double threshold)
    {
        var error = Assert.Throws<UptrainException>(() => new TextcatScoreAccumulator(new TextcatScorerOptions { Threshold = threshold }));
        Assert.Equal("InvalidThreshold", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void ThresholdAtTheBounds_IsAccepted(double threshold)
    {
        // Multilabel threshold 1: only a score of exactly 1 counts (≥).
        var score = TextcatScorer.Score(
            [Item(D(("a", 1)), D(("a", 1.0))), Item(D(("a", 1)), D(("a", 0.99)))],
            new TextcatScorerOptions { Threshold = threshold, Exclusive = false });
        Assert.Equal(threshold, score.Threshold);
        Counts(Label(score, "a"), threshold == 1.0 ? 1 : 2, 0, threshold == 1.0 ? 1 : 0);
    }

    [Fact]
    public void Accumulator_FinishIsRepeatableAndMatchesBatch()
    {
        var items = ThreeAnimals();
        var accumulator = new TextcatScoreAccumulator(new TextcatScorerOptions { Exclusive = true, Threshold = 0.5 });
        foreach (var item in items.Take(4))
        {
            accumulator.Add(item);
        }
        var partial = accumulator.Finish();
        Assert.Equal(4, partial.Examples);
        foreach (var item in items.Skip(4))
        {
            accumulator.Add(item);
        }
        var all = accumulator.Finish();
        var batch = TextcatScorer.Score(items, new TextcatScorerOptions { Exclusive = true, Threshold = 0.5 });
        Assert.Equal(batch.Examples, all.Examples);
        Assert.Equal(batch.MacroF, all.MacroF);
        Assert.Equal(batch.MacroAuc, all.MacroAuc);
        Assert.Equal(batch.Accuracy, all.Accuracy);
        Assert.Equal(all.MacroAuc, accumulator.Finish().MacroAuc);
    }

    [Fact]
    public void FormatTable_ShowsLabelsTotalsAndScore()
    {
        var score = TextcatScorer.Score(ThreeAnimals(), new TextcatScorerOptions { Exclusive = true, Threshold = 0.5 });

        var lines = score.FormatTable().Split(Environment.NewLine);

        Assert.Equal(["Label", "P", "R", "F", "AUC", "Support"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        // cat: P 0.5, R 1/3, F 0.4, AUC 9/15 (see Exclusive_ThreeLabels_WithThreshold), support 3.
        Assert.Equal(["cat", "0.5000", "0.3333", "0.4000", "0.6000", "3"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("dog ", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("bird ", lines[4], StringComparison.Ordinal);
        Assert.Equal(["Micro", "0.6000", "0.4286", "0.5000", "7"], lines[5].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Macro ", lines[6], StringComparison.Ordinal);
        Assert.Equal(["Accuracy", "0.5714"], lines[7].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("Score     0.5222  (macro F)", lines[8]);
        // Columns line up: every value row is as long as the header.
        Assert.All(lines[1..5], line => Assert.Equal(lines[0].Length, line.Length));
    }

    [Fact]
    public void FormatTable_ShowsDashForMissingAuc()
    {
        var score = TextcatScorer.Score([Item(D(("only", 0)), D(("only", 0.2)))], new TextcatScorerOptions());

        var row = score.FormatTable().Split(Environment.NewLine)[2];

        Assert.Equal(["only", "0.0000", "0.0000", "0.0000", "-", "0"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void ExclusiveAucCountsAbsentGoldAsNegativeLikeSpacy()
    {
        // spaCy: "if not gold_score and not multi_label: gold_score = 0.0" before the AUC pair is recorded.
        // A: gold 1 (.9), absent→0 (.3), 1 (.6) → positives {.9, .6} over negative {.3}: AUC 1.
        // B: absent→0 (.1), 1 (.7), absent→0 (.8) → positive {.7} over negatives {.1, .8}: 1 of 2 pairs → 0.5.
        // Macro AUC (1 + 0.5) / 2 = 0.75.
        var items = new[]
        {
            Item(D(("A", 1)), D(("A", 0.9), ("B", 0.1))),
            Item(D(("B", 1)), D(("A", 0.3), ("B", 0.7))),
            Item(D(("A", 1)), D(("A", 0.6), ("B", 0.8))),
        };

        var exclusive = TextcatScorer.Score(items, new TextcatScorerOptions { Exclusive = true });
        Near(1.0, Label(exclusive, "A").Auc);
        Near(0.5, Label(exclusive, "B").Auc);
        Near(0.75, exclusive.MacroAuc);

        // Multilabel leaves absent gold out: each label then has one gold value only, so no AUC and a macro AUC of 0.
        var multilabel = TextcatScorer.Score(items, new TextcatScorerOptions { Exclusive = false });
        Assert.Null(Label(multilabel, "A").Auc);
        Assert.Null(Label(multilabel, "B").Auc);
        Near(0.0, multilabel.MacroAuc);
    }

    [Fact]
    public void ExclusiveAucCountsTextsBeforeALabelAppearedAsZeroScoredNegatives()
    {
        // B first appears in the second text. With spaCy's fixed label set the first text would have scored
        // pred_cats.get("B", 0.0) = 0 against gold 0: B's AUC is positive {.8} over negative {0} = 1.
        // A: gold 1 (.9) and absent→0 (.2) → 1. Macro AUC 1.
        var items = new[]
        {
            Item(D(("A", 1)), D(("A", 0.9))),
            Item(D(("B", 1)), D(("A", 0.2), ("B", 0.8))),
        };

        var score = TextcatScorer.Score(items, new TextcatScorerOptions());

        Assert.True(score.Exclusive);
        Near(1.0, Label(score, "A").Auc);
        Near(1.0, Label(score, "B").Auc);
        Near(1.0, score.MacroAuc);
    }

    [Theory]
    [InlineData(7.0)]
    [InlineData(-3.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void AddRejectsScoresOutsideZeroToOne_AndCountsNothing(double bad)
    {
        var accumulator = new TextcatScoreAccumulator();
        var error = Assert.Throws<UptrainException>(() => accumulator.Add(Item(D(("A", 1)), D(("A", 0.5), ("B", bad)))));

        Assert.Equal("InvalidScore", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
        Assert.Contains("'B'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, accumulator.Count);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(-1.0)]
    public void AddRejectsGoldValuesOutsideZeroToOne(double bad)
    {
        var accumulator = new TextcatScoreAccumulator();
        var error = Assert.Throws<UptrainException>(() => accumulator.Add(Item(D(("A", bad)), D(("A", 0.5)))));

        Assert.Equal("InvalidLabelValue", error.ErrorId);
        Assert.Equal(0, accumulator.Count);
    }

    [Fact]
    public void GoldNaNStaysUnknown()
    {
        var accumulator = new TextcatScoreAccumulator();
        accumulator.Add(Item(D(("A", double.NaN)), D(("A", 0.5))));

        Assert.Equal(1, accumulator.Count);
        Assert.Equal(0, accumulator.CountWithGold);
    }

    [Fact]
    public void CountWithGoldCountsOnlyItemsWithKnownGold()
    {
        var accumulator = new TextcatScoreAccumulator();
        accumulator.Add(Item(D(), D(("A", 0.5))));
        accumulator.Add(Item(D(), D(("A", 0.7))));
        Assert.Equal(0, accumulator.CountWithGold);

        accumulator.Add(Item(D(("A", 1)), D(("A", 0.7))));
        Assert.Equal(3, accumulator.Count);
        Assert.Equal(1, accumulator.CountWithGold);
    }

    [Fact]
    public void LabelMismatchesNameLabelsThatDifferOnlyInCase()
    {
        var accumulator = new TextcatScoreAccumulator();
        accumulator.Add(Item(D(("spam", 1), ("ham", 0)), D(("SPAM", 0.9), ("HAM", 0.1))));

        var warnings = accumulator.LabelMismatches();

        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("'spam'", StringComparison.Ordinal) && w.Contains("'SPAM'", StringComparison.Ordinal)
            && w.Contains("case", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(warnings, w => w.Contains("'ham'", StringComparison.Ordinal) && w.Contains("'HAM'", StringComparison.Ordinal));
    }

    [Fact]
    public void LabelMismatchesNameLabelsPresentOnOneSideOnly()
    {
        var accumulator = new TextcatScoreAccumulator();
        accumulator.Add(Item(D(("A", 1), ("GOLDONLY", 0)), D(("A", 0.9), ("PREDONLY", 0.1))));

        var warnings = accumulator.LabelMismatches();

        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("'GOLDONLY'", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("'PREDONLY'", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Contains("'A'", StringComparison.Ordinal));
    }

    [Fact]
    public void LabelMismatchesIsEmptyWhenBothSidesHaveTheSameLabels()
    {
        var accumulator = new TextcatScoreAccumulator();
        accumulator.Add(Item(D(("A", 1)), D(("A", 0.9), ("B", 0.1))));
        accumulator.Add(Item(D(("B", 1)), D(("A", 0.2), ("B", 0.8))));

        Assert.Empty(accumulator.LabelMismatches());
    }
}
