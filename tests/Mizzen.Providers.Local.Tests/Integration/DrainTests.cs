using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class DrainTests(DemoServiceFixture demo)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Resize_down_under_load_lets_the_slow_requests_in_flight_finish_before_stopping_and_loses_none()
    {
        // A grace period shorter than the requests: an instance stopped with requests in flight would cut them (SIGKILL at the latest).
        await using var harness = await ProviderHarness.StartAsync(o => o.StopGracePeriod = TimeSpan.FromMilliseconds(500));
        var name = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, instances: 3) with { LoadBalancers = ["slow"] }, None);
        var before = await harness.WaitUpAsync("staging", name, 3);
        var lb = (await harness.LoadBalancers.GetLoadBalancerAsync("staging", "slow", None))!;
        await using var load = ContinuousLoad.Start(new Uri(lb.Url, "/?delayMs=1500"), workers: 6);
        await load.AnsweredAsync(6, "the first slow answers");

        var resizeStarted = load.Sent;
        await harness.Provider.ResizeServerGroupAsync("staging", name, 1, None);
        var resizeDone = load.Sent;
        await load.AnsweredAsync(6, "slow answers after the resize");
        await load.StopAsync();

        load.Failures.ShouldBeEmpty();
        var after = await harness.WaitUpAsync("staging", name, 1);
        var removed = before.Instances.Select(i => i.Id).Except(after.Instances.Select(i => i.Id)).ToList();
        removed.Count.ShouldBe(2);
        // Requests to the removed instances were still answered after the resize began: they were in flight and were drained, not cut.
        load.Answers.Where(a => removed.Contains(a.Instance) && a.AnsweredAt > resizeStarted).ShouldNotBeEmpty();
        load.Answers.Where(a => removed.Contains(a.Instance) && a.SentBefore >= resizeDone).ShouldBeEmpty();
    }
}
