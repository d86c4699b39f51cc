using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Pipelines;

/// <summary>Cluster-wide stages, dynamic targets, resize by percentage and the load-balancer stages, on the real local provider.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ClusterStageTests(DemoServiceFixture demo)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static string Pipeline(params JsonObject[] stages)
    {
        for (var i = 0; i < stages.Length; i++)
        {
            stages[i]["refId"] = (i + 1).ToString(CultureInfo.InvariantCulture);
            if (i > 0)
            {
                stages[i]["requisiteStageRefIds"] = new JsonArray(i.ToString(CultureInfo.InvariantCulture));
            }
        }

        return new JsonObject { ["stages"] = new JsonArray(stages.Select(s => (JsonNode)s).ToArray()) }.ToJsonString();
    }

    private static JsonObject Stage(string type, string name, JsonObject? fields = null)
    {
        var stage = new JsonObject { ["type"] = type, ["name"] = name, ["credentials"] = "staging", ["cluster"] = "demo-web" };
        foreach (var (key, value) in fields ?? [])
        {
            stage[key] = value?.DeepClone();
        }

        return stage;
    }

    private async Task DeployAsync(PipelineHarness harness, string version, int desired = 1, string? loadBalancer = null)
    {
        var cluster = PipelineHarness.Cluster(demo, "staging", version, desired: desired);
        if (loadBalancer is not null)
        {
            cluster["loadBalancers"] = new JsonArray(loadBalancer);
        }

        (await harness.RunAsync(PipelineHarness.DeployPipeline(cluster))).Status.ShouldBe(ExecutionStatus.Succeeded, $"deploying {version}");
    }

    private static async Task<PipelineExecution> Succeeds(PipelineHarness harness, string pipeline)
    {
        var run = await harness.RunAsync(pipeline);
        run.Status.ShouldBe(ExecutionStatus.Succeeded, string.Join("; ", run.Stages.Select(PipelineHarness.Errors).Where(e => e.Length > 0)));
        return run;
    }

    [Fact]
    public async Task Disable_scale_down_and_shrink_cluster_keep_as_many_server_groups_as_their_fields_say()
    {
        await using var harness = await PipelineHarness.StartAsync();
        foreach (var version in new[] { "v0", "v1", "v2", "v3" })
        {
            await DeployAsync(harness, version);
        }

        await Succeeds(harness, Pipeline(
            Stage("disableCluster", "Disable", new JsonObject { ["remainingEnabledServerGroups"] = 2 }),
            Stage("scaleDownCluster", "Scale down", new JsonObject { ["remainingFullSizeServerGroups"] = 1 }),
            Stage("shrinkCluster", "Shrink", new JsonObject { ["shrinkToSize"] = 3 })));

        var groups = (await harness.ServerGroups.ListClusterAsync("demo", "staging", "demo-web", None)).ToDictionary(g => g.Name);
        groups.Keys.Order().ShouldBe(["demo-web-v001", "demo-web-v002", "demo-web-v003"]);
        groups["demo-web-v003"].Enabled.ShouldBeTrue();
        groups["demo-web-v002"].Enabled.ShouldBeTrue();
        groups["demo-web-v002"].Capacity.Desired.ShouldBe(1, "scaleDownCluster leaves enabled server groups alone without allowScaleDownActive");
        groups["demo-web-v001"].Enabled.ShouldBeFalse();
        groups["demo-web-v001"].Capacity.Desired.ShouldBe(0);
    }

    [Fact]
    public async Task Shrink_cluster_retaining_larger_over_newer_may_destroy_enabled_groups_when_allowed()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await DeployAsync(harness, "v0", desired: 2);
        await DeployAsync(harness, "v1");
        await DeployAsync(harness, "v2");

        await Succeeds(harness, Pipeline(Stage("shrinkCluster", "Shrink", new JsonObject
        {
            ["shrinkToSize"] = 1, ["allowDeleteActive"] = true, ["retainLargerOverNewer"] = true,
        })));

        var groups = await harness.ServerGroups.ListClusterAsync("demo", "staging", "demo-web", None);
        groups.Select(g => g.Name).ShouldBe(["demo-web-v000"]);
        groups[0].Instances.Up.ShouldBe(2);
    }

    [Fact]
    public async Task Ancestor_and_oldest_targets_pick_the_previous_and_the_oldest_server_group_and_resize_works_by_percentage()
    {
        await using var harness = await PipelineHarness.StartAsync();
        foreach (var version in new[] { "v0", "v1", "v2" })
        {
            await DeployAsync(harness, version);
        }

        await Succeeds(harness, Pipeline(
            Stage("disableServerGroup", "Disable oldest", new JsonObject { ["target"] = "oldest_asg_dynamic" }),
            Stage("resizeServerGroup", "Grow previous", new JsonObject { ["target"] = "ancestor_asg_dynamic", ["action"] = "scale_up", ["scalePct"] = 200 })));

        (await harness.ServerGroups.GetAsync("staging", "demo-web-v000", None))!.Enabled.ShouldBeFalse();
        var previous = await harness.ServerGroups.GetAsync("staging", "demo-web-v001", None);
        previous!.Capacity.Desired.ShouldBe(3, "1 + 200% of 1");
        previous.Instances.Up.ShouldBe(3);
        var newest = await harness.ServerGroups.GetAsync("staging", "demo-web-v002", None);
        newest!.Enabled.ShouldBeTrue();
        newest.Capacity.Desired.ShouldBe(1);

        await Succeeds(harness, Pipeline(
            Stage("resizeServerGroup", "Shrink previous", new JsonObject { ["target"] = "ancestor_asg_dynamic", ["action"] = "scale_down", ["scalePct"] = 50 })));

        previous = await harness.ServerGroups.GetAsync("staging", "demo-web-v001", None);
        previous!.Capacity.Desired.ShouldBe(1, "3 - ceil(50% of 3)");
        previous.Instances.Up.ShouldBe(1);
    }

    [Fact]
    public async Task Set_traffic_weights_splits_requests_as_counted_by_the_proxy_and_delete_load_balancer_stops_listening()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await DeployAsync(harness, "v0", loadBalancer: "web");
        await DeployAsync(harness, "v1", loadBalancer: "web");
        var before = Counted(harness);

        await Succeeds(harness, Pipeline(new JsonObject
        {
            ["type"] = "setTrafficWeights", ["name"] = "Weights", ["account"] = "staging", ["loadBalancer"] = "web",
            ["targets"] = new JsonArray(
                new JsonObject { ["cluster"] = "demo-web", ["target"] = "current_asg_dynamic", ["weight"] = 75 },
                new JsonObject { ["serverGroup"] = "demo-web-v000", ["weight"] = 25 }),
        }));
        var url = (await harness.LoadBalancers.GetAsync("staging", "web", None))!.Url;
        for (var i = 0; i < 400; i++)
        {
            (await HttpProbe.GetVersionAsync(url)).Status.ShouldBe(200);
        }

        var after = Counted(harness);
        (after("demo-web-v001") - before("demo-web-v001")).ShouldBe(300, 5);
        (after("demo-web-v000") - before("demo-web-v000")).ShouldBe(100, 5);

        await Succeeds(harness, Pipeline(new JsonObject
        {
            ["type"] = "deleteLoadBalancer", ["name"] = "Delete", ["account"] = "staging", ["loadBalancerName"] = "web",
        }));

        (await harness.LoadBalancers.GetAsync("staging", "web", None)).ShouldBeNull();
        await Should.ThrowAsync<HttpRequestException>(() => HttpProbe.Client.GetAsync(url));
    }

    private static Func<string, double> Counted(PipelineHarness harness)
    {
        using var writer = new StringWriter();
        harness.Metrics.WritePrometheus(writer);
        var values = writer.ToString().Split('\n')
            .Where(l => l.StartsWith("mizzen_local_lb_requests_total{", StringComparison.Ordinal) && l.Contains("status_class=\"2xx\"", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        return group => values.GetValueOrDefault($"mizzen_local_lb_requests_total{{account=\"staging\",server_group=\"{group}\",status_class=\"2xx\"}}");
    }
}
