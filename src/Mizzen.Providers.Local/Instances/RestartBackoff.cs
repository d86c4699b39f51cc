namespace Mizzen.Providers.Local.Instances;

/// <summary>Exponential restart delay after crashes: initial, 2x, 4x ... capped; reset once an instance has stayed Up long enough.</summary>
internal sealed class RestartBackoff(TimeSpan initial, TimeSpan max)
{
    private int consecutiveCrashes;

    public int ConsecutiveCrashes => consecutiveCrashes;

    public TimeSpan NextDelay()
    {
        var factor = Math.Pow(2, Math.Min(consecutiveCrashes, 30));
        consecutiveCrashes++;
        var delay = TimeSpan.FromTicks((long)Math.Min(initial.Ticks * factor, max.Ticks));
        return delay;
    }

    public void Reset() => consecutiveCrashes = 0;
}
