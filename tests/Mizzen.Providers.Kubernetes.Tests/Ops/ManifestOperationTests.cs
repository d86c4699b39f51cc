using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Providers.Kubernetes.Stages.Operations;
using Mizzen.Providers.Kubernetes.Tests.Infrastructure;

namespace Mizzen.Providers.Kubernetes.Tests.Ops;

/// <summary>patch, scale, rolling restart, undo rollout and findArtifactsFromResource through the engine, against the fake API server.</summary>
public sealed class ManifestOperationTests : IAsyncLifetime
{
    private KubernetesPipelineHarness engine = null!;

    public async Task InitializeAsync() => engine = await KubernetesPipelineHarness.StartAsync(accountName: "k8s", application: "app");

    public async Task DisposeAsync() => await engine.DisposeAsync();

    [Fact]
    public async Task Scale_then_patches_with_bound_images_then_a_restart_each_change_the_deployment_and_wait_until_it_is_stable()
    {
        await engine.SeedAsync(Objects.Deployment("web", "registry.example.com/web:1.0"));
        var trigger = new JsonObject
        {
            ["type"] = "manual",
            ["artifacts"] = new JsonArray(new JsonObject { ["type"] = "docker/image", ["name"] = "registry.example.com/web", ["reference"] = "registry.example.com/web:2.0" }),
        };

        var run = await engine.RunAsync("""
            {"stages":[
              {"refId":"1","type":"scaleManifest","name":"scale","account":"k8s","cloudProvider":"kubernetes","manifestName":"deployment web","location":"default","replicas":"3"},
              {"refId":"2","requisiteStageRefIds":["1"],"type":"patchManifest","name":"strategic","account":"k8s","manifestName":"deployment web","location":"default",
               "options":{"mergeStrategy":"strategic"},
               "patchBody":{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"registry.example.com/web:latest"}]}}}}},
              {"refId":"3","requisiteStageRefIds":["2"],"type":"patchManifest","name":"merge","account":"k8s","manifestName":"deployment web","location":"default",
               "options":{"mergeStrategy":"merge"},"patchBody":{"metadata":{"labels":{"team":"blue"}}}},
              {"refId":"4","requisiteStageRefIds":["3"],"type":"patchManifest","name":"json","account":"k8s","manifestName":"deployment web","location":"default",
               "options":{"mergeStrategy":"json"},"patchBody":[{"op":"add","path":"/metadata/annotations/owner","value":"sre"}]},
              {"refId":"5","requisiteStageRefIds":["4"],"type":"rollingRestartManifest","name":"restart","account":"k8s","manifestName":"deployment web","location":"default"}
            ]}
            """, trigger);

        run.Status.ShouldBe(ExecutionStatus.Succeeded, Describe(run));
        var deployment = engine.Server.Get("apps/v1", "Deployment", "default", "web")!;
        deployment["spec"]!["replicas"]!.GetValue<int>().ShouldBe(3);
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("registry.example.com/web:2.0");
        deployment["metadata"]!["labels"]!["team"]!.GetValue<string>().ShouldBe("blue");
        deployment["metadata"]!["annotations"]!["owner"]!.GetValue<string>().ShouldBe("sre");
        var restartedAt = run.Stages.Single(s => s.Name == "restart").Outputs["restartedAt"]!.GetValue<string>();
        deployment["spec"]!["template"]!["metadata"]!["annotations"]![RollingRestartManifestTask.RestartedAtAnnotation]!.GetValue<string>().ShouldBe(restartedAt);
        run.Stages.Single(s => s.Name == "strategic").Outputs["boundArtifacts"]!.AsArray().Count.ShouldBe(1);

        var patches = engine.Server.Requests.Where(r => r.Verb == "patch" && r.Name == "web").ToList();
        patches.Select(p => (p.Resource, p.ContentType?.Split(';')[0])).ShouldBe([
            ("deployments/scale", "application/merge-patch+json"),
            ("deployments", "application/strategic-merge-patch+json"),
            ("deployments", "application/merge-patch+json"),
            ("deployments", "application/json-patch+json"),
            ("deployments", "application/strategic-merge-patch+json"),
        ]);
        run.Stages.ShouldAllBe(s => s.Tasks.Any(t => t.Name == "waitForManifestToStabilize") || s.Type == "findArtifactsFromResource");
    }

