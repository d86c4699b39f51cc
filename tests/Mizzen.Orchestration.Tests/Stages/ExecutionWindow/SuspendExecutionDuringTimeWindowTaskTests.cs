using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ExecutionWindow;
using Mizzen.Orchestration.Tasks;
using Mizzen.Testing;
using static Mizzen.Orchestration.Tests.Stages.StageTestKit;

namespace Mizzen.Orchestration.Tests.Stages.ExecutionWindow;

public sealed class SuspendExecutionDuringTimeWindowTaskTests
{
    private readonly FakeTimeProvider clock = TestTime.Clock();

    private static SuspendExecutionDuringTimeWindowTask Task(string zone = "America/Los_Angeles") =>
        new(Options.Create(new ExecutionWindowOptions { TimeZone = zone }));

    private static async Task<TaskResult> Run(string window, DateTimeOffset now, string zone = "America/Los_Angeles", string extra = "")
    {
        var clock = new FakeTimeProvider(now);
        var stage = Stage("restrictExecutionDuringTimeWindow", $$"""{"restrictedExecutionWindow": {{window}}{{extra}}}""");
        return await Task(zone).ExecuteAsync(For(stage, clock), CancellationToken.None);
    }

    private static DateTimeOffset? Scheduled(TaskResult result) =>
        result.Context?["scheduledTime"].AsLong() is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>Local wall-clock time in <paramref name="zone"/> as an instant.</summary>
    private static DateTimeOffset Local(string zone, int year, int month, int day, int hour, int minute = 0)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, tz.GetUtcOffset(local));
    }

    private const string Business = """{"days": [2, 3, 4, 5, 6], "whitelist": [{"startHour": 9, "startMin": 0, "endHour": 17, "endMin": 0}]}""";

    [Fact]
    public async Task Inside_a_window_the_stage_goes_ahead_now()
    {
        // Wednesday 2026-11-04, 10:30 in Los Angeles.
        (await Run(Business, Local("America/Los_Angeles", 2026, 11, 4, 10, 30))).Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task The_end_minute_of_a_window_is_still_inside_it()
    {
        (await Run(Business, Local("America/Los_Angeles", 2026, 11, 4, 17, 0).AddSeconds(59))).Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task Before_the_window_the_stage_is_scheduled_for_its_start_and_sleeps_at_most_the_cap()
    {
        var result = await Run(Business, Local("America/Los_Angeles", 2026, 11, 4, 6, 0));

        result.Status.ShouldBe(ExecutionStatus.Running);
        Scheduled(result).ShouldBe(Local("America/Los_Angeles", 2026, 11, 4, 9, 0));
        result.BackoffOverride.ShouldBe(SuspendExecutionDuringTimeWindowTask.MaxRecheck);
    }

    [Fact]
    public async Task After_the_last_window_on_a_friday_the_next_allowed_day_is_monday()
    {
        // Friday 2026-11-06 18:00 → Monday 2026-11-09 09:00 (days 2..6 = Monday..Friday).
        var result = await Run(Business, Local("America/Los_Angeles", 2026, 11, 6, 18, 0));

        Scheduled(result).ShouldBe(Local("America/Los_Angeles", 2026, 11, 9, 9, 0));
    }

    [Fact]
    public async Task A_short_wait_sleeps_exactly_until_the_window_opens()
    {
        var result = await Run(Business, Local("America/Los_Angeles", 2026, 11, 4, 8, 50));

        result.BackoffOverride.ShouldBe(TimeSpan.FromMinutes(10));
    }

    [Theory]
    [InlineData(23, 30, true)]
    [InlineData(2, 0, true)]
    [InlineData(6, 0, true)]
    [InlineData(6, 1, false)]
    [InlineData(21, 59, false)]
    public async Task A_window_whose_start_is_after_its_end_wraps_midnight(int hour, int minute, bool inside)
    {
        const string night = """{"whitelist": [{"startHour": 22, "startMin": 0, "endHour": 6, "endMin": 0}]}""";

        var result = await Run(night, Local("America/Los_Angeles", 2026, 11, 4, hour, minute));

        (result.Status == ExecutionStatus.Succeeded).ShouldBe(inside);
        if (!inside)
        {
            Scheduled(result).ShouldBe(Local("America/Los_Angeles", 2026, 11, 4, 22, 0));
        }
    }

    [Fact]
    public async Task Days_without_a_whitelist_allow_the_whole_day()
    {
        const string weekend = """{"days": [1, 7], "whitelist": []}""";

        (await Run(weekend, Local("America/Los_Angeles", 2026, 11, 7, 3, 0))).Status.ShouldBe(ExecutionStatus.Succeeded);
        Scheduled(await Run(weekend, Local("America/Los_Angeles", 2026, 11, 4, 12, 0))).ShouldBe(Local("America/Los_Angeles", 2026, 11, 7, 0, 0));
    }

    [Fact]
    public async Task The_same_instant_is_judged_in_the_configured_time_zone()
    {
        // 2026-11-04 17:30 UTC is 09:30 in Los Angeles (inside) and 18:30 in Berlin (outside).
        var instant = new DateTimeOffset(2026, 11, 4, 17, 30, 0, TimeSpan.Zero);

        (await Run(Business, instant)).Status.ShouldBe(ExecutionStatus.Succeeded);
        var berlin = await Run(Business, instant, "Europe/Berlin");
        berlin.Status.ShouldBe(ExecutionStatus.Running);
        Scheduled(berlin).ShouldBe(Local("Europe/Berlin", 2026, 11, 5, 9, 0));
    }

    [Fact]
    public async Task A_window_start_skipped_by_the_spring_forward_jump_opens_when_the_clock_resumes()
    {
        // 2026-03-08: Los Angeles clocks jump from 02:00 PST to 03:00 PDT; 02:30 does not exist that night.
        const string window = """{"whitelist": [{"startHour": 2, "startMin": 30, "endHour": 4, "endMin": 0}]}""";

        var result = await Run(window, new DateTimeOffset(2026, 3, 8, 9, 0, 0, TimeSpan.Zero)); // 01:00 PST

        Scheduled(result).ShouldBe(new DateTimeOffset(2026, 3, 8, 10, 0, 0, TimeSpan.Zero)); // 03:00 PDT
    }

    [Fact]
    public async Task Windows_after_a_dst_change_use_the_new_offset()
    {
        // Saturday 2026-03-07 20:00 PST; the next 09:00 is Sunday after the jump, i.e. 16:00 UTC (PDT), not 17:00.
        var result = await Run("""{"whitelist": [{"startHour": 9, "startMin": 0, "endHour": 10, "endMin": 0}]}""",
            new DateTimeOffset(2026, 3, 8, 4, 0, 0, TimeSpan.Zero));

        Scheduled(result).ShouldBe(new DateTimeOffset(2026, 3, 8, 16, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Skip_remaining_wait_lets_the_stage_go_now()
    {
        var result = await Run(Business, Local("America/Los_Angeles", 2026, 11, 7, 3, 0), extra: """, "skipRemainingWait": true""");

        result.Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task A_window_with_neither_days_nor_hours_cannot_be_computed()
    {
        var result = await Run("""{"days": [], "whitelist": []}""", clock.GetUtcNow());

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        ErrorOf(result)!.ShouldStartWith("Exception occurred while calculating time window: ");
        result.Context!["failureReason"].AsString()!.ShouldStartWith("Exception occurred while calculating time window: ");
    }

    [Fact]
    public async Task An_unknown_time_zone_is_terminal_and_says_which_setting_to_fix()
    {
        var result = await Run(Business, clock.GetUtcNow(), "Mars/Olympus_Mons");

        ErrorOf(result)!.ShouldContain("unknown time zone 'Mars/Olympus_Mons' (ExecutionWindowOptions.TimeZone)");
    }
}
