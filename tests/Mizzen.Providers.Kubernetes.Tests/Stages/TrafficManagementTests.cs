using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Clouds;
using Mizzen.Providers.Kubernetes.Tests.Infrastructure;
using static Mizzen.Providers.Kubernetes.Tests.Infrastructure.KubernetesPipelineHarness;
using static Mizzen.Providers.Kubernetes.Tests.Stages.DeployManifestTests;

namespace Mizzen.Providers.Kubernetes.Tests.Stages;

public sealed class TrafficManagementTests : IAsyncLifetime
{
    private KubernetesPipelineHarness harness = null!;

    public async Task InitializeAsync() => harness = await KubernetesPipelineHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    private static string RedBlack(string version, string strategy = "redblack")
    {
        var manifests = new JsonArray(
            JsonNode.Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"web-svc","namespace":"prod"},"spec":{"selector":{"serving":"true"},"ports":[{"port":80}]}}"""),
            JsonNode.Parse("""
                {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web","namespace":"prod","annotations":{"strategy.spinnaker.io/max-version-history":"3"}},
                 "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                   "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"registry.local/web:VERSION"}]}}}}
                """.Replace("VERSION", version)));
        var stage = DeployStage(manifests);
        stage["trafficManagement"] = new JsonObject
        {
            ["enabled"] = true,
            ["options"] = new JsonObject { ["enableTraffic"] = true, ["services"] = new JsonArray("service web-svc"), ["strategy"] = strategy },
        };
        return Pipeline(stage);
    }

    private string? ServingLabel(string replicaSet) =>
        harness.Server.Get("apps/v1", "ReplicaSet", "prod", replicaSet)?["spec"]?["template"]?["metadata"]?["labels"]?["serving"]?.ToString();

    [Fact]
    public async Task Red_black_sends_the_service_to_the_new_replica_set_and_disables_the_old_one_and_its_pods()
    {
        (await harness.RunAsync(RedBlack("1"))).Status.ShouldBe(ExecutionStatus.Succeeded);
        ServingLabel("web-v000").ShouldBe("true");

        var run = await harness.RunAsync(RedBlack("2"));

        run.Status.ShouldBe(ExecutionStatus.Succeeded, Errors(Stage(run, "Deploy")));
        ServingLabel("web-v001").ShouldBe("true");
        ServingLabel("web-v000").ShouldBeNull();
        var oldPods = harness.Server.List("v1", "Pod", "prod").Where(p => p["metadata"]!["ownerReferences"]![0]!["name"]!.ToString() == "web-v000").ToList();
        oldPods.Count.ShouldBe(2);
        oldPods.ShouldAllBe(p => p["metadata"]!["labels"]!["serving"] == null);
        harness.Server.List("v1", "Pod", "prod").Count(p => p["metadata"]!["labels"]!["serving"] != null).ShouldBe(2);
        Stage(run, "Deploy").Context["disabledManifests"]!.AsArray().Select(m => m!["manifestName"]!.ToString()).ShouldBe(["replicaSet web-v000"]);

        var reads = harness.Services.GetRequiredService<CloudProviderRegistry>().Get("kubernetes").Reads;
        var groups = await reads.ListServerGroupsAsync("shop", CancellationToken.None);
        groups.Single(g => g.Summary.Name == "replicaSet web-v000").Summary.Enabled.ShouldBeFalse();
        groups.Single(g => g.Summary.Name == "replicaSet web-v001").Summary.Enabled.ShouldBeTrue();
    }

    [Fact]
    public async Task Highlander_deletes_the_old_replica_set()
    {
        (await harness.RunAsync(RedBlack("1", "highlander"))).Status.ShouldBe(ExecutionStatus.Succeeded);

        var run = await harness.RunAsync(RedBlack("2", "highlander"));

        run.Status.ShouldBe(ExecutionStatus.Succeeded, Errors(Stage(run, "Deploy")));
        harness.Server.Get("apps/v1", "ReplicaSet", "prod", "web-v000").ShouldBeNull();
        ServingLabel("web-v001").ShouldBe("true");
    }
}
