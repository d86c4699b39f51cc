namespace Mizzen.Canary.Runs;

/// <summary>
/// One judgment of a run. A real-time interval may run once <see cref="NotBefore"/> has passed (its window has
/// ended); a retrospective one can run at once (<see cref="NotBefore"/> is null).
/// </summary>
public sealed record CanaryInterval(
    int Number,
    DateTimeOffset ControlStart,
    DateTimeOffset ControlEnd,
    DateTimeOffset ExperimentStart,
    DateTimeOffset ExperimentEnd,
    DateTimeOffset? NotBefore);

/// <summary>The planned intervals of a run, after an optional warm-up.</summary>
public sealed record CanaryIntervalPlan(DateTimeOffset Start, TimeSpan Lifetime, TimeSpan Interval, TimeSpan Warmup, bool IsRetrospective, IReadOnlyList<CanaryInterval> Intervals);
