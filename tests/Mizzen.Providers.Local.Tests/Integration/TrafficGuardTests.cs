using Mizzen.Providers.Local.Guards;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Integration;

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

        var error = await Should.ThrowAsync<TrafficGuardException>(
            () => harness.Guard.EnsureAllowedAsync("demo", guards, GuardedOperation.Disable("prod", name), None));

        error.Message.ShouldBe(
            "This cluster ('demo-prod' in prod) has traffic guards enabled. Disabling demo-prod-v000 would leave the cluster with no instances up.");
        await Should.ThrowAsync<TrafficGuardException>(() => harness.Guard.EnsureAllowedAsync("demo", guards, GuardedOperation.Resize("prod", name, 0), None));
        await harness.Guard.EnsureAllowedAsync("demo", guards, GuardedOperation.Resize("prod", name, 2), None);
        await harness.Guard.EnsureAllowedAsync("demo", [new("staging")], GuardedOperation.Destroy("prod", name), None);
    }

    [Fact]
    public async Task Disabling_an_old_server_group_is_allowed_while_a_newer_one_is_up()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var old = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, account: "prod", stack: "prod"), None);
        var current = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, account: "prod", stack: "prod"), None);
        await Task.WhenAll(harness.WaitUpAsync("prod", old, 1), harness.WaitUpAsync("prod", current, 1));

        await harness.Guard.EnsureAllowedAsync("demo", [new("*")], GuardedOperation.Disable("prod", old), None);
    }
}
