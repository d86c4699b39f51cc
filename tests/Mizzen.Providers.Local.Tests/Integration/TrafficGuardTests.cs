using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Clouds.Guards;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Integration;

/// <summary>The shared traffic guard (Orchestration's <see cref="ClusterTrafficGuard"/>) judging real local server groups through the provider's read side.</summary>
[Collection(ProcessCollection.Name)]
public sealed class TrafficGuardTests(DemoServiceFixture demo)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Disabling_the_last_enabled_server_group_of_a_guarded_cluster_is_refused_with_the_guard_named()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var name = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, account: "prod", stack: "prod"), None);
        await harness.WaitUpAsync("prod", name, 1);
        TrafficGuardRule[] guards = [new("prod", Stack: "prod", Detail: "")];

        var refused = await harness.Guard.CheckAsync(harness.Cloud, guards, new GuardedChange(GuardedChangeKind.Disable, "prod", name), None);

        refused.Allowed.ShouldBeFalse();
        refused.Reason.ShouldBe(
            "This cluster ('demo-prod' in prod) has traffic guards enabled. Disabling demo-prod-v000 would leave the cluster with no instances up.");
        (await harness.Guard.CheckAsync(harness.Cloud, guards, new GuardedChange(GuardedChangeKind.Resize, "prod", name, 0), None)).Allowed.ShouldBeFalse();
        (await harness.Guard.CheckAsync(harness.Cloud, guards, new GuardedChange(GuardedChangeKind.Resize, "prod", name, 2), None)).Allowed.ShouldBeTrue();
        (await harness.Guard.CheckAsync(harness.Cloud, [new("staging")], new GuardedChange(GuardedChangeKind.Destroy, "prod", name), None)).Allowed.ShouldBeTrue();
        (await harness.Guard.CheckAsync(harness.Cloud, [new("prod", Location: "elsewhere")], new GuardedChange(GuardedChangeKind.Destroy, "prod", name), None))
            .Allowed.ShouldBeTrue(); // a local server group's location is its account
    }

    [Fact]
    public async Task Disabling_an_old_server_group_is_allowed_while_a_newer_one_is_up()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var old = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, account: "prod", stack: "prod"), None);
        var current = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, account: "prod", stack: "prod"), None);
        await Task.WhenAll(harness.WaitUpAsync("prod", old, 1), harness.WaitUpAsync("prod", current, 1));

        (await harness.Guard.CheckAsync(harness.Cloud, [new("*")], new GuardedChange(GuardedChangeKind.Disable, "prod", old), None)).Allowed.ShouldBeTrue();
        (await harness.Guard.CheckAsync(harness.Cloud, [new("*", Location: "prod")], new GuardedChange(GuardedChangeKind.Disable, "prod", current), None)).Allowed.ShouldBeTrue();
    }
}
