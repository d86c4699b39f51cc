using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.Health;
using Mizzen.Providers.Local.Instances;

namespace Mizzen.Providers.Local.Tests.Unit;

public sealed class HealthAndBackoffTests
{
    [Fact]
    public void An_instance_is_Up_after_the_healthy_threshold_and_Down_after_the_unhealthy_threshold()
    {
        var tracker = new HealthTracker(healthyThreshold: 2, unhealthyThreshold: 3);

        tracker.Record(false).ShouldBe(InstanceState.Starting);
        tracker.Record(true).ShouldBe(InstanceState.Starting);
        tracker.Record(true).ShouldBe(InstanceState.Up);
        tracker.Record(false).ShouldBe(InstanceState.Up);
        tracker.Record(false).ShouldBe(InstanceState.Up);
        tracker.Record(false).ShouldBe(InstanceState.Down);
        tracker.Record(true).ShouldBe(InstanceState.Down);
        tracker.Record(true).ShouldBe(InstanceState.Up);
    }

    [Fact]
    public void An_instance_that_never_passes_stays_Starting()
    {
        var tracker = new HealthTracker(1, 1);
        for (var i = 0; i < 100; i++)
        {
            tracker.Record(false);
        }

        tracker.State.ShouldBe(InstanceState.Starting);
    }

    [Fact]
    public void Restart_delays_double_up_to_the_cap_and_start_over_after_a_reset()
    {
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

        Enumerable.Range(0, 6).Select(_ => backoff.NextDelay().TotalSeconds).ShouldBe([1, 2, 4, 8, 10, 10]);
        backoff.Reset();
        backoff.NextDelay().ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Restart_delay_waits_on_the_injected_clock()
    {
        var clock = Mizzen.Testing.TestTime.Clock();
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(4), TimeSpan.FromMinutes(1));
        var waiting = Task.Delay(backoff.NextDelay(), clock, CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(3));
        waiting.IsCompleted.ShouldBeFalse();
        clock.Advance(TimeSpan.FromSeconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
