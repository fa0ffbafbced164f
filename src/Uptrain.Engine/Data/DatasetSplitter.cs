using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Uptrain.Diagnostics;
using Uptrain.IO;

namespace Uptrain.Data;

/// <summary>
/// Splits examples into train and eval sets, deterministically: the same examples and seed give the
/// same split in any input order, on any machine and .NET version.
/// </summary>
/// <remarks>
/// Each example is ranked by a seeded 64-bit FNV-1a hash of its key (<see cref="TextcatExample.InputHash"/>
/// when present, else its text) with a final avalanche mix; ties are broken by text (ordinal). The
/// lowest-ranked <c>round(n × evalFraction)</c> examples (midpoint away from zero) go to eval. Splitting
/// needs the whole set, so callers must buffer their input.
/// </remarks>
public static class DatasetSplitter
{
    /// <summary>The <see cref="TextcatExample.Split"/> value of training examples.</summary>
    public const string Train = "train";

    /// <summary>The <see cref="TextcatExample.Split"/> value of evaluation examples.</summary>
    public const string Eval = "eval";


    /// <summary>Sets <see cref="TextcatExample.Split"/> on every example and returns them, in input order.</summary>
    /// <param name="examples">The examples; they are changed in place.</param>
    /// <param name="evalFraction">The share that goes to eval, greater than 0 and less than 1.</param>
    /// <param name="seed">Picks one of many equally good splits; the same seed gives the same split.</param>
    /// <param name="stratify">
    /// True to keep the proportion of each label combination (the sorted positive labels) equal in train
    /// and eval: eval places are given to the combinations by largest remainder so that their total is
    /// still <c>round(n × evalFraction)</c>, and each combination sends its lowest-ranked examples.
    /// </param>
    /// <exception cref="UptrainException"><c>InvalidEvalFraction</c> (InvalidArgument) for a fraction outside (0, 1).</exception>
    public static IReadOnlyList<TextcatExample> Split(IReadOnlyList<TextcatExample> examples, double evalFraction, int seed, bool stratify)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (double.IsNaN(evalFraction) || evalFraction <= 0 || evalFraction >= 1)
        {
            throw new UptrainException(
                "InvalidEvalFraction",
                ErrorKind.InvalidArgument,
                DataFiles.Format(Messages.InvalidEvalFraction, evalFraction.ToString(CultureInfo.CurrentCulture)),
                evalFraction);
        }
        var n = examples.Count;
        var evalCount = (int)Math.Round(n * evalFraction, MidpointRounding.AwayFromZero);
        var ranked = examples
            .Select(example => new Ranked(example ?? throw new ArgumentException("An example is null.", nameof(examples)), Rank(example, seed)))
            .ToList();
        foreach (var item in ranked)
        {
            item.Example.Split = Train;
        }

        if (!stratify)
        {
            ranked.Sort(Ranked.Compare);
            foreach (var item in ranked.Take(evalCount))
            {
                item.Example.Split = Eval;
            }
            return examples;
        }

        var groups = ranked
            .GroupBy(item => item.Group, StringComparer.Ordinal)
            .Select(group => group.ToList())
            .OrderBy(group => group[0].Group, StringComparer.Ordinal)
            .ToList();
        foreach (var (group, quota) in groups.Zip(Allocate(groups.Select(g => g.Count).ToList(), n, evalCount)))
        {
            group.Sort(Ranked.Compare);
            foreach (var item in group.Take(quota))
            {
                item.Example.Split = Eval;
            }
        }
        return examples;
    }

    /// <summary>
    /// Largest-remainder allocation of <paramref name="total"/> places among groups in proportion to their
    /// sizes (of <paramref name="n"/> in all). Ties in the remainder go to the larger, then the earlier group.
    /// </summary>
    internal static int[] Allocate(IReadOnlyList<int> sizes, int n, int total)
    {
        var quotas = new int[sizes.Count];
        if (n == 0)
        {
            return quotas;
        }
        var remainders = new long[sizes.Count];
        var given = 0;
        for (var i = 0; i < sizes.Count; i++)
        {
            var exact = (long)sizes[i] * total; // quota = exact / n, computed in integers
            quotas[i] = (int)(exact / n);
            remainders[i] = exact % n;
            given += quotas[i];
        }
        var order = Enumerable.Range(0, sizes.Count)
            .OrderByDescending(i => remainders[i])
            .ThenByDescending(i => sizes[i])
            .ThenBy(i => i);
        foreach (var i in order.Take(total - given))
        {
            quotas[i]++;
        }
        return quotas;
    }

    /// <summary>The seeded rank of one example: FNV-1a over the seed and the example's key, then mixed.</summary>
    internal static ulong Rank(TextcatExample example, int seed)
    {
        Span<byte> prefix = stackalloc byte[5 + sizeof(long)];
        BinaryPrimitives.WriteInt32LittleEndian(prefix, seed);
        ulong hash;
        if (example.InputHash is { } inputHash)
        {
            prefix[4] = 1; // key kind: Prodigy input hash
            BinaryPrimitives.WriteInt64LittleEndian(prefix[5..], inputHash);
            hash = Fnv1a.Of(prefix);
        }
        else
        {
            prefix[4] = 0; // key kind: text
            hash = Fnv1a.Add(Fnv1a.Of(prefix[..5]), Encoding.UTF8.GetBytes(example.Text));
        }
        return Mix(hash);
    }

    /// <summary>MurmurHash3's 64-bit finaliser, so that nearby seeds give unrelated orders.</summary>
    private static ulong Mix(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }

    private sealed class Ranked(TextcatExample example, ulong rank)
    {
        public TextcatExample Example { get; } = example;

        public ulong Rank { get; } = rank;

        /// <summary>The label combination: sorted positive labels.</summary>
        public string Group { get; } = string.Join('\u001f', example.PositiveLabels.Order(StringComparer.Ordinal));

        /// <summary>Rank, then text, then input hash, then labels: a total order that ignores input order.</summary>
        public static int Compare(Ranked? x, Ranked? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }
            if (x is null || y is null)
            {
                return x is null ? -1 : 1;
            }
            var result = x.Rank.CompareTo(y.Rank);
            if (result == 0)
            {
                result = string.CompareOrdinal(x.Example.Text, y.Example.Text);
            }
            if (result == 0)
            {
                result = Nullable.Compare(x.Example.InputHash, y.Example.InputHash);
            }
            return result != 0 ? result : string.CompareOrdinal(x.Group, y.Group);
        }
    }
}
