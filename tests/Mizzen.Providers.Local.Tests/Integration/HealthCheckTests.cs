using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class HealthCheckTests(DemoServiceFixture demo)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_tcp_health_check_passes_when_the_port_accepts_and_never_when_nothing_listens()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var tcp = new HealthCheckSpec { Type = HealthCheckType.Tcp, Path = "/no-such-page", IntervalSeconds = 0.2, TimeoutSeconds = 1 };
        var silent = await harness.Provider.DeployServerGroupAsync(
            harness.Demo(demo, stack: "silent") with { Command = "/bin/sh", Args = ["-c", "exec sleep 120"], HealthCheck = tcp }, None);
        await Eventually.Until(
            () => harness.Provider.GetServerGroupAsync("staging", silent, None),
            v => v!.Instances.All(i => i.Pid is not null),
            TimeSpan.FromSeconds(20),
            "the silent process running");

        // An http check of /no-such-page would never pass: Up here means the port was checked, not the path.
        var listening = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo) with { HealthCheck = tcp }, None);
        await harness.WaitUpAsync("staging", listening, 1);

        var view = await harness.Provider.GetServerGroupAsync("staging", silent, None);
        view!.InstanceCounts.Up.ShouldBe(0);
        view.InstanceCounts.Starting.ShouldBe(1);
    }
}
