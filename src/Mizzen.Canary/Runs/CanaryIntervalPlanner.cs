namespace Mizzen.Canary.Runs;

/// <summary>
/// Plans a run's intervals exactly as Orca's <c>RunCanaryIntervalsStage</c> (and Kayenta's standalone canary) do.
/// Pure: the same settings and <c>now</c> always give the same plan.
/// </summary>
public static class CanaryIntervalPlanner
{
    public static CanaryIntervalPlan Plan(CanaryRunSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var start = settings.StartTime ?? now;
        TimeSpan lifetime;
        if (settings.EndTime is { } end)
        {
            lifetime = TimeSpan.FromMinutes(Math.Floor((end - start).TotalMinutes));
        }
        else
        {
            lifetime = settings.LifetimeDuration
                ?? throw Invalid("lifetimeDuration", "a canary run must include either endTime or lifetimeDuration");
        }

        if (lifetime <= TimeSpan.Zero)
        {
            throw Invalid(settings.EndTime is null ? "lifetimeDuration" : "endTime", $"the canary lifetime must be at least one minute (got {lifetime})");
        }

        var interval = settings.CanaryAnalysisIntervalMins is { } minutes and > 0 ? TimeSpan.FromMinutes(minutes) : lifetime;
        if (interval > lifetime)
        {
            interval = lifetime;
        }

        var warmup = TimeSpan.FromMinutes(Math.Max(0, settings.BeginCanaryAnalysisAfterMins));
        var lookback = TimeSpan.FromMinutes(Math.Max(0, settings.LookbackMins));
        var baselineOffset = TimeSpan.FromMinutes(settings.BaselineAnalysisOffsetInMins);
        var realTime = !settings.IsRetrospective;
        var origin = start + (realTime ? warmup : TimeSpan.Zero);
        var count = (int)Math.Floor(lifetime.TotalMinutes / interval.TotalMinutes);

        var intervals = new List<CanaryInterval>(count);
        for (var i = 1; i <= count; i++)
        {
            var windowEnd = origin + (interval * i);
            var windowStart = lookback > TimeSpan.Zero ? windowEnd - lookback : origin;
            intervals.Add(new CanaryInterval(i, windowStart - baselineOffset, windowEnd - baselineOffset, windowStart, windowEnd, realTime ? windowEnd : null));
        }

        return new CanaryIntervalPlan(start, lifetime, interval, warmup, settings.IsRetrospective, intervals);
    }

    private static CanaryConfigException Invalid(string path, string message)
        => new(message, [new Configs.CanaryConfigIssue(Configs.CanaryConfigIssueSeverity.Error, path, message)]);
}
