using System.Diagnostics;
using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class LoadBalancerTests(DemoServiceFixture demo)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Weights_80_10_10_split_1000_requests_as_counted_by_the_proxy()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var prod = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, instances: 2, version: "prod"), None);
        var baseline = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, stack: "baseline", version: "baseline"), None);
        var canary = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, stack: "canary", version: "canary"), None);
        await Task.WhenAll(harness.WaitUpAsync("staging", prod, 2), harness.WaitUpAsync("staging", baseline, 1), harness.WaitUpAsync("staging", canary, 1));
        var lb = await harness.LoadBalancers.UpsertLoadBalancerAsync(
            new LoadBalancerSpec { Name = "demo", Account = "staging", Targets = [new(prod, 80), new(baseline, 10), new(canary, 10)] }, None);

        var answered = new Dictionary<string, int>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
        {
            var (status, version) = await HttpProbe.GetVersionAsync(lb.Url);
            status.ShouldBe(200);
            lock (answered)
            {
                answered[version] = answered.GetValueOrDefault(version) + 1;
            }
        });

        var counted = Prometheus(harness);
        int Requests(string group) => (int)counted[$"mizzen_local_lb_requests_total{{account=\"staging\",server_group=\"{group}\",status_class=\"2xx\"}}"];
        Requests(prod).ShouldBeInRange(780, 820);
        Requests(baseline).ShouldBeInRange(85, 115);
        Requests(canary).ShouldBeInRange(85, 115);
        answered["prod"].ShouldBe(Requests(prod));
        counted[$"mizzen_local_lb_request_duration_seconds_count{{account=\"staging\",server_group=\"{prod}\"}}"].ShouldBe(Requests(prod));
    }

    [Fact]
    public async Task Requests_spread_evenly_over_the_instances_of_a_server_group()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var name = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, instances: 3) with { LoadBalancers = ["spread"] }, None);
        await harness.WaitUpAsync("staging", name, 3);
        var lb = (await harness.LoadBalancers.GetLoadBalancerAsync("staging", "spread", None))!;

        var byInstance = new Dictionary<string, int>();
        for (var i = 0; i < 300; i++)
        {
            using var response = await HttpProbe.Client.GetAsync(lb.Url);
            var body = await response.Content.ReadAsStringAsync();
            var instance = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("instance").GetString()!;
            byInstance[instance] = byInstance.GetValueOrDefault(instance) + 1;
        }

        byInstance.Count.ShouldBe(3);
        byInstance.Values.ShouldAllBe(n => n >= 80 && n <= 120);
    }

    [Fact]
    public async Task Disabling_a_server_group_drains_it_the_slow_request_in_flight_completes_and_new_requests_go_elsewhere()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var old = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, version: "old") with { LoadBalancers = ["drain"] }, None);
        await harness.WaitUpAsync("staging", old, 1);
        var lb = (await harness.LoadBalancers.GetLoadBalancerAsync("staging", "drain", None))!;
        // Long enough to still be in flight after the second deploy is Up, even on a loaded machine (a 1.5 s request was not at load 60).
        var slow = HttpProbe.GetVersionAsync(new Uri(lb.Url, "/?delayMs=5000"));
        var fresh = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, version: "new") with { LoadBalancers = ["drain"], Enabled = true }, None);
        await harness.WaitUpAsync("staging", fresh, 1);
        await Eventually.Until(() => Task.FromResult(Active(harness, old) == 1), TimeSpan.FromSeconds(5), "the slow request in flight");

        await harness.Provider.DisableServerGroupAsync("staging", old, None);

        for (var i = 0; i < 20; i++)
        {
            (await HttpProbe.GetVersionAsync(lb.Url)).ShouldBe((200, "new"));
        }

        (await slow).ShouldBe((200, "old"));
        Active(harness, old).ShouldBe(0);
        (await harness.Provider.GetServerGroupAsync("staging", old, None))!.Instances[0].State.ShouldBe(InstanceState.OutOfService);
    }

    [Fact]
    public async Task Red_black_under_continuous_load_fails_no_request()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var blue = await harness.Provider.DeployServerGroupAsync(harness.Demo(demo, instances: 2, version: "blue") with { LoadBalancers = ["rb"] }, None);
        await harness.WaitUpAsync("staging", blue, 2);
        var lb = (await harness.LoadBalancers.GetLoadBalancerAsync("staging", "rb", None))!;
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var versions = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var (status, version) = await HttpProbe.GetVersionAsync(lb.Url);
                    versions.AddOrUpdate(version, 1, (_, n) => n + 1);
                    if (status != 200)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToList();

        var green = await harness.Provider.DeployServerGroupAsync(
            harness.Demo(demo, instances: 2, version: "green") with { LoadBalancers = ["rb"], Enabled = false }, None);
        await harness.WaitUpAsync("staging", green, 2);
        await harness.Provider.EnableServerGroupAsync("staging", green, None);
        await harness.Provider.DisableServerGroupAsync("staging", blue, None);
        await harness.Provider.DestroyServerGroupAsync("staging", blue, None);
        var afterDestroy = versions.GetValueOrDefault("green");
        await Eventually.Until(() => Task.FromResult(versions.GetValueOrDefault("green") > afterDestroy + 50), TimeSpan.FromSeconds(10), "green serving after blue is gone");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        failures.ShouldBe(0);
        versions["blue"].ShouldBeGreaterThan(0);
        versions["green"].ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Load_balancer_without_an_Up_instance_answers_503()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var lb = await harness.LoadBalancers.UpsertLoadBalancerAsync(new LoadBalancerSpec { Name = "empty", Account = "prod" }, None);

        lb.Port.ShouldBeInRange(harness.PortBase + 100, harness.PortBase + 199);
        using var response = await HttpProbe.Client.GetAsync(lb.Url);
        ((int)response.StatusCode).ShouldBe(503);
    }

    [Fact]
    public async Task Traffic_recorded_by_the_proxy_is_queryable_as_rates_error_ratio_and_latency_and_scraped_metrics_too()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var request = harness.Demo(demo, version: "v3") with { LoadBalancers = ["ts"], ScrapeMetrics = true };
        request = request with { Env = new Dictionary<string, string>(request.Env) { ["FAULT_RATE"] = "0.5" } };
        var name = await harness.Provider.DeployServerGroupAsync(request, None);
        await harness.WaitUpAsync("staging", name, 1);
        var lb = (await harness.LoadBalancers.GetLoadBalancerAsync("staging", "ts", None))!;
        await harness.Collector.CollectAsync(None);
        var start = DateTimeOffset.UtcNow;
        TimeSpan Window() => DateTimeOffset.UtcNow - start;
        for (var i = 0; i < 200; i++)
        {
            using var _ = await HttpProbe.Client.GetAsync(lb.Url);
        }

        // The store keeps one sample per resolution slot (1 s here): the second sample must fall in a later slot than the first.
        await Eventually.Until(() => Task.FromResult(Window() > TimeSpan.FromSeconds(2)), TimeSpan.FromSeconds(5), "two seconds passing");
        await harness.Collector.CollectAsync(None);
        var window = Window();
        var now = start + window;

        var total = harness.Metrics.QueryRange("staging", name, "request_rate", now, now, window).Points[0].Value * window.TotalSeconds;
        total.ShouldBe(200, tolerance: 1);
        harness.Metrics.QueryRange("staging", name, "error_rate", now, now, window).Points[0].Value.ShouldBeInRange(0.35, 0.65);
        harness.Metrics.QueryRange("staging", name, "latency_p99", now, now, window).Points[0].Value.ShouldBeInRange(0, 0.5);
        var scraped = harness.Metrics.QueryRange("staging", name, "demo_requests_total{code=\"500\"}", now, now, window).Points[0].Value;
        scraped.ShouldBeInRange(60, 140);
        harness.Metrics.QueryRange("staging", name, "request_rate", now.AddHours(-1), now.AddHours(-1), window).Points[0].Value.ShouldBe(double.NaN);
    }

    private static double Active(ProviderHarness harness, string group) =>
        Prometheus(harness).GetValueOrDefault($"mizzen_local_lb_active_connections{{account=\"staging\",server_group=\"{group}\"}}");

    private static Dictionary<string, double> Prometheus(ProviderHarness harness)
    {
        using var writer = new StringWriter();
        harness.Metrics.WritePrometheus(writer);
        return writer.ToString().Split('\n')
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
