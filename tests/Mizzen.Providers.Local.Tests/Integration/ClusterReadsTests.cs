using Mizzen.Orchestration.Clouds;
using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Integration;

/// <summary>
/// The local provider's read side on the cloud seam (<see cref="ICloudProvider.Reads"/>) answers what <see cref="ILocalCloudProvider"/>
/// and <see cref="ILocalLoadBalancers"/> answer, in the provider-neutral shapes the API, CLI and UI read.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ClusterReadsTests(DemoServiceFixture demo)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Server_groups_and_instances_read_through_the_seam_match_the_providers_own_view_with_the_account_as_region()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var old = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, instances: 1, version: "v1") with { LoadBalancers = ["front"] }, None);
        var current = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, instances: 2, version: "v2") with { LoadBalancers = ["front"] }, None);
        await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, account: "prod", stack: "api"), None);
        await Task.WhenAll(harness.WaitUpAsync("staging", old, 1), harness.WaitUpAsync("staging", current, 2), harness.WaitUpAsync("prod", "demo-api-v000", 1));
        await harness.Provider.DisableServerGroupAsync("staging", old, None);

        var read = await harness.Cloud.Reads.ListServerGroupsAsync("demo", None);
        var own = await harness.Provider.ListServerGroupsAsync("demo", None);

        read.Select(g => (g.Summary.Account, g.Summary.Name)).ShouldBe([("prod", "demo-api-v000"), ("staging", current), ("staging", old)]);
        read.ShouldAllBe(g => g.CloudProvider == "local" && g.Region == g.Summary.Account && g.Kind == "serverGroup");
        foreach (var group in read)
        {
            var view = own.Single(v => v.Name == group.Summary.Name && v.Account == group.Summary.Account);
            group.Summary.Enabled.ShouldBe(view.Enabled);
            group.Summary.Instances.Up.ShouldBe(view.InstanceCounts.Up);
            group.Summary.Instances.OutOfService.ShouldBe(view.InstanceCounts.OutOfService);
            group.Summary.Capacity.Desired.ShouldBe(view.Capacity.Desired);
            group.Summary.LoadBalancers.ShouldBe(view.LoadBalancers);
            group.Env["API_TOKEN"].ShouldBe("***");
            group.Instances.Select(i => (i.Id, i.Details["port"], i.Details["pid"], i.Restarts))
                .ShouldBe(view.Instances.Select(i => (i.Id, i.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), i.Pid!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), i.Restarts)));
        }

        read.Single(g => g.Summary.Name == current).Instances.ShouldAllBe(i => i.Health == InstanceHealth.Up && i.State == "Up" && i.Cluster == "demo-web" && i.Region == "staging");
        read.Single(g => g.Summary.Name == old).Instances.ShouldAllBe(i => i.Health == InstanceHealth.OutOfService);
        (await harness.Cloud.Reads.GetServerGroupAsync("staging", current, None))!.Instances.Count.ShouldBe(2);
        (await harness.Cloud.Reads.GetServerGroupAsync("prod", current, None)).ShouldBeNull();
        (await harness.Cloud.Reads.ListApplicationsAsync(None)).ShouldBe(["demo"]);
    }

    [Fact]
    public async Task Load_balancers_read_through_the_seam_carry_the_routers_effective_routing()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var old = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, version: "v1") with { LoadBalancers = ["front"] }, None);
        var current = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, version: "v2") with { LoadBalancers = ["front"] }, None);
        await Task.WhenAll(harness.WaitUpAsync("staging", old, 1), harness.WaitUpAsync("staging", current, 1));
        await harness.Provider.DisableServerGroupAsync("staging", old, None);
        var own = (await harness.LoadBalancers.GetLoadBalancerAsync("staging", "front", None))!;

        var lb = (await harness.Cloud.Reads.ListLoadBalancersAsync("demo", None)).Single();

        (lb.Name, lb.Account, lb.Region, lb.CloudProvider, lb.Port, lb.Url).ShouldBe(("front", "staging", "staging", "local", own.Port, own.Url));
        lb.Targets.Select(t => (t.ServerGroup, t.Weight, t.Percent, t.Routing)).ShouldBe(own.Routing.Select(r => (r.ServerGroup, r.Weight, r.Percent, r.Reason switch
        {
            Api.RouteReason.Routed => "routed",
            Api.RouteReason.Disabled => "disabled",
            _ => r.Reason.ToString(),
        })));
        lb.Targets.Single(t => t.ServerGroup == current).ShouldBe(new LoadBalancerTargetDetails(current, 100, 50, 100, 1, "routed"));
        lb.Targets.Single(t => t.ServerGroup == old).Routing.ShouldBe("disabled");
        lb.ServerGroups.ShouldBe([new LoadBalancerServerGroupDetails(old, true, 0, 1), new LoadBalancerServerGroupDetails(current, false, 1, 1)], ignoreOrder: true);
        (await harness.Cloud.Reads.ListLoadBalancersAsync("other", None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_instance_and_its_logs_read_through_the_seam_are_the_providers_tail_and_follow()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var name = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo), None);
        var view = await harness.WaitUpAsync("staging", name, 1);
        var id = view.Instances[0].Id;

        var instance = (await harness.Cloud.Reads.GetInstanceAsync("staging", id, None))!;
        var tail = await harness.Cloud.Reads.ReadLogAsync("staging", id, new LogRequest(LogStreamKind.Stdout, 5, null, 1024), None);
        var own = await harness.Provider.TailLogAsync("staging", id, LogStream.Stdout, 5, None);
        var next = await harness.Cloud.Reads.ReadLogAsync("staging", id, new LogRequest(LogStreamKind.Stdout, 5, tail.NextOffset, 1024), None);

        (instance.ServerGroup, instance.Cluster, instance.Account, instance.Region, instance.Health, instance.CloudProvider)
            .ShouldBe((name, "demo-web", "staging", "staging", InstanceHealth.Up, "local"));
        instance.Details["pid"].ShouldBe(view.Instances[0].Pid!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        tail.Text.ShouldBe(own.Text);
        tail.NextOffset.ShouldBe(own.NextOffset);
        next.Offset.ShouldBe(tail.NextOffset);
        (await harness.Cloud.Reads.GetInstanceAsync("prod", id, None)).ShouldBeNull();
        await Should.ThrowAsync<Core.Errors.ValidationException>(
            () => harness.Cloud.Reads.ReadLogAsync("staging", id, new LogRequest(LogStreamKind.Stdout, 5, null, 1024) { Container = "sidecar" }, None));
    }
}
