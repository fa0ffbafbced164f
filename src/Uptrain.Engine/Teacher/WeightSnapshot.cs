using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Uptrain.Teacher;

/// <summary>The best weights so far, as CPU copies of the trainable parameters (frozen ones never change).</summary>
internal sealed class WeightSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> _weights = new(StringComparer.Ordinal);

    public void Take(IReadOnlyList<(string Name, Parameter Parameter)> trainable)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in trainable)
        {
            using var scope = NewDisposeScope();
            var copy = parameter.detach().cpu().clone().DetachFromDisposeScope();
            if (_weights.Remove(name, out var old))
            {
                old.Dispose();
            }

            _weights[name] = copy;
        }
    }

    public void Restore(BertClassifier model)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (_weights.TryGetValue(name, out var saved))
            {
                parameter.copy_(saved);
            }
        }
    }

    public void Dispose()
    {
        foreach (var tensor in _weights.Values)
        {
            tensor.Dispose();
        }

        _weights.Clear();
    }
}
