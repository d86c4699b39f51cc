namespace Mizzen.Canary.Runs;

/// <summary>
/// The timing of a canary run, as the <c>kayentaCanary</c> stage's context gives it. Retrospective when
/// <see cref="EndTime"/> is set (analyse a past window), real-time otherwise (analyse as time passes, for
/// <see cref="LifetimeDuration"/>).
/// </summary>
public sealed record CanaryRunSettings
{
    /// <summary><c>scopes[0].startTimeIso</c>; "now" when absent.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary><c>scopes[0].endTimeIso</c>; makes the run retrospective.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary><c>lifetimeDuration</c> (or the deprecated <c>lifetimeHours</c>); required for a real-time run.</summary>
    public TimeSpan? LifetimeDuration { get; init; }

    /// <summary><c>beginCanaryAnalysisAfterMins</c>: warm-up before the first interval.</summary>
    public int BeginCanaryAnalysisAfterMins { get; init; }

    /// <summary><c>canaryAnalysisIntervalMins</c>; null or 0 means one interval over the whole lifetime.</summary>
    public int? CanaryAnalysisIntervalMins { get; init; }

    /// <summary><c>lookbackMins</c>; 0 gives growing windows from the start, otherwise sliding windows of this length.</summary>
    public int LookbackMins { get; init; }

    /// <summary><c>baselineAnalysisOffsetInMins</c>: the control window is shifted this far into the past.</summary>
    public int BaselineAnalysisOffsetInMins { get; init; }

    /// <summary>The metric step in seconds (<c>scopes[].step</c>, default 60).</summary>
    public int StepSeconds { get; init; } = 60;

    public bool IsRetrospective => EndTime is not null;
}
