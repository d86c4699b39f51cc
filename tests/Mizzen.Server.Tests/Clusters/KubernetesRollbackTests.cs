using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;
using Mizzen.Testing.Kubernetes;

namespace Mizzen.Server.Tests.Clusters;

/// <summary>
/// One-click rollback of a Kubernetes cluster on the real server against the fake Kubernetes API server: the cluster view lists the
/// Deployment's ReplicaSets, and the rollback undoes the Deployment's rollout to the previous revision (the image it ran before).
/// </summary>
public sealed class KubernetesRollbackTests : IAsyncLifetime
{
    private FakeKubernetesApiServer fake = null!;
    private RunningServer server = null!;

    public async Task InitializeAsync()
    {
        fake = await FakeKubernetesApiServer.StartAsync(new FakeKubernetesOptions { Namespaces = ["default", "prod"] });
        server = await RunningServer.StartAsync(demo: false, [("local", "21300-21309")], data =>
        {
            var path = Path.Combine(data, "mizzen.json");
            var settings = JsonNode.Parse(File.ReadAllText(path))!;
            settings["Mizzen"]!["Kubernetes"] = new JsonObject
            {
                ["Accounts"] = new JsonObject { ["k8s"] = new JsonObject { ["KubeconfigFile"] = fake.WriteKubeconfig(data), ["Context"] = "fake" } },
            };
            File.WriteAllText(path, settings.ToJsonString());
        });
        await server.CreateApplicationAsync("shop");
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await fake.DisposeAsync();
    }

    [Fact]
    public async Task Rolling_back_a_deployments_cluster_undoes_its_rollout_to_the_previous_image()
    {
        await DeployAsync("registry.local/shop/web:1");
        await DeployAsync("registry.local/shop/web:2");
        Image().ShouldBe("registry.local/shop/web:2");

        var clusters = (await server.GetJsonAsync("/applications/shop/clusters"))["k8s"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        clusters.ShouldBe(["deployment web"]);
        var groups = (await server.GetJsonAsync("/applications/shop/serverGroups")).AsArray().Where(g => g!["cloudProvider"]!.GetValue<string>() == "kubernetes").ToList();
        groups.Count.ShouldBe(2);
        groups.ShouldAllBe(g => g!["region"]!.GetValue<string>() == "prod");

        var started = await server.PostJsonAsync($"/applications/shop/clusters/k8s/{Uri.EscapeDataString("deployment web")}/rollback", "{}");
        var body = JsonNode.Parse(await started.Content.ReadAsStringAsync())!;
        ((int)started.StatusCode).ShouldBeLessThan(300, body.ToJsonString());
        var id = body["ref"]!.GetValue<string>().Split('/')[^1];

        var done = await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL", TimeSpan.FromSeconds(60));
        done["status"]!.GetValue<string>().ShouldBe("SUCCEEDED", done.ToJsonString());
        done["stages"]![0]!["type"]!.GetValue<string>().ShouldBe("undoRolloutManifest");
        Image().ShouldBe("registry.local/shop/web:1");
    }

    [Fact]
    public async Task A_cluster_with_one_revision_has_nothing_to_roll_back_to()
    {
        await DeployAsync("registry.local/shop/web:1");

        var (status, body) = await server.SendAsync(HttpMethod.Post, $"/applications/shop/clusters/k8s/{Uri.EscapeDataString("deployment web")}/rollback", new JsonObject());

        status.ShouldBe(409);
        body!["detail"]!.GetValue<string>().ShouldContain("no server group older than");
    }

    private string Image() => fake.Get("apps/v1", "Deployment", "prod", "web")!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    private async Task DeployAsync(string image)
    {
        var pipeline = new JsonObject
        {
            ["application"] = "shop",
            ["name"] = "deploy",
            ["stages"] = new JsonArray(new JsonObject
            {
                ["refId"] = "1", ["type"] = "deployManifest", ["name"] = "Deploy", ["cloudProvider"] = "kubernetes", ["account"] = "k8s",
                ["moniker"] = new JsonObject { ["app"] = "shop" }, ["source"] = "text",
                ["manifests"] = new JsonArray(JsonNode.Parse($$$$$"""
                    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"prod"},
                     "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                       "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"{{{{{image}}}}}"}]}}}}
                    """)),
            }),
        };
        var existing = await server.Http.GetAsync("/applications/shop/pipelineConfigs/deploy");
        if (existing.IsSuccessStatusCode)
        {
            pipeline["id"] = JsonNode.Parse(await existing.Content.ReadAsStringAsync())!["id"]!.DeepClone();
        }

        (await server.PostJsonAsync("/pipelines", pipeline.ToJsonString())).EnsureSuccessStatusCode();
        var started = await server.PostJsonAsync("/pipelines/shop/deploy", "{}");
        var id = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>()["/pipelines/".Length..];
        var run = await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL", TimeSpan.FromSeconds(60));
        run["status"]!.GetValue<string>().ShouldBe("SUCCEEDED", run.ToJsonString());
    }
}
