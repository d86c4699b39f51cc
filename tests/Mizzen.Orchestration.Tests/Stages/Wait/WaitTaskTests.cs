using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.Wait;
using Mizzen.Testing;
using static Mizzen.Orchestration.Tests.Stages.StageTestKit;

namespace Mizzen.Orchestration.Tests.Stages.Wait;

public sealed class WaitTaskTests
{
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private readonly WaitTask task = new();

    [Fact]
    public async Task A_wait_that_has_not_elapsed_keeps_running_and_sleeps_for_the_remaining_time()
    {
        var stage = Stage("wait", """{"waitTime": 30}""", startTime: clock.Ms());
        clock.Advance(TimeSpan.FromSeconds(10));

        var result = await task.ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Running);
        result.BackoffOverride.ShouldBe(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_wait_succeeds_exactly_when_start_plus_wait_time_is_reached()
    {
        var stage = Stage("wait", """{"waitTime": 30}""", startTime: clock.Ms());
        clock.Advance(TimeSpan.FromSeconds(30));

        (await task.ExecuteAsync(For(stage, clock), CancellationToken.None)).Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task A_long_wait_sleeps_at_most_the_backoff_cap()
    {
        var stage = Stage("wait", """{"waitTime": 86400}""", startTime: clock.Ms());

        var result = await task.ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.BackoffOverride.ShouldBe(WaitTask.MaxBackoff);
    }

    [Fact]
    public async Task Skip_remaining_wait_finishes_the_wait_now()
    {
        var stage = Stage("wait", """{"waitTime": 3600, "skipRemainingWait": true}""", startTime: clock.Ms());

        (await task.ExecuteAsync(For(stage, clock), CancellationToken.None)).Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task A_wait_time_given_as_a_numeric_string_from_an_expression_is_honoured()
    {
        var stage = Stage("wait", """{"waitTime": "5"}""", startTime: clock.Ms());
        clock.Advance(TimeSpan.FromSeconds(4));

        var result = await task.ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Running);
        result.BackoffOverride.ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_wait_time_that_is_not_a_number_fails_with_a_message_naming_it()
    {
        var stage = Stage("wait", """{"waitTime": "${parameters.delay}"}""", startTime: clock.Ms());

        var result = await task.ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        ErrorOf(result)!.ShouldContain("${parameters.delay}");
    }
}
