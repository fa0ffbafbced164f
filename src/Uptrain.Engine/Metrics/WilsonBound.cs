namespace Uptrain.Metrics;

/// <summary>
/// The Wilson score interval's lower end for a share of successes: how low the true share may be, at a given
/// confidence, when <c>successes</c> of <c>trials</c> were seen. Unlike the plain share it stays cautious on few
/// trials (19 of 20 gives about 0.80, 190 of 200 about 0.92, both 0.95 as a share).
/// </summary>
public static class WilsonBound
{
    /// <summary>
    /// The standard normal quantile of a one-sided 95% bound (Φ⁻¹(0.95) = 1.64485...); Find-UptrainThreshold
    /// reports its precisions with it.
    /// </summary>
    public const double OneSided95 = 1.6448536269514722;

    /// <summary>
    /// The lower bound of the share <paramref name="successes"/>/<paramref name="trials"/> with normal quantile
    /// <paramref name="z"/>; NaN when there are no trials.
    /// </summary>
    public static double Lower(int successes, int trials, double z = OneSided95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (trials == 0)
        {
            return double.NaN;
        }
        double n = trials;
        var p = successes / n;
        var z2 = z * z;
        var centre = p + z2 / (2 * n);
        var spread = z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return Math.Max(0.0, (centre - spread) / (1 + z2 / n));
    }
}
