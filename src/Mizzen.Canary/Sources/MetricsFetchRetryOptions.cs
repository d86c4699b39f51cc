namespace Mizzen.Canary.Sources;

/// <summary>
/// Retries of metric-store calls (Kayenta's <c>kayenta.metrics.retry</c>): on 408, 429, any 5xx and network errors,
/// waiting <see cref="BaseDelay"/> × <see cref="Multiplier"/>^(n−1) before retry n. Other 4xx fail at once.
/// </summary>
public sealed class MetricsFetchRetryOptions
{
    /// <summary>Total attempts including the first; default 10 (Kayenta's).</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Wait before the first retry; default 1 s (Kayenta's <c>backoffPeriodMultiplierMs</c>).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Growth of the wait per retry; default 2.</summary>
    public double Multiplier { get; set; } = 2.0;

    /// <summary>Upper limit of one wait; default 2 minutes.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan DelayBeforeRetry(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var ticks = BaseDelay.Ticks * Math.Pow(Multiplier, retry - 1);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public void Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "at least one attempt is needed");
        }

        if (BaseDelay < TimeSpan.Zero || Multiplier < 1 || MaxDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BaseDelay), "delays must not be negative and the multiplier must be at least 1");
        }
    }
}
