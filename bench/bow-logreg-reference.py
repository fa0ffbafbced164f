#!/usr/bin/env python3
"""A reference for bench/Measure-TeacherAccuracy.ps1: a bag-of-words linear model on the same gold.

Pure Python (no numpy here), so it runs anywhere the bench data does. Features: lower-cased word
unigrams and bigrams, binary, L2-normalised per text. Exclusive corpora: one softmax regression;
multilabel corpora: one logistic regression per label. Plain SGD with L2, fixed seed. Reports the
test accuracy and macro F (exclusive) or macro ROC AUC (multilabel, over every label, a label whose
test gold lacks a class counting 0 as in spaCy). It is a floor for what the data allows, not a rival
model: a fine-tuned transformer should beat it.

    python3 bench/bow-logreg-reference.py out/bench-data/debian-debtags
"""
import json, math, random, re, sys

def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]

def features(text):
    words = re.findall(r"\w+", text.lower())
    grams = set(words) | {a + " " + b for a, b in zip(words, words[1:])}
    norm = 1.0 / math.sqrt(len(grams)) if grams else 0.0
    return {g: norm for g in grams}

def auc(scores, gold):
    pairs = sorted(zip(scores, gold))
    pos = sum(gold); neg = len(gold) - pos
    if pos == 0 or neg == 0:
        return 0.0
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        mean_rank = (i + j + 1) / 2.0
        rank_sum += mean_rank * sum(g for _, g in pairs[i:j])
        i = j
    return (rank_sum - pos * (pos + 1) / 2.0) / (pos * neg)

def main(folder, epochs=30, rate=1.0, l2=1e-5, seed=1):
    train, test = read(folder + "/train.jsonl"), read(folder + "/test.jsonl")
    labels = list(train[0]["cats"].keys())
    exclusive = all(sum(1 for v in r["cats"].values() if v == 1) == 1 for r in train)
    xs = [features(r["text"]) for r in train]
    ys = [[r["cats"][l] for l in labels] for r in train]
    w = [dict() for _ in labels]; b = [0.0] * len(labels)
    rng = random.Random(seed); order = list(range(len(xs)))
    def logits(x):
        return [b[k] + sum(w[k].get(g, 0.0) * v for g, v in x.items()) for k in range(len(labels))]
    def probs(x):
        z = logits(x)
        if exclusive:
            m = max(z); e = [math.exp(v - m) for v in z]; s = sum(e)
            return [v / s for v in e]
        return [1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, v)))) for v in z]
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            p = probs(xs[i])
            for k in range(len(labels)):
                g = p[k] - ys[i][k]
                b[k] -= rate * g
                wk = w[k]
                for f, v in xs[i].items():
                    wk[f] = wk.get(f, 0.0) * (1 - rate * l2) - rate * g * v
    predicted = [probs(features(r["text"])) for r in test]
    gold = [[r["cats"][l] for l in labels] for r in test]
    if exclusive:
        top = [max(range(len(labels)), key=p.__getitem__) for p in predicted]
        truth = [g.index(1.0) for g in gold]
        accuracy = sum(t == p for t, p in zip(truth, top)) / len(test)
        fs = []
        for k in range(len(labels)):
            tp = sum(1 for t, p in zip(truth, top) if t == k and p == k)
            fp = sum(1 for t, p in zip(truth, top) if t != k and p == k)
            fn = sum(1 for t, p in zip(truth, top) if t == k and p != k)
            fs.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
        print(f"{folder}: exclusive, {len(labels)} labels, accuracy {accuracy:.3f}, macro F {sum(fs) / len(fs):.3f}")
    else:
        aucs = [auc([p[k] for p in predicted], [g[k] for g in gold]) for k in range(len(labels))]
        print(f"{folder}: multilabel, {len(labels)} labels, macro AUC {sum(aucs) / len(aucs):.3f}")

if __name__ == "__main__":
    main(sys.argv[1])
