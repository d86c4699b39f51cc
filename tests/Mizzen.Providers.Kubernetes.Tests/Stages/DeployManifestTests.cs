using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Providers.Kubernetes.Tests.Infrastructure;
using static Mizzen.Providers.Kubernetes.Tests.Infrastructure.KubernetesPipelineHarness;

namespace Mizzen.Providers.Kubernetes.Tests.Stages;

public sealed class DeployManifestTests : IAsyncLifetime
{
    private KubernetesPipelineHarness harness = null!;

    public async Task InitializeAsync() => harness = await KubernetesPipelineHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    internal static JsonArray WebManifests(string setting = "blue", string image = "registry.local/shop/web:1.0", int replicas = 2) => new(
        JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"prod"},
             "spec":{"replicas":__REPLICAS__,"selector":{"matchLabels":{"app":"web"}},
               "template":{"metadata":{"labels":{"app":"web"}},"spec":{
                 "containers":[{"name":"web","image":"__IMAGE__","envFrom":[{"configMapRef":{"name":"web-settings"}}]}],
                 "volumes":[{"name":"settings","configMap":{"name":"web-settings"}}]}}}}
            """.Replace("__REPLICAS__", $"{replicas}").Replace("__IMAGE__", image)),
        JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"prod"},
             "spec":{"selector":{"app":"web"},"ports":[{"port":80,"targetPort":8080}]}}
            """),
        JsonNode.Parse("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"web-settings","namespace":"prod"},"data":{"colour":"__SETTING__"}}
            """.Replace("__SETTING__", setting)));

    internal static string Pipeline(JsonObject stage) => new JsonObject { ["stages"] = new JsonArray(stage) }.ToJsonString();

    internal static JsonObject DeployStage(JsonArray manifests, string name = "Deploy") => new()
    {
        ["refId"] = "1",
        ["type"] = "deployManifest",
        ["name"] = name,
        ["cloudProvider"] = "kubernetes",
        ["account"] = "fake",
        ["moniker"] = new JsonObject { ["app"] = "shop" },
        ["source"] = "text",
        ["manifests"] = manifests,
    };

    private static JsonObject ImageTrigger(string reference) => new()
    {
        ["type"] = "manual",
        ["artifacts"] = new JsonArray(new JsonObject { ["type"] = "docker/image", ["name"] = "registry.local/shop/web", ["version"] = "2.0", ["reference"] = reference }),
    };

    [Fact]
    public async Task Deployment_Service_and_ConfigMap_deploy_through_the_engine_and_wait_until_stable()
    {
        var run = await harness.RunAsync(Pipeline(DeployStage(WebManifests())), ImageTrigger("registry.local/shop/web@sha256:feed"));

        var stage = Stage(run, "Deploy");
        run.Status.ShouldBe(ExecutionStatus.Succeeded, Errors(stage));
        var configMap = harness.Server.Get("v1", "ConfigMap", "prod", "web-settings-v000").ShouldNotBeNull();
        configMap["metadata"]!["annotations"]!["artifact.spinnaker.io/version"]!.GetValue<string>().ShouldBe("v000");
        var deployment = harness.Server.Get("apps/v1", "Deployment", "prod", "web").ShouldNotBeNull();
        var pod = deployment["spec"]!["template"]!["spec"]!;
        pod["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("registry.local/shop/web@sha256:feed");
        pod["containers"]![0]!["envFrom"]![0]!["configMapRef"]!["name"]!.GetValue<string>().ShouldBe("web-settings-v000");
        pod["volumes"]![0]!["configMap"]!["name"]!.GetValue<string>().ShouldBe("web-settings-v000");
        var annotations = deployment["metadata"]!["annotations"]!;
        annotations["moniker.spinnaker.io/application"]!.GetValue<string>().ShouldBe("shop");
        annotations["moniker.spinnaker.io/cluster"]!.GetValue<string>().ShouldBe("deployment web");
        deployment["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>().ShouldBe("spinnaker");
        deployment["status"]!["readyReplicas"]!.ToString().ShouldBe("2");
        harness.Server.Get("v1", "Service", "prod", "web").ShouldNotBeNull();

        stage.Outputs["outputs.manifestNamesByNamespace"]!.ToJsonString().ShouldBe("""{"prod":["configMap web-settings-v000","service web","deployment web"]}""");
        var created = stage.Outputs["outputs.createdArtifacts"]!.AsArray();
        created.Select(a => a!["type"]!.GetValue<string>()).ShouldBe(["kubernetes/configMap", "kubernetes/service", "kubernetes/deployment"]);
        created[0]!["reference"]!.GetValue<string>().ShouldBe("web-settings-v000");
        created[0]!["metadata"]!["account"]!.GetValue<string>().ShouldBe("fake");
        stage.Outputs["outputs.boundArtifacts"]!.AsArray().Select(a => a!["type"]!.GetValue<string>()).ShouldBe(["docker/image", "kubernetes/configMap"], ignoreOrder: true);
        stage.Outputs["outputs.manifests"]!.AsArray().Count.ShouldBe(3);
        stage.Outputs["artifacts"]!.AsArray().Count.ShouldBe(3);
    }

    [Fact]
    public async Task An_unchanged_ConfigMap_keeps_its_version_and_a_changed_one_gets_the_next()
    {
        (await harness.RunAsync(Pipeline(DeployStage(WebManifests("blue"))))).Status.ShouldBe(ExecutionStatus.Succeeded);
        (await harness.RunAsync(Pipeline(DeployStage(WebManifests("blue"))))).Status.ShouldBe(ExecutionStatus.Succeeded);
        harness.Server.List("v1", "ConfigMap", "prod").Count.ShouldBe(1);

        var third = await harness.RunAsync(Pipeline(DeployStage(WebManifests("green"))));

        third.Status.ShouldBe(ExecutionStatus.Succeeded, Errors(Stage(third, "Deploy")));
        harness.Server.List("v1", "ConfigMap", "prod").Select(c => c["metadata"]!["name"]!.GetValue<string>()).ShouldBe(["web-settings-v000", "web-settings-v001"], ignoreOrder: true);
        harness.Server.Get("apps/v1", "Deployment", "prod", "web")!["spec"]!["template"]!["spec"]!["volumes"]![0]!["configMap"]!["name"]!.GetValue<string>().ShouldBe("web-settings-v001");
    }

    [Fact]
    public async Task Max_version_history_deletes_the_oldest_versions()
    {
        foreach (var colour in new[] { "a", "b", "c" })
        {
            var manifests = WebManifests(colour);
            manifests[2]!["metadata"]!["annotations"] = new JsonObject { ["strategy.spinnaker.io/max-version-history"] = "2" };
            (await harness.RunAsync(Pipeline(DeployStage(manifests)))).Status.ShouldBe(ExecutionStatus.Succeeded);
        }

        harness.Server.List("v1", "ConfigMap", "prod").Select(c => c["metadata"]!["name"]!.GetValue<string>()).ShouldBe(["web-settings-v001", "web-settings-v002"], ignoreOrder: true);
    }

    [Fact]
    public async Task Several_documents_in_one_yaml_text_with_a_namespace_override_and_expressions()
    {
        var stage = DeployStage([]);
        stage["manifests"] = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {build: "${trigger['buildNumber']}"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: raw, annotations: {strategy.spinnaker.io/versioned: "false"}}
            data: {template: "$${not.an.expression}"}
            """;
        stage["namespaceOverride"] = "default";

        var run = await harness.RunAsync(Pipeline(stage), new JsonObject { ["type"] = "manual", ["buildNumber"] = 42 });

        run.Status.ShouldBe(ExecutionStatus.Succeeded, Errors(Stage(run, "Deploy")));
        harness.Server.Get("v1", "ConfigMap", "default", "settings-v000")!["data"]!["build"]!.ToString().ShouldBe("42");
        harness.Server.Get("v1", "ConfigMap", "default", "raw").ShouldNotBeNull();
    }

    [Fact]
    public async Task Skip_expression_evaluation_deploys_the_manifest_as_written()
    {
        var manifests = new JsonArray(JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"tpl","namespace":"prod"},"data":{"x":"${ trigger.user }"}}"""));
        var stage = DeployStage(manifests);
        stage["skipExpressionEvaluation"] = true;

        var run = await harness.RunAsync(Pipeline(stage));

        run.Status.ShouldBe(ExecutionStatus.Succeeded, Errors(Stage(run, "Deploy")));
        harness.Server.Get("v1", "ConfigMap", "prod", "tpl-v000")!["data"]!["x"]!.GetValue<string>().ShouldBe("${ trigger.user }");
    }

    [Fact]
    public async Task A_required_artifact_that_binds_nothing_fails_the_stage_naming_it()
    {
        var stage = DeployStage(WebManifests(image: "registry.local/other:1"));
        stage["requiredArtifacts"] = new JsonArray(new JsonObject { ["artifact"] = new JsonObject { ["type"] = "docker/image", ["name"] = "registry.local/shop/web", ["reference"] = "registry.local/shop/web:2" } });

        var run = await harness.RunAsync(Pipeline(stage));

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        Errors(Stage(run, "Deploy")).ShouldContain("required artifacts could not be bound: docker/image registry.local/shop/web");
    }

    [Fact]
    public async Task An_unknown_account_fails_naming_the_configured_ones()
    {
        var stage = DeployStage(WebManifests());
        stage["account"] = "nope";

        var run = await harness.RunAsync(Pipeline(stage));

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        Errors(Stage(run, "Deploy")).ShouldContain("No kubernetes account 'nope' is configured; available: fake");
    }
}
