using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Canary;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Storage;
using Mizzen.Core.Model;
using Mizzen.Persistence.Applications;
using Mizzen.Providers.Kubernetes.Istio;
using Mizzen.Providers.Kubernetes.Tests.Infrastructure;
using Mizzen.Testing.Prometheus;

namespace Mizzen.Providers.Kubernetes.Tests.Canary;

/// <summary>
/// Descartes Labs' canary through the engine: <c>kayentaCanary</c> stages whose <c>deployments</c> block targets the Kubernetes account
/// deploy a baseline and a canary Deployment into the fake API server, split the Istio VirtualService 10 % (then 33 %), judge the two
/// Deployments on latency a real Prometheus scraped, and clean up. Every state the VirtualService and the Deployments were stored in is
/// read from WATCHes on the fake (from the seeded objects' resourceVersions), so each step is seen as stored, in order.
/// The run's clock starts at the wall clock's now (Prometheus holds real-time samples); the engine's test clock then moves to each
/// interval's end, past the last scrape, and Prometheus answers those steps from its 5-minute lookback with the exporter's latest value.
/// </summary>
public sealed class KubernetesCanaryEndToEndTests : IAsyncLifetime
{
    private const string Metric = "web_request_latency_seconds";
    private PrometheusProcess prometheus = null!;
    private KubernetesPipelineHarness harness = null!;

    public async Task InitializeAsync()
    {
        prometheus = await PrometheusProcess.StartAsync(p =>
        {
            p.Set(Metric, 0.20, ("deployment", "web"));
            p.Set(Metric, 0.20, ("deployment", "web-baseline"));
            p.Set(Metric, 0.20, ("deployment", "web-canary"));
        });
        harness = await KubernetesPipelineHarness.StartAsync(s => s.AddMizzenCanary(o =>
        {
            o.BaseAddress = prometheus.BaseAddress;
            o.Retry.MaxAttempts = 1;
        }));
        // A guard on every cluster of the namespace: the canary's own cleanup of the pair it deployed must still run.
        await harness.Services.GetRequiredService<IApplicationStore>().SaveAsync(new Application
        {
            Name = "shop",
            Extra = new Dictionary<string, JsonElement> { ["trafficGuards"] = JsonDocument.Parse("""[{"account":"fake","location":"prod","stack":"*","detail":"*"}]""").RootElement.Clone() },
        }, CancellationToken.None);
        harness.Server.Put(Stable());
        harness.Server.Put(DestinationRule());
        harness.Server.Put(VirtualService());
        await harness.Server.Controller.SettleAsync();
    }

    public async Task DisposeAsync()
    {
        await harness.DisposeAsync();
        await prometheus.DisposeAsync();
    }

