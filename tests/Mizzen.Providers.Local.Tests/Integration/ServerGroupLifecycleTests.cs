using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class ServerGroupLifecycleTests(DemoServiceFixture demo)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Deployed_server_group_becomes_Up_and_each_instance_answers_on_its_own_port()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var name = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, instances: 2, version: "v7"), None);

        name.ShouldBe("demo-web-v000");
        var view = await harness.WaitUpAsync("staging", name, 2);
        view.Instances.Select(i => i.Port).Distinct().Count().ShouldBe(2);
        view.Instances.ShouldAllBe(i => i.Port >= harness.PortBase && i.Port < harness.PortBase + 100 && i.Pid > 0);
        foreach (var instance in view.Instances)
        {
            var (status, version) = await HttpProbe.GetVersionAsync(new Uri($"http://127.0.0.1:{instance.Port}/"));
            status.ShouldBe(200);
            version.ShouldBe("v7");
        }

        var health = await harness.Provider.GetHealthAsync("staging", name, None);
        health.ShouldBe(new ServerGroupHealth(name, 2, 2, 2, true));
    }

    [Fact]
    public async Task Listings_show_clusters_and_server_groups_with_secrets_redacted()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var name = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo) with { Detail = "canary" }, None);
        await harness.WaitUpAsync("staging", name, 1);

        (await harness.Provider.ListApplicationsAsync(None)).ShouldBe(["demo"]);
        var cluster = (await harness.Provider.ListClustersAsync("demo", None)).ShouldHaveSingleItem();
        cluster.Name.ShouldBe("demo-web-canary");
        var group = cluster.ServerGroups.ShouldHaveSingleItem();
        group.Name.ShouldBe("demo-web-canary-v000");
        group.Env["API_TOKEN"].ShouldBe("***");
        group.Env["VERSION"].ShouldBe("v1");
        group.Artifact.Reference.ShouldBe(demo.BundleFolder);
    }

    [Fact]
    public async Task Versions_are_never_reused_in_a_cluster_even_after_destroy()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var first = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, instances: 0), None);
        var second = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, instances: 0), None);
        await harness.Provider.DestroyServerGroupAsync("staging", second, None);
        var third = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, instances: 0), None);

        (first, second, third).ShouldBe(("demo-web-v000", "demo-web-v001", "demo-web-v002"));
        (await harness.Provider.GetServerGroupAsync("staging", second, None)).ShouldBeNull();
    }

    [Fact]
    public async Task Resize_starts_and_stops_instances_to_the_exact_desired_count()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var name = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, instances: 1), None);
        await harness.WaitUpAsync("staging", name, 1);

        await harness.Provider.ResizeServerGroupAsync("staging", name, 3, None);
        await harness.WaitUpAsync("staging", name, 3);
        var before = (await harness.Provider.GetServerGroupAsync("staging", name, None))!;

        await harness.Provider.ResizeServerGroupAsync("staging", name, 1, None);
        var after = await harness.WaitUpAsync("staging", name, 1);
        after.Capacity.Desired.ShouldBe(1);
        foreach (var gone in before.Instances.Where(i => after.Instances.All(a => a.Id != i.Id)))
        {
            await Eventually.Until(() => Task.FromResult(!ProcessExists(gone.Pid!.Value)), TimeSpan.FromSeconds(10), $"pid {gone.Pid} exiting");
        }
    }

    [Fact]
    public async Task Killed_instance_is_reported_Crashed_then_restarted_and_Up_again()
    {
        await using var harness = await ProviderHarness.StartAsync(o => o.RestartBackoffInitial = TimeSpan.FromSeconds(1));
        var name = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo), None);
        var instance = (await harness.WaitUpAsync("staging", name, 1)).Instances[0];

        System.Diagnostics.Process.GetProcessById(instance.Pid!.Value).Kill();

        await Eventually.Until(
            () => harness.Provider.GetInstanceAsync("staging", instance.Id, None), i => i!.State == InstanceState.Crashed, TimeSpan.FromSeconds(10), "the instance reported Crashed");
        (await harness.Provider.GetHealthAsync("staging", name, None)).Up.ShouldBe(0);
        var restarted = await Eventually.Until(
            () => harness.Provider.GetInstanceAsync("staging", instance.Id, None), i => i!.State == InstanceState.Up, TimeSpan.FromSeconds(20), "the instance Up again");
        restarted!.Pid.ShouldNotBe(instance.Pid);
        restarted.Port.ShouldBe(instance.Port);
        restarted.Restarts.ShouldBe(1);
    }

    [Fact]
    public async Task A_process_that_never_gets_healthy_stays_not_Up_and_can_be_destroyed()
    {
        await using var harness = await ProviderHarness.StartAsync();
        // Every GET / answers 500 (FAULT_RATE=1) and is counted on the instance's /metrics, so the test can see each failed health check.
        var request = harness.Demo(demo, instances: 2);
        request = request with
        {
            Env = new Dictionary<string, string>(request.Env) { ["FAULT_RATE"] = "1" },
            HealthCheck = new HealthCheckSpec { Path = "/", IntervalSeconds = 0.2 },
        };
        var name = await harness.Provider.DeployServerGroupAsync(request, None);

        var view = await Eventually.Until(
            () => harness.Provider.GetServerGroupAsync("staging", name, None),
            v => v!.Instances.All(i => i.Pid is not null) && v.Instances.Count == 2,
            TimeSpan.FromSeconds(20),
            "both processes running");
        // Watched through ten failed health checks per instance: never Up, so a deploy stage would time out and destroy it.
        var ports = view!.Instances.Select(i => i.Port).ToList();
        await Eventually.Until(
            async () =>
            {
                var current = await harness.Provider.GetServerGroupAsync("staging", name, None);
                current!.InstanceCounts.Up.ShouldBe(0);
                current.InstanceCounts.Starting.ShouldBe(2);
                (await harness.Provider.GetHealthAsync("staging", name, None)).Up.ShouldBe(0);
                foreach (var port in ports)
                {
                    if (await FailedHealthChecksAsync(port) < 10)
                    {
                        return false;
                    }
                }

                return true;
            },
            TimeSpan.FromSeconds(30),
            "ten failed health checks on each instance");
        view = await harness.Provider.GetServerGroupAsync("staging", name, None);
        view!.InstanceCounts.Up.ShouldBe(0);

        await harness.Provider.DestroyServerGroupAsync("staging", name, None);
        foreach (var instance in view!.Instances)
        {
            await Eventually.Until(() => Task.FromResult(!ProcessExists(instance.Pid!.Value)), TimeSpan.FromSeconds(10), $"pid {instance.Pid} exiting");
        }
    }

    [Fact]
    public async Task Instance_output_is_kept_on_disk_and_readable_by_tail_and_follow()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var request = harness.Demo(demo) with
        {
            Command = "/bin/sh",
            Args = ["-c", "echo started on $PORT as $MIZZEN_INSTANCE_ID; echo oops >&2; exec dotnet demo-service.dll"],
        };
        var name = await harness.Provider.DeployServerGroupAsync(request, None);
        var instance = (await harness.WaitUpAsync("staging", name, 1)).Instances[0];

        var tail = await harness.Provider.TailLogAsync("staging", instance.Id, LogStream.Stdout, 5, None);
        tail.Text.ShouldContain($"started on {instance.Port} as {instance.Id}");
        var stderr = await harness.Provider.ReadLogAsync("staging", instance.Id, LogStream.Stderr, 0, 1000, None);
        stderr.Text.ShouldStartWith("oops\n");
        stderr.NextOffset.ShouldBe(5);
    }

    /// <summary>GET / answers the demo service counted with code 500; 0 while the process is not listening yet.</summary>
    private static async Task<int> FailedHealthChecksAsync(int port)
    {
        try
        {
            var metrics = await HttpProbe.Client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
            var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("demo_requests_total{code=\"500\"", StringComparison.Ordinal));
            return line is null ? 0 : int.Parse(line[(line.LastIndexOf(' ') + 1)..]);
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static bool ProcessExists(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited && File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
