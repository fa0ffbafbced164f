namespace Uptrain.Models;

/// <summary>
/// The <see cref="IScorerKind"/> of every <see cref="ModelKind"/>, found once in the engine assembly (the way ML.NET's
/// component catalog finds its trainers): adding a model kind is adding a class, not a branch in the scorer.
/// </summary>
internal static class ScorerKinds
{
    private static readonly Lazy<IReadOnlyDictionary<ModelKind, IScorerKind>> Kinds = new(Discover);

    /// <summary>Every kind found, by <see cref="IScorerKind.Kind"/>.</summary>
    public static IReadOnlyDictionary<ModelKind, IScorerKind> All => Kinds.Value;

    /// <summary>The scorer kind of <paramref name="kind"/>.</summary>
    /// <exception cref="InvalidOperationException">No class in the engine opens that kind (a build error, not a user's).</exception>
    public static IScorerKind Of(ModelKind kind) =>
        All.TryGetValue(kind, out var found) ? found : throw new InvalidOperationException($"No {nameof(IScorerKind)} opens {kind} models.");

    private static IReadOnlyDictionary<ModelKind, IScorerKind> Discover()
    {
        var kinds = new Dictionary<ModelKind, IScorerKind>();
        foreach (var type in typeof(ScorerKinds).Assembly.GetTypes())
        {
            if (type is { IsClass: true, IsAbstract: false } && typeof(IScorerKind).IsAssignableFrom(type))
            {
                var kind = (IScorerKind)Activator.CreateInstance(type)!;
                if (!kinds.TryAdd(kind.Kind, kind))
                {
                    throw new InvalidOperationException($"Two classes open {kind.Kind} models: {kinds[kind.Kind].GetType()} and {type}.");
                }
            }
        }

        return kinds;
    }
}
