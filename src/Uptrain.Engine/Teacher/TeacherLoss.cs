using static TorchSharp.torch;

namespace Uptrain.Teacher;

/// <summary>
/// The teacher's training losses. Exclusive labels: softmax cross-entropy against one class per
/// example. Multilabel: sigmoid binary cross-entropy in which labels unknown for an example are
/// masked out. A Prodigy binary annotation says something about one label only; the others are
/// unknown, not negative, and must not pull their logits down.
/// </summary>
public static class TeacherLoss
{
    /// <summary>Mean softmax cross-entropy of logits [B, labels] against class indices [B] (int64).</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        return nn.functional.cross_entropy(logits, targets);
    }

    /// <summary>
    /// Sigmoid binary cross-entropy of logits [B, labels] against targets [B, labels] (1 or 0),
    /// averaged over the entries whose <paramref name="known"/> is 1. Unknown entries add nothing to
    /// the loss and receive no gradient, whatever their target holds; with nothing known the loss is 0.
    /// </summary>
    public static Tensor MaskedBinaryCrossEntropy(Tensor logits, Tensor targets, Tensor known)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(known);
        using var scope = NewDisposeScope();
        var mask = known.to_type(logits.dtype); // [B, labels]

        // −[y·log σ(x) + (1−y)·log(1−σ(x))] = max(x, 0) − x·y + log(1 + e^−|x|), stable for any x.
        var perEntry = logits.clamp_min(0) - (logits * targets.to_type(logits.dtype)) + logits.abs().neg().exp().log1p(); // [B, labels]
        var loss = (perEntry * mask).sum() / mask.sum().clamp_min(1);
        return loss.MoveToOuterDisposeScope();
    }
}
