using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class RestoreTests(DemoServiceFixture demo)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_restarted_provider_readopts_running_instances_with_the_same_pids_and_keeps_serving()
    {
        var first = await ProviderHarness.StartAsync();
        ProviderHarness? second = null;
        try
        {
            var name = await first.Provider.DeployServerGroupAsync(harnessRequest(first) with { LoadBalancers = ["demo-lb"] }, None);
            var before = await first.WaitUpAsync("staging", name, 2);
            var balancer = (await first.LoadBalancers.GetLoadBalancerAsync("staging", "demo-lb", None))!;

            await first.DetachAsync();
            foreach (var instance in before.Instances)
            {
                (await HttpProbe.GetVersionAsync(new Uri($"http://127.0.0.1:{instance.Port}/"))).Status.ShouldBe(200);
            }

            second = await first.RestartOnSameStateAsync();
            var after = await second.WaitUpAsync("staging", name, 2);
            after.Instances.Select(i => (i.Id, i.Pid, i.Port)).OrderBy(i => i.Id)
                .ShouldBe(before.Instances.Select(i => (i.Id, i.Pid, i.Port)).OrderBy(i => i.Id));
            after.Instances.ShouldAllBe(i => i.Restarts == 0);
            var restoredBalancer = (await second.LoadBalancers.GetLoadBalancerAsync("staging", "demo-lb", None))!;
            restoredBalancer.Port.ShouldBe(balancer.Port);
            (await HttpProbe.GetVersionAsync(restoredBalancer.Url)).ShouldBe((200, "v1"));
        }
        finally
        {
            await (second ?? first).DisposeAsync();
        }
    }

    [Fact]
    public async Task A_restarted_provider_restarts_instances_that_died_while_it_was_down()
    {
        var first = await ProviderHarness.StartAsync();
        ProviderHarness? second = null;
        try
        {
            var name = await first.Provider.DeployServerGroupAsync(harnessRequest(first), None);
            var before = await first.WaitUpAsync("staging", name, 2);
            await first.DetachAsync();
            var victim = before.Instances[0];
            using (var process = System.Diagnostics.Process.GetProcessById(victim.Pid!.Value))
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            second = await first.RestartOnSameStateAsync();
            var after = await second.WaitUpAsync("staging", name, 2);
            after.Instances.Single(i => i.Id == victim.Id).Pid.ShouldNotBe(victim.Pid);
            after.Instances.Single(i => i.Id == before.Instances[1].Id).Pid.ShouldBe(before.Instances[1].Pid);
        }
        finally
        {
            await (second ?? first).DisposeAsync();
        }
    }

    private DeployServerGroupRequest harnessRequest(ProviderHarness harness) => harness.Demo(demo, instances: 2);
}
