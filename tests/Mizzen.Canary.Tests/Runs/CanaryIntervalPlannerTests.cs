using Mizzen.Canary.Runs;

namespace Mizzen.Canary.Tests.Runs;

/// <summary>Orca's <c>RunCanaryIntervalsStageTest</c> vectors; windows in minutes from now.</summary>
public sealed class CanaryIntervalPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static string Windows(CanaryIntervalPlan plan)
        => string.Join(" ", plan.Intervals.Select(i => $"[{(i.ControlStart - Now).TotalMinutes},{(i.ControlEnd - Now).TotalMinutes}]"));

    [Theory]
    [InlineData(0, null, 0, "[0,240]")]
    [InlineData(0, 0, 0, "[0,240]")]
    [InlineData(15, null, 0, "[0,240]")]
    [InlineData(0, 300, 0, "[0,240]")]
    [InlineData(0, 60, 0, "[0,60] [0,120] [0,180] [0,240]")]
    [InlineData(15, 60, 0, "[0,60] [0,120] [0,180] [0,240]")]
    [InlineData(0, null, 120, "[120,240]")]
    [InlineData(15, 0, 60, "[180,240]")]
    [InlineData(15, 60, 60, "[0,60] [60,120] [120,180] [180,240]")]
    public void Retrospective_windows_match_orca(int warmup, int? interval, int lookback, string expected)
    {
        var plan = CanaryIntervalPlanner.Plan(new CanaryRunSettings { StartTime = Now, EndTime = Now.AddMinutes(240), BeginCanaryAnalysisAfterMins = warmup, CanaryAnalysisIntervalMins = interval, LookbackMins = lookback }, Now);

        Windows(plan).ShouldBe(expected);
        plan.Intervals.ShouldAllBe(i => i.NotBefore == null);
    }

    [Theory]
    [InlineData(0, null, 0, "[0,2880]")]
    [InlineData(0, 480, 0, "[0,480] [0,960] [0,1440] [0,1920] [0,2400] [0,2880]")]
    [InlineData(45, 480, 0, "[45,525] [45,1005] [45,1485] [45,1965] [45,2445] [45,2925]")]
    [InlineData(0, null, 60, "[2820,2880]")]
    [InlineData(0, 480, 60, "[420,480] [900,960] [1380,1440] [1860,1920] [2340,2400] [2820,2880]")]
    [InlineData(45, 480, 60, "[465,525] [945,1005] [1425,1485] [1905,1965] [2385,2445] [2865,2925]")]
    public void Real_time_windows_match_orca_and_wait_for_each_window_to_end(int warmup, int? interval, int lookback, string expected)
    {
        var plan = CanaryIntervalPlanner.Plan(new CanaryRunSettings { LifetimeDuration = TimeSpan.FromHours(48), BeginCanaryAnalysisAfterMins = warmup, CanaryAnalysisIntervalMins = interval, LookbackMins = lookback }, Now);

        Windows(plan).ShouldBe(expected);
        plan.Intervals.ShouldAllBe(i => i.NotBefore == i.ExperimentEnd);
    }

    [Fact]
    public void The_baseline_offset_moves_only_the_control_window_into_the_past()
    {
        var plan = CanaryIntervalPlanner.Plan(new CanaryRunSettings { LifetimeDuration = TimeSpan.FromHours(1), BaselineAnalysisOffsetInMins = 30 }, Now);

        var interval = plan.Intervals.ShouldHaveSingleItem();
        interval.ControlStart.ShouldBe(Now.AddMinutes(-30));
        interval.ExperimentStart.ShouldBe(Now);
    }

    [Fact]
    public void A_run_without_end_time_or_lifetime_is_rejected_with_orcas_message()
        => Should.Throw<CanaryConfigException>(() => CanaryIntervalPlanner.Plan(new CanaryRunSettings(), Now)).Message.ShouldContain("either endTime or lifetimeDuration");
}
