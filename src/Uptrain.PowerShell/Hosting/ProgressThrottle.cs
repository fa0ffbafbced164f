namespace Uptrain.Hosting;

/// <summary>
/// Lets progress through a few times a second: what <see cref="BackgroundWork"/> and the cmdlets that show
/// progress themselves use, so that every activity updates at one rate. Pipeline thread only.
/// </summary>
internal sealed class ProgressThrottle
{
    /// <summary>Progress faster than this is noise for a console and slows remote hosts.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private DateTime _last = DateTime.MinValue;

    /// <summary>Whether an update may be shown now (the first always may); when it may, the interval starts again.</summary>
    public bool IsDue()
    {
        var now = DateTime.UtcNow;
        if (now - _last < Interval)
        {
            return false;
        }
        _last = now;
        return true;
    }
}