    [Fact]
    public async Task A_dynamic_target_scales_the_newest_member_of_the_cluster()
    {
        var deployment = Objects.Deployment("web", "registry.example.com/web:1.0");
        deployment["metadata"]!["annotations"]!["moniker.spinnaker.io/cluster"] = "deployment web";
        await engine.SeedAsync(deployment);

        var run = await engine.RunAsync("""
            {"stages":[{"refId":"1","type":"scaleManifest","name":"scale","account":"k8s","location":"default","app":"app",
               "mode":"dynamic","cluster":"deployment web","criteria":"newest","kind":"deployment","replicas":2}]}
            """);

        run.Status.ShouldBe(ExecutionStatus.Succeeded, Describe(run));
        engine.Server.Get("apps/v1", "Deployment", "default", "web")!["spec"]!["replicas"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task A_required_artifact_that_binds_nothing_fails_the_patch_and_changes_nothing()
    {
        await engine.SeedAsync(Objects.Deployment("web", "registry.example.com/web:1.0"));

        var run = await engine.RunAsync("""
            {"stages":[{"refId":"1","type":"patchManifest","name":"patch","account":"k8s","manifestName":"deployment web","location":"default",
               "options":{"mergeStrategy":"strategic"},
               "requiredArtifacts":[{"artifact":{"type":"docker/image","name":"registry.example.com/other","reference":"registry.example.com/other:9"}}],
               "patchBody":{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"registry.example.com/web:latest"}]}}}}}]}
            """);

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        Describe(run).ShouldContain("required artifacts could not be bound: docker/image 'registry.example.com/other'");
        engine.Server.Requests.ShouldNotContain(r => r.Verb == "patch");
    }

    [Fact]
    public async Task Undo_rollout_goes_back_to_the_previous_revisions_template()
    {
        await engine.SeedAsync(Objects.Deployment("web", "registry.example.com/web:1.0"));
        await engine.SeedAsync(Objects.Deployment("web", "registry.example.com/web:2.0"));
        engine.Server.List("apps/v1", "ReplicaSet", "default").Count.ShouldBe(2);

        var run = await engine.RunAsync("""
            {"stages":[{"refId":"1","type":"undoRolloutManifest","name":"undo","account":"k8s","manifestName":"deployment web","location":"default","numRevisionsBack":1}]}
            """);

        run.Status.ShouldBe(ExecutionStatus.Succeeded, Describe(run));
        run.Stages[0].Outputs["revision"]!.GetValue<long>().ShouldBe(1);
        var deployment = engine.Server.Get("apps/v1", "Deployment", "default", "web")!;
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("registry.example.com/web:1.0");
        deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject().ContainsKey("pod-template-hash").ShouldBeFalse();
    }

    [Fact]
    public async Task Undo_past_the_oldest_revision_fails_naming_numRevisionsBack()
    {
        await engine.SeedAsync(Objects.Deployment("web", "registry.example.com/web:1.0"));

        var run = await engine.RunAsync("""
            {"stages":[{"refId":"1","type":"undoRolloutManifest","name":"undo","account":"k8s","manifestName":"deployment web","location":"default","numRevisionsBack":1}]}
            """);

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        Describe(run).ShouldContain("numRevisionsBack: deployment web has revisions 1: cannot go back 1");
    }

    [Fact]
    public async Task Find_artifacts_from_resource_outputs_the_images_and_the_versioned_config_map()
    {
        await engine.SeedAsync(Objects.Deployment("web", "registry.example.com/web@sha256:abc"));

        var run = await engine.RunAsync("""
            {"stages":[{"refId":"1","type":"findArtifactsFromResource","name":"find","account":"k8s","manifestName":"deployment web","location":"default"}]}
            """);

        run.Status.ShouldBe(ExecutionStatus.Succeeded, Describe(run));
        var artifacts = run.Stages[0].Outputs["artifacts"]!.AsArray().Select(a => a!.ToJsonString()).ToList();
        artifacts.ShouldBe([
            """{"type":"docker/image","name":"registry.example.com/web","reference":"registry.example.com/web@sha256:abc"}""",
            """{"type":"kubernetes/configMap","name":"web-config","reference":"web-config-v002","location":"default","metadata":{"account":"k8s"},"version":"v002"}""",
        ]);
        run.Stages[0].Outputs["manifest"]!["metadata"]!["name"]!.GetValue<string>().ShouldBe("web");
    }

    internal static string Describe(PipelineExecution run) =>
        string.Join("; ", run.Stages.Select(s => $"{s.Name}={s.Status} " + string.Join(" | ", (s.Context["exception"]?["details"]?["errors"] as JsonArray ?? []).Select(e => e?.GetValue<string>()))));
}
