using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Integration;

/// <summary>
/// <see cref="LoadBalancerView.Routing"/> against a real load balancer: the share it reports for each target is the share of
/// requests the proxy actually sends there, whatever the configured weights say.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class EffectiveRoutingTests(DemoServiceFixture demo)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_disabled_server_group_keeps_its_configured_weight_but_gets_no_share_and_no_request()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var (blue, green) = await TwoGroupsAsync(harness);
        await harness.LoadBalancers.UpsertLoadBalancerAsync(Spec(new(blue, 100), new(green, 100)), None);

        await harness.Provider.DisableServerGroupAsync("staging", blue, None);
        var view = await ViewAsync(harness);

        view.Targets.Select(t => t.Weight).ShouldBe([100, 100]);
        view.Routing.ShouldBe([
            new EffectiveRoute(blue, 100, 0, 0, RouteReason.Disabled),
            new EffectiveRoute(green, 100, 1, 100, RouteReason.Routed),
        ]);
        (await CountVersionsAsync(view, 20)).ShouldBe(new Dictionary<string, int> { ["green"] = 20 });
    }

    [Fact]
    public async Task Enabled_server_groups_share_by_weight_and_a_weight_of_0_drops_out()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var (blue, green) = await TwoGroupsAsync(harness);
        await harness.LoadBalancers.UpsertLoadBalancerAsync(Spec(new(blue, 3), new(green, 1)), None);

        var weighted = await ViewAsync(harness);
        var weightedCounts = await CountVersionsAsync(weighted, 40);
        await harness.LoadBalancers.SetWeightsAsync("staging", "split", [new(blue, 0), new(green, 1)], None);
        var zero = await ViewAsync(harness);
        var zeroCounts = await CountVersionsAsync(zero, 10);

        weighted.Routing.Select(r => (r.Percent, r.Reason)).ShouldBe([(75.0, RouteReason.Routed), (25.0, RouteReason.Routed)]);
        weightedCounts["blue"].ShouldBe(30);
        weightedCounts["green"].ShouldBe(10);
        zero.Routing.Select(r => (r.Percent, r.Reason)).ShouldBe([(0.0, RouteReason.ZeroWeight), (100.0, RouteReason.Routed)]);
        zeroCounts.ShouldBe(new Dictionary<string, int> { ["green"] = 10 });
    }

    [Fact]
    public async Task A_server_group_without_Up_instances_or_one_that_is_gone_gets_no_share()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var (blue, green) = await TwoGroupsAsync(harness);
        await harness.LoadBalancers.UpsertLoadBalancerAsync(Spec(new(blue, 50), new(green, 50), new("demo-web-v099", 50)), None);

        await harness.Provider.ResizeServerGroupAsync("staging", blue, 0, None);
        await harness.WaitUpAsync("staging", blue, 0);
        var view = await ViewAsync(harness);

        view.Routing.Select(r => (r.ServerGroup, r.Percent, r.Reason)).ShouldBe([
            (blue, 0.0, RouteReason.NoUpInstances),
            (green, 100.0, RouteReason.Routed),
            ("demo-web-v099", 0.0, RouteReason.ServerGroupMissing),
        ]);
        (await CountVersionsAsync(view, 10)).ShouldBe(new Dictionary<string, int> { ["green"] = 10 });
    }

    private async Task<(string Blue, string Green)> TwoGroupsAsync(ProviderHarness harness)
    {
        var blue = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, version: "blue"), None);
        var green = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, version: "green"), None);
        await Task.WhenAll(harness.WaitUpAsync("staging", blue, 1), harness.WaitUpAsync("staging", green, 1));
        return (blue, green);
    }

    private static LoadBalancerSpec Spec(params LoadBalancerTarget[] targets) => new() { Name = "split", Account = "staging", Targets = targets };

    private static async Task<LoadBalancerView> ViewAsync(ProviderHarness harness) =>
        (await harness.LoadBalancers.GetLoadBalancerAsync("staging", "split", None))!;

    /// <summary>Sends requests one after another (the weighted picker is deterministic then) and counts the versions that answered.</summary>
    private static async Task<Dictionary<string, int>> CountVersionsAsync(LoadBalancerView view, int requests)
    {
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < requests; i++)
        {
            var (status, version) = await HttpProbe.GetVersionAsync(view.Url);
            status.ShouldBe(200);
            counts[version] = counts.GetValueOrDefault(version) + 1;
        }

        return counts;
    }
}
