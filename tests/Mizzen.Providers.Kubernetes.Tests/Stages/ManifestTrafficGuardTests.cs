using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Persistence.Applications;
using Mizzen.Providers.Kubernetes.Tests.Infrastructure;
using static Mizzen.Providers.Kubernetes.Tests.Infrastructure.KubernetesPipelineHarness;

namespace Mizzen.Providers.Kubernetes.Tests.Stages;

/// <summary>
/// deleteManifest, disableManifest and scaleManifest ask the application's traffic guards (the shared guard, the namespace as the
/// guard's location) before taking a workload's pods out of service, through the engine against the fake API server.
/// </summary>
public sealed class ManifestTrafficGuardTests : IAsyncLifetime
{
    private const string GuardProd = """[{"account":"fake","location":"prod","stack":"*","detail":"*","enabled":true}]""";
    private KubernetesPipelineHarness harness = null!;

    public async Task InitializeAsync()
    {
        harness = await KubernetesPipelineHarness.StartAsync();
        harness.Server.Put(Service());
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    public static TheoryData<string> Operations => ["deleteManifest", "disableManifest", "scaleManifest"];

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Taking_the_only_deployment_of_a_guarded_cluster_out_of_service_is_refused_naming_the_guarded_cluster(string operation)
    {
        await SeedAsync(Deployment("web", replicas: 3));
        await GuardAsync(GuardProd);
        var before = harness.Server.Get("apps/v1", "Deployment", "prod", "web")!;

        var run = await harness.RunAsync(Pipeline(Operation(operation, "deployment web")));

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        var verb = operation switch { "deleteManifest" => "Destroying", "disableManifest" => "Disabling", _ => "Resizing to 0" };
        Errors(Stage(run, "op")).ShouldBe(
            $"This cluster ('deployment web' in fake, prod) has traffic guards enabled. {verb} deployment web would leave the cluster with no instances up.");
        Stage(run, "op").Context["exception"]!["exceptionType"]!.GetValue<string>().ShouldBe("TrafficGuardException");
        var after = harness.Server.Get("apps/v1", "Deployment", "prod", "web")!;
        after["metadata"]!["resourceVersion"]!.GetValue<string>().ShouldBe(before["metadata"]!["resourceVersion"]!.GetValue<string>());
        harness.Server.Requests.Select(r => r.Verb).ShouldNotContain(v => v == "delete" || v == "patch" || v == "update");
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task A_cluster_no_guard_matches_is_changed_as_asked(string operation)
    {
        await SeedAsync(Deployment("web", replicas: 3));
        await GuardAsync("""[{"account":"fake","location":"staging","stack":"*","detail":"*","enabled":true}]""");

        var run = await harness.RunAsync(Pipeline(Operation(operation, "deployment web")));

        run.Status.ShouldBe(ExecutionStatus.Succeeded, Errors(Stage(run, "op")));
        var web = harness.Server.Get("apps/v1", "Deployment", "prod", "web");
        switch (operation)
        {
            case "deleteManifest":
                web.ShouldBeNull();
                break;
            case "disableManifest":
                web!["spec"]!["template"]!["metadata"]!["labels"]!.AsObject().ContainsKey("traffic").ShouldBeFalse();
                break;
            default:
                web!["spec"]!["replicas"]!.GetValue<int>().ShouldBe(0);
                break;
        }
    }

    [Fact]
    public async Task Deleting_one_deployment_while_another_of_its_guarded_cluster_is_up_proceeds()
    {
        await SeedAsync(Deployment("web-blue", replicas: 2, cluster: "web"), Deployment("web-green", replicas: 2, cluster: "web"));
        await GuardAsync(GuardProd);

        var run = await harness.RunAsync(Pipeline(Operation("deleteManifest", "deployment web-blue")));

        run.Status.ShouldBe(ExecutionStatus.Succeeded, Errors(Stage(run, "op")));
        harness.Server.Get("apps/v1", "Deployment", "prod", "web-blue").ShouldBeNull();
        harness.Server.Get("apps/v1", "Deployment", "prod", "web-green").ShouldNotBeNull();
    }

    [Fact]
    public async Task Deleting_every_deployment_of_a_guarded_cluster_by_label_is_refused_although_each_alone_would_not_be()
    {
        await SeedAsync(Deployment("web-blue", replicas: 2, cluster: "web"), Deployment("web-green", replicas: 2, cluster: "web"));
        await GuardAsync(GuardProd);
        var delete = Operation("deleteManifest", "");
        delete.Remove("manifestName");
        delete["kinds"] = new JsonArray("deployment");
        delete["labelSelectors"] = new JsonObject
        {
            ["selectors"] = new JsonArray(new JsonObject { ["key"] = "app", ["kind"] = "EQUALS", ["values"] = new JsonArray("web") }),
        };

        var run = await harness.RunAsync(Pipeline(delete));

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        Errors(Stage(run, "op")).ShouldContain("This cluster ('web' in fake, prod) has traffic guards enabled. Destroying deployment web-blue, deployment web-green would leave");
        harness.Server.List("apps/v1", "Deployment", "prod").Count.ShouldBe(2);
    }

    [Fact]
    public async Task Scaling_a_guarded_deployment_down_while_pods_stay_up_proceeds()
    {
        await SeedAsync(Deployment("web", replicas: 3));
        await GuardAsync(GuardProd);
        var scale = Operation("scaleManifest", "deployment web");
        scale["replicas"] = 1;

        var run = await harness.RunAsync(Pipeline(scale));

        run.Status.ShouldBe(ExecutionStatus.Succeeded, Errors(Stage(run, "op")));
        harness.Server.Get("apps/v1", "Deployment", "prod", "web")!["spec"]!["replicas"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task Versioned_replica_sets_scale_down_until_the_last_one_up_which_the_guard_keeps()
    {
        await SeedAsync(ReplicaSet("web-v000"), ReplicaSet("web-v001"));
        await GuardAsync(GuardProd);
        var older = Operation("scaleManifest", "replicaSet web-v000");
        var last = Operation("scaleManifest", "replicaSet web-v001");
        last["refId"] = "2";
        last["name"] = "last";
        last["requisiteStageRefIds"] = new JsonArray("1");

        var run = await harness.RunAsync(new JsonObject { ["application"] = "shop", ["stages"] = new JsonArray(older, last) }.ToJsonString());

        Stage(run, "op").Status.ShouldBe(ExecutionStatus.Succeeded, Errors(Stage(run, "op")));
        Stage(run, "last").Status.ShouldBe(ExecutionStatus.Terminal);
        Errors(Stage(run, "last")).ShouldBe(
            "This cluster ('replicaSet web' in fake, prod) has traffic guards enabled. Resizing to 0 replicaSet web-v001 would leave the cluster with no instances up.");
        harness.Server.Get("apps/v1", "ReplicaSet", "prod", "web-v000")!["spec"]!["replicas"]!.GetValue<int>().ShouldBe(0);
        harness.Server.Get("apps/v1", "ReplicaSet", "prod", "web-v001")!["spec"]!["replicas"]!.GetValue<int>().ShouldBe(2);
    }

    private async Task SeedAsync(params JsonObject[] workloads)
    {
        foreach (var workload in workloads)
        {
            harness.Server.Put(workload);
        }

        await harness.Server.Controller.SettleAsync();
        harness.Server.ClearRequests();
    }

    private Task GuardAsync(string guards) =>
        harness.Services.GetRequiredService<IApplicationStore>().SaveAsync(
            new Application { Name = "shop", Extra = new Dictionary<string, JsonElement> { ["trafficGuards"] = JsonDocument.Parse(guards).RootElement.Clone() } },
            CancellationToken.None);

    private static JsonObject Operation(string type, string manifestName)
    {
        var stage = new JsonObject
        {
            ["refId"] = "1",
            ["type"] = type,
            ["name"] = "op",
            ["cloudProvider"] = "kubernetes",
            ["account"] = "fake",
            ["location"] = "prod",
            ["manifestName"] = manifestName,
        };
        switch (type)
        {
            case "deleteManifest":
                stage["options"] = new JsonObject { ["cascading"] = true };
                break;
            case "disableManifest":
                stage["loadBalancers"] = new JsonArray("service web");
                break;
            default:
                stage["replicas"] = 0;
                break;
        }

        return stage;
    }

    private static string Pipeline(JsonObject stage) => new JsonObject { ["application"] = "shop", ["stages"] = new JsonArray(stage) }.ToJsonString();

    private static JsonObject Deployment(string name, int replicas, string? cluster = null)
    {
        var annotations = new JsonObject { ["moniker.spinnaker.io/application"] = "shop" };
        if (cluster is not null)
        {
            annotations["moniker.spinnaker.io/cluster"] = cluster;
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "prod", ["labels"] = new JsonObject { ["app"] = "web" }, ["annotations"] = annotations },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web", ["deployment"] = name } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web", ["deployment"] = name, ["traffic"] = "web" } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "registry.example.com/web:1.0" }) },
                },
            },
        };
    }

    /// <summary>A versioned ReplicaSet of cluster <c>replicaSet web</c>, as deployManifest writes one.</summary>
    private static JsonObject ReplicaSet(string name) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "ReplicaSet",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "prod",
            ["annotations"] = new JsonObject { ["moniker.spinnaker.io/application"] = "shop", ["moniker.spinnaker.io/cluster"] = "replicaSet web" },
        },
        ["spec"] = new JsonObject
        {
            ["replicas"] = 2,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web", ["version"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web", ["version"] = name } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "registry.example.com/web:1.0" }) },
            },
        },
    };

    /// <summary>Routes to every pod labelled <c>traffic: web</c> (a label outside the Deployments' selectors, so disabling can remove it).</summary>
    private static JsonObject Service() => (JsonObject)JsonNode.Parse("""
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"prod"},
         "spec":{"selector":{"traffic":"web"},"ports":[{"port":80,"targetPort":8080}]}}
        """)!;
}