    [Fact]
    public async Task Canary_at_ten_then_thirty_three_percent_deploys_the_pair_splits_the_virtual_service_judges_prometheus_and_cleans_up()
    {
        var configId = await SaveCanaryConfigAsync();
        await using var routes = Watch("/apis/networking.istio.io/v1beta1/namespaces/prod/virtualservices", "VirtualService", "web");
        await using var deployments = Watch("/apis/apps/v1/namespaces/prod/deployments", "Deployment", "web");
        StartClockAtWallTime();

        var run = await harness.RunAsync(Pipeline(configId, (10, 10), (33, 33)), realTimeout: TimeSpan.FromMinutes(3));

        run.Status.ShouldBe(ExecutionStatus.Succeeded, Describe(run));
        var splits = await SplitsAsync(routes);
        splits.ShouldBe([
            "stable=100",
            "stable=80 baseline=10 canary=10",
            "stable=100",
            "stable=34 baseline=33 canary=33",
            "stable=100",
        ]);
        foreach (var name in new[] { "canary 10%", "canary 33%" })
        {
            var canary = KubernetesPipelineHarness.Stage(run, name);
            canary.Outputs["canaryScores"]!.AsArray().Select(s => s!.GetValue<double>()).ShouldBe([100.0], Describe(run));
            Children(run, canary).Select(c => (c.Name, c.Status)).ShouldBe([
                ("Deploy canary control", ExecutionStatus.Succeeded),
                ("Deploy canary experiment", ExecutionStatus.Succeeded),
                ("Send traffic to canary", ExecutionStatus.Succeeded),
                ("Restore traffic to production", ExecutionStatus.Succeeded),
                ("Delete canary deployment web-baseline", ExecutionStatus.Succeeded),
                ("Delete canary deployment web-canary", ExecutionStatus.Succeeded),
            ]);
        }

        await AssertEachCanaryWasRolledOutWhileRoutedThenDeletedAsync(routes, deployments, times: 2);
        harness.Server.Get("apps/v1", "Deployment", "prod", "web-canary").ShouldBeNull();
        harness.Server.Get("apps/v1", "Deployment", "prod", "web-baseline").ShouldBeNull();
        harness.Server.Get("apps/v1", "Deployment", "prod", "web").ShouldNotBeNull();
        harness.Server.List("apps/v1", "ReplicaSet", "prod").Select(r => r["metadata"]!["name"]!.GetValue<string>()).ShouldAllBe(n => n.StartsWith("web-", StringComparison.Ordinal) && !n.StartsWith("web-canary", StringComparison.Ordinal) && !n.StartsWith("web-baseline", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Canary_with_slower_responses_fails_at_ten_percent_and_still_removes_the_pair_and_gives_production_all_traffic()
    {
        prometheus.Set(Metric, 0.65, ("deployment", "web-canary"));
        await prometheus.WaitForValueAsync($"{Metric}{{deployment=\"web-canary\"}}", 0.65);
        var configId = await SaveCanaryConfigAsync();
        await using var routes = Watch("/apis/networking.istio.io/v1beta1/namespaces/prod/virtualservices", "VirtualService", "web");
        await using var deployments = Watch("/apis/apps/v1/namespaces/prod/deployments", "Deployment", "web");
        StartClockAtWallTime();

        var run = await harness.RunAsync(Pipeline(configId, (10, 10), (33, 33)), realTimeout: TimeSpan.FromMinutes(3));

        run.Status.ShouldBe(ExecutionStatus.Terminal, Describe(run));
        var canary = KubernetesPipelineHarness.Stage(run, "canary 10%");
        canary.Status.ShouldBe(ExecutionStatus.Terminal);
        canary.Outputs["canaryScoreMessage"]!.GetValue<string>().ShouldContain("latency");
        KubernetesPipelineHarness.Stage(run, "canary 33%").Status.ShouldBe(ExecutionStatus.NotStarted);
        Children(run, canary).Where(c => c.SyntheticStageOwner == SyntheticStageOwner.StageAfter || c.Name.StartsWith("Restore", StringComparison.Ordinal) || c.Name.StartsWith("Delete", StringComparison.Ordinal))
            .Select(c => (c.Name, c.Status)).ShouldBe([
                ("Restore traffic to production", ExecutionStatus.Succeeded),
                ("Delete canary deployment web-baseline", ExecutionStatus.Succeeded),
                ("Delete canary deployment web-canary", ExecutionStatus.Succeeded),
            ], Describe(run));
        (await SplitsAsync(routes)).ShouldBe(["stable=100", "stable=80 baseline=10 canary=10", "stable=100"]);
        await AssertEachCanaryWasRolledOutWhileRoutedThenDeletedAsync(routes, deployments, times: 1);
        harness.Server.Get("apps/v1", "Deployment", "prod", "web-canary").ShouldBeNull();
        harness.Server.Get("apps/v1", "Deployment", "prod", "web-baseline").ShouldBeNull();
        harness.Server.Get("apps/v1", "Deployment", "prod", "web")!["status"]!["readyReplicas"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public async Task Canary_whose_pods_never_pull_their_image_fails_before_traffic_moves_and_removes_both_deployments()
    {
        harness.Server.Controller.FailImagePull("registry.example.com/web:2.0");
        var configId = await SaveCanaryConfigAsync();
        await using var routes = Watch("/apis/networking.istio.io/v1beta1/namespaces/prod/virtualservices", "VirtualService", "web");
        StartClockAtWallTime();

        var run = await harness.RunAsync(Pipeline(configId, (10, 10)), realTimeout: TimeSpan.FromMinutes(3));

        run.Status.ShouldBe(ExecutionStatus.Terminal, Describe(run));
        var canary = KubernetesPipelineHarness.Stage(run, "canary 10%");
        var experiment = Children(run, canary).Single(c => c.Name == "Deploy canary experiment");
        experiment.Status.ShouldBe(ExecutionStatus.Terminal);
        KubernetesPipelineHarness.Errors(experiment).ShouldContain("ImagePullBackOff");
        Children(run, canary).Where(c => c.Name == "Send traffic to canary").ShouldAllBe(c => c.Status == ExecutionStatus.NotStarted);
        Children(run, canary).Where(c => c.Name.StartsWith("Delete", StringComparison.Ordinal)).Select(c => (c.Name, c.Status)).ShouldBe([
            ("Delete canary deployment web-baseline", ExecutionStatus.Succeeded),
            ("Delete canary deployment web-canary", ExecutionStatus.Succeeded),
        ], Describe(run));
        (await SplitsAsync(routes)).ShouldBe(["stable=100"]);
        harness.Server.Get("apps/v1", "Deployment", "prod", "web-canary").ShouldBeNull();
        harness.Server.Get("apps/v1", "Deployment", "prod", "web-baseline").ShouldBeNull();
    }

    /// <summary>
    /// From both watches, by resourceVersion (one counter for all objects): each canary Deployment reached all replicas ready before
    /// the VirtualService sent it traffic, and was deleted only after the weights went back to production.
    /// </summary>
    private async Task AssertEachCanaryWasRolledOutWhileRoutedThenDeletedAsync(WatchRecorder routes, WatchRecorder deployments, int times)
    {
        await deployments.WaitUntilAsync(all => all.Count(e => e.Type == "DELETED" && Name(e.Object) == "web-canary") == times, "the canary's deletion", TimeSpan.FromSeconds(30));
        var splitAt = routes.Events.Where(e => Split(e.Object) != "stable=100").Select(e => Rv(e.Object)).ToList();
        var restoredAt = routes.Events.Skip(1).Where(e => Split(e.Object) == "stable=100").Select(e => Rv(e.Object)).ToList();
        splitAt.Count.ShouldBe(times);
        foreach (var name in new[] { "web-baseline", "web-canary" })
        {
            var ready = deployments.Events.Where(e => Name(e.Object) == name && e.Type != "DELETED"
                                                       && e.Object["status"]?["readyReplicas"]?.GetValue<int>() == e.Object["spec"]!["replicas"]!.GetValue<int>())
                .Select(e => Rv(e.Object)).ToList();
            var deleted = deployments.Events.Where(e => Name(e.Object) == name && e.Type == "DELETED").Select(e => Rv(e.Object)).ToList();
            deleted.Count.ShouldBe(times, name);
            for (var i = 0; i < times; i++)
            {
                ready.ShouldContain(rv => rv < splitAt[i] && (i == 0 || rv > deleted[i - 1]), $"{name} ready before split {i + 1}");
                deleted[i].ShouldBeGreaterThan(restoredAt[i], $"{name} deleted after traffic went back to production ({i + 1})");
            }
        }
    }

    private WatchRecorder Watch(string path, string kind, string seeded) =>
        WatchRecorder.Start(harness.Server, FakeCluster.Token, path,
            harness.Server.Get(kind == "Deployment" ? "apps/v1" : "networking.istio.io/v1beta1", kind, "prod", seeded)!["metadata"]!["resourceVersion"]!.GetValue<string>());

    private async Task<List<string>> SplitsAsync(WatchRecorder routes)
    {
        var stored = harness.Server.Get("networking.istio.io/v1beta1", "VirtualService", "prod", "web")!;
        await routes.WaitForAsync(stored["metadata"]!["resourceVersion"]!.GetValue<string>(), TimeSpan.FromSeconds(30));
        var states = new List<string> { "stable=100" };
        foreach (var (_, obj) in routes.Events)
        {
            var split = Split(obj);
            if (split != states[^1])
            {
                states.Add(split);
            }
        }

        Split(stored).ShouldBe(states[^1]);
        return states;
    }

    private static string Split(JsonObject virtualService) =>
        string.Join(" ", VirtualServiceRoutes.Weights(virtualService).Where(t => t.Weight > 0).Select(t => $"{t.ServerGroup}={t.Weight}"));

    private static long Rv(JsonObject obj) => long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    private static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();

    private static IEnumerable<StageExecution> Children(PipelineExecution run, StageExecution parent) =>
        run.Stages.Where(s => s.ParentStageId == parent.Id);

    /// <summary>Prometheus holds samples at real times: the run's canary windows start at the wall clock's now.</summary>
    private void StartClockAtWallTime()
    {
        var now = DateTimeOffset.UtcNow;
        if (now > harness.Clock.GetUtcNow())
        {
            harness.Clock.SetUtcNow(now);
        }
    }

    private async Task<string> SaveCanaryConfigAsync() =>
        (await harness.Services.GetRequiredService<ICanaryConfigStore>().SaveAsync("shop", CanaryConfigJson.Parse("""
            {"name":"web-latency","applications":["shop"],"judge":{"name":"NetflixACAJudge-v1.0"},
             "metrics":[{"name":"latency","groups":["perf"],
               "query":{"type":"prometheus","customInlineTemplate":"PromQL:avg(web_request_latency_seconds{deployment=\"${scope}\"})"},
               "analysisConfigurations":{"canary":{"direction":"increase"}}}],
             "classifier":{"groupWeights":{"perf":100}}}
            """), "tester", CancellationToken.None)).Id;

    private static string Pipeline(string configId, params (int Control, int Experiment)[] steps)
    {
        var stages = new JsonArray();
        for (var i = 0; i < steps.Length; i++)
        {
            var stage = new JsonObject
            {
                ["refId"] = $"{i + 1}",
                ["requisiteStageRefIds"] = i == 0 ? new JsonArray() : new JsonArray($"{i}"),
                ["type"] = "kayentaCanary",
                ["name"] = $"canary {steps[i].Experiment}%",
                ["analysisType"] = "realTime",
                ["canaryConfig"] = new JsonObject
                {
                    ["canaryConfigId"] = configId,
                    ["lifetimeDuration"] = "PT1M",
                    ["scopes"] = new JsonArray(new JsonObject { ["scopeName"] = "default", ["step"] = 5 }),
                    ["scoreThresholds"] = new JsonObject { ["pass"] = 75, ["marginal"] = 50 },
                },
                ["deployments"] = new JsonObject
                {
                    ["baseline"] = new JsonObject { ["cloudProvider"] = "kubernetes", ["account"] = "fake", ["cluster"] = "deployment web" },
                    ["serverGroupPairs"] = new JsonArray(new JsonObject
                    {
                        ["control"] = new JsonObject { ["moniker"] = new JsonObject { ["app"] = "shop" }, ["manifests"] = new JsonArray(Workload("web-baseline", "baseline", "registry.example.com/web:1.0", 1)) },
                        ["experiment"] = new JsonObject { ["moniker"] = new JsonObject { ["app"] = "shop" }, ["manifests"] = new JsonArray(Workload("web-canary", "canary", "registry.example.com/web:2.0", 1)) },
                    }),
                    ["trafficWeights"] = new JsonObject { ["loadBalancer"] = "virtualService prod/web", ["control"] = steps[i].Control, ["experiment"] = steps[i].Experiment },
                },
            };
            stages.Add(stage);
        }

        return new JsonObject { ["application"] = "shop", ["stages"] = stages }.ToJsonString();
    }

    private static JsonObject Workload(string name, string track, string image, int replicas) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "prod" },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web", ["track"] = track } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web", ["track"] = track } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = image }) },
            },
        },
    };

    private static JsonObject Stable()
    {
        var web = Workload("web", "stable", "registry.example.com/web:1.0", 3);
        web["metadata"]!["annotations"] = new JsonObject { ["moniker.spinnaker.io/application"] = "shop", ["moniker.spinnaker.io/cluster"] = "deployment web" };
        return web;
    }

    private static JsonObject DestinationRule() => (JsonObject)JsonNode.Parse("""
        {"apiVersion":"networking.istio.io/v1beta1","kind":"DestinationRule","metadata":{"name":"web","namespace":"prod"},
         "spec":{"host":"web.prod.svc.cluster.local","subsets":[{"name":"stable","labels":{"track":"stable"}},
           {"name":"baseline","labels":{"track":"baseline"}},{"name":"canary","labels":{"track":"canary"}}]}}
        """)!;

    private static JsonObject VirtualService() => (JsonObject)JsonNode.Parse("""
        {"apiVersion":"networking.istio.io/v1beta1","kind":"VirtualService","metadata":{"name":"web","namespace":"prod"},
         "spec":{"hosts":["web.prod.svc.cluster.local"],
           "http":[{"route":[{"destination":{"host":"web.prod.svc.cluster.local","subset":"stable"},"weight":100}]}]}}
        """)!;

    private static string Describe(PipelineExecution run) =>
        string.Join("\n", run.Stages.Select(s => $"{s.Name} [{s.Type}] {s.Status.ToWireName()} {KubernetesPipelineHarness.Errors(s)} {s.Context["exception"]?.ToJsonString()} {s.Outputs["canaryScoreMessage"]}"));
}
