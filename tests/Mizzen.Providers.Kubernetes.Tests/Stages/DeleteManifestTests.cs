using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Providers.Kubernetes.Tests.Infrastructure;
using static Mizzen.Providers.Kubernetes.Tests.Infrastructure.KubernetesPipelineHarness;
using static Mizzen.Providers.Kubernetes.Tests.Stages.DeployManifestTests;

namespace Mizzen.Providers.Kubernetes.Tests.Stages;

public sealed class DeleteManifestTests : IAsyncLifetime
{
    private KubernetesPipelineHarness harness = null!;

    public async Task InitializeAsync()
    {
        harness = await KubernetesPipelineHarness.StartAsync();
        (await harness.RunAsync(Pipeline(DeployStage(WebManifests())))).Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    private static JsonObject DeleteStage(Action<JsonObject> configure)
    {
        var stage = new JsonObject { ["refId"] = "1", ["type"] = "deleteManifest", ["name"] = "Delete", ["cloudProvider"] = "kubernetes", ["account"] = "fake", ["location"] = "prod" };
        configure(stage);
        return stage;
    }

    [Fact]
    public async Task Deleting_a_deployment_by_name_removes_its_replica_sets_and_pods_in_the_background()
    {
        harness.Server.List("v1", "Pod", "prod").Count.ShouldBe(2);

        var run = await harness.RunAsync(Pipeline(DeleteStage(s =>
        {
            s["manifestName"] = "deployment web";
            s["options"] = new JsonObject { ["cascading"] = true };
        })));

        run.Status.ShouldBe(ExecutionStatus.Succeeded, Errors(Stage(run, "Delete")));
        harness.Server.Get("apps/v1", "Deployment", "prod", "web").ShouldBeNull();
        (await harness.Server.WaitForAsync(s => s.List("v1", "Pod", "prod").Count == 0 && s.List("apps/v1", "ReplicaSet", "prod").Count == 0, TimeSpan.FromSeconds(20))).ShouldBeTrue();
        Stage(run, "Delete").Outputs["outputs.manifestNamesByNamespace"]!.ToJsonString().ShouldBe("""{"prod":["deployment web"]}""");
        harness.Server.Requests.Last(r => r.Verb == "delete").Body.ShouldContain("\"propagationPolicy\":\"Background\"");
    }

    [Fact]
    public async Task Deleting_without_cascade_orphans_the_pods()
    {
        var run = await harness.RunAsync(Pipeline(DeleteStage(s =>
        {
            s["manifestName"] = "deployment web";
            s["options"] = new JsonObject { ["cascading"] = "false" };
        })));

        run.Status.ShouldBe(ExecutionStatus.Succeeded, Errors(Stage(run, "Delete")));
        harness.Server.Requests.Last(r => r.Verb == "delete").Body.ShouldContain("\"propagationPolicy\":\"Orphan\"");
        harness.Server.List("apps/v1", "ReplicaSet", "prod").Count.ShouldBe(1);
    }

    [Fact]
    public async Task Deleting_by_label_removes_each_kind_that_matches()
    {
        var run = await harness.RunAsync(Pipeline(DeleteStage(s =>
        {
            s["kinds"] = new JsonArray("service", "configMap", "deployment");
            s["labelSelectors"] = new JsonObject
            {
                ["selectors"] = new JsonArray(new JsonObject { ["key"] = "app.kubernetes.io/managed-by", ["kind"] = "EQUALS", ["values"] = new JsonArray("spinnaker") }),
            };
        })));

        run.Status.ShouldBe(ExecutionStatus.Succeeded, Errors(Stage(run, "Delete")));
        Stage(run, "Delete").Outputs["outputs.manifestNamesByNamespace"]!["prod"]!.AsArray().Select(n => n!.ToString())
            .ShouldBe(["service web", "configMap web-settings-v000", "deployment web"]);
        harness.Server.List("v1", "Service", "prod").ShouldBeEmpty();
        harness.Server.List("v1", "ConfigMap", "prod").ShouldBeEmpty();
        harness.Server.Requests.ShouldContain(r => r.Verb == "list" && r.Query.Contains("labelSelector=app.kubernetes.io%2Fmanaged-by%3Dspinnaker"));
    }

    [Fact]
    public async Task Deleting_what_is_already_gone_succeeds()
    {
        var run = await harness.RunAsync(Pipeline(DeleteStage(s => s["manifestName"] = "configMap never-was")));

        run.Status.ShouldBe(ExecutionStatus.Succeeded, Errors(Stage(run, "Delete")));
    }
}
