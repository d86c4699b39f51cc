using System.Text.Json.Nodes;
using Mizzen.Testing.Kubernetes;

namespace Mizzen.Providers.Kubernetes.Tests.FakeApiServer;

/// <summary>
/// The fake Kubernetes API server checked against a real client: kubectl applies (client-side and server-side), gets,
/// waits for a rollout (it watches), scales, rolls back and deletes, and the fake's stored objects and kubectl's output
/// must agree with what a real cluster would give. kubectl validates with the server's field validation, which it finds
/// in the fake's OpenAPI v3 discovery, so no <c>--validate=false</c> is needed.
/// </summary>
public sealed class KubectlAgainstFakeTests : IAsyncLifetime
{
    private const string Manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: app
                image: nginx:IMAGE_TAG
                ports:
                - containerPort: 80
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector: {app: web}
          ports:
          - port: 80
        """;

    private readonly string folder = Directory.CreateTempSubdirectory("mizzen-kubectl-").FullName;
    private FakeKubernetesApiServer fake = null!;
    private Kubectl kubectl = null!;

    public async Task InitializeAsync()
    {
        fake = await FakeKubernetesApiServer.StartAsync();
        kubectl = Kubectl.For(fake, folder);
    }

    public async Task DisposeAsync()
    {
        await fake.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private string ManifestFile(string tag) => kubectl.File($"web-{tag}.yaml", Manifest.Replace("IMAGE_TAG", tag, StringComparison.Ordinal));

    private JsonObject Deployment() => fake.Get("apps/v1", "Deployment", "default", "web").ShouldNotBeNull();

    private List<JsonObject> ReplicaSets() => [.. fake.List("apps/v1", "ReplicaSet", "default")];

    [Fact]
    public async Task Apply_creates_the_objects_and_rollout_status_watches_until_the_controller_has_rolled_out()
    {
        var apply = (await kubectl.RunAsync("apply", "-f", ManifestFile("1.25"))).ShouldSucceed();
        apply.Stdout.ShouldContain("deployment.apps/web created");
        apply.Stdout.ShouldContain("service/web created");
        Deployment()["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"].ShouldNotBeNull();
        fake.Get("v1", "Service", "default", "web")!["spec"]!["clusterIP"]!.GetValue<string>().ShouldStartWith("10.96.");

        var status = (await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=60s")).ShouldSucceed();

        status.Stdout.ShouldContain("deployment \"web\" successfully rolled out");
        fake.Requests.ShouldContain(r => r.Verb == "watch" && r.Resource == "deployments");
        var rs = ReplicaSets().ShouldHaveSingleItem();
        var hash = rs["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>();
        FakeObjectName(rs).ShouldBe($"web-{hash}");
        rs["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>().ShouldBe("1");
        var pods = fake.List("v1", "Pod", "default");
        pods.Count.ShouldBe(2);
        pods.ShouldAllBe(p => p["status"]!["phase"]!.GetValue<string>() == "Running");
        var deploymentStatus = Deployment()["status"]!;
        deploymentStatus["readyReplicas"]!.GetValue<int>().ShouldBe(2);
        deploymentStatus["availableReplicas"]!.GetValue<int>().ShouldBe(2);
        deploymentStatus["observedGeneration"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public async Task Applying_a_new_image_sends_a_strategic_merge_patch_and_rolls_a_second_replica_set()
    {
        (await kubectl.RunAsync("apply", "-f", ManifestFile("1.25"))).ShouldSucceed();
        (await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=60s")).ShouldSucceed();
        fake.ClearRequests();

        var apply = (await kubectl.RunAsync("apply", "-f", ManifestFile("1.26"))).ShouldSucceed();
        (await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=60s")).ShouldSucceed();

        apply.Stdout.ShouldContain("deployment.apps/web configured");
        apply.Stdout.ShouldContain("service/web unchanged");
        var patch = fake.Requests.Where(r => r.Verb == "patch" && r.Resource == "deployments").ShouldHaveSingleItem();
        patch.ContentType.ShouldBe("application/strategic-merge-patch+json");
        patch.Body.ShouldContain("$setElementOrder/containers");
        Image(Deployment()).ShouldBe("nginx:1.26");
        Deployment()["metadata"]!["generation"]!.GetValue<long>().ShouldBe(2);
        var sets = ReplicaSets().ToDictionary(rs => Image(rs));
        sets["nginx:1.25"]["spec"]!["replicas"]!.GetValue<int>().ShouldBe(0);
        sets["nginx:1.26"]["spec"]!["replicas"]!.GetValue<int>().ShouldBe(2);
        sets["nginx:1.26"]["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>().ShouldBe("2");
        fake.List("v1", "Pod", "default").ShouldAllBe(p => Image(p) == "nginx:1.26");
    }

    /// <summary>The first container's image of a pod, or of a workload's pod template.</summary>
    private static string Image(JsonObject obj) => obj["kind"]!.GetValue<string>() == "Pod"
        ? obj["spec"]!["containers"]![0]!["image"]!.GetValue<string>()
        : obj["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    [Fact]
    public async Task Rollout_undo_brings_back_the_previous_replica_set_with_the_next_revision()
    {
        (await kubectl.RunAsync("apply", "-f", ManifestFile("1.25"))).ShouldSucceed();
        (await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=60s")).ShouldSucceed();
        (await kubectl.RunAsync("apply", "-f", ManifestFile("1.26"))).ShouldSucceed();
        (await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=60s")).ShouldSucceed();

        var undo = (await kubectl.RunAsync("rollout", "undo", "deployment/web")).ShouldSucceed();
        (await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=60s")).ShouldSucceed();

        undo.Stdout.ShouldContain("deployment.apps/web rolled back");
        Image(Deployment()).ShouldBe("nginx:1.25");
        var sets = ReplicaSets();
        sets.Count.ShouldBe(2, "the old ReplicaSet is reused, not a third one created");
        var restored = sets.Single(rs => Image(rs) == "nginx:1.25");
        restored["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>().ShouldBe("3");
        restored["spec"]!["replicas"]!.GetValue<int>().ShouldBe(2);
        Deployment()["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>().ShouldBe("3");
    }

    [Fact]
    public async Task Server_side_apply_sends_an_apply_patch_with_kubectls_field_manager()
    {
        var apply = (await kubectl.RunAsync("apply", "--server-side", "-f", ManifestFile("1.25"))).ShouldSucceed();
        (await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=60s")).ShouldSucceed();

        apply.Stdout.ShouldContain("deployment.apps/web serverside-applied");
        var patch = fake.Requests.First(r => r.Verb == "patch" && r.Resource == "deployments");
        patch.ContentType.ShouldBe("application/apply-patch+yaml");
        patch.Query.ShouldContain("fieldManager=kubectl");
        var managers = Deployment()["metadata"]!["managedFields"]!.AsArray();
        managers.ShouldContain(m => m!["manager"]!.GetValue<string>() == "kubectl" && m["operation"]!.GetValue<string>() == "Apply");
        fake.List("v1", "Pod", "default").Count.ShouldBe(2);
    }

    [Fact]
    public async Task Server_side_apply_after_client_side_apply_takes_over_the_fields_kubectl_applied_before()
    {
        (await kubectl.RunAsync("apply", "-f", ManifestFile("1.25"))).ShouldSucceed();

        var apply = (await kubectl.RunAsync("apply", "--server-side", "-f", ManifestFile("1.26"))).ShouldSucceed();
        (await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=60s")).ShouldSucceed();

        apply.Stdout.ShouldContain("deployment.apps/web serverside-applied");
        Image(Deployment()).ShouldBe("nginx:1.26");
        var managers = Deployment()["metadata"]!["managedFields"]!.AsArray();
        var kubectlFields = managers.Single(m => m!["manager"]!.GetValue<string>() == "kubectl" && m["operation"]!.GetValue<string>() == "Apply")!;
        kubectlFields["fieldsV1"]!["f:spec"]!["f:template"].ShouldNotBeNull();
        fake.List("v1", "Pod", "default").ShouldAllBe(p => Image(p) == "nginx:1.26");
    }

    [Fact]
    public async Task Get_with_a_label_selector_prints_only_the_matching_objects_as_json()
    {
        foreach (var (name, tier) in new[] { ("front", "web"), ("back", "db"), ("edge", "web") })
        {
            fake.Put(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["labels"] = new JsonObject { ["tier"] = tier } },
                ["data"] = new JsonObject { ["k"] = name },
            });
        }

        var get = (await kubectl.RunAsync("get", "configmaps", "-l", "tier=web", "-o", "json")).ShouldSucceed();
        var notIn = (await kubectl.RunAsync("get", "configmaps", "-l", "tier notin (web)", "-o", "name")).ShouldSucceed();

        var list = JsonNode.Parse(get.Stdout)!.AsObject();
        list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).Order().ShouldBe(["edge", "front"]);
        notIn.Stdout.Trim().ShouldBe("configmap/back");
        fake.Requests.ShouldContain(r => r.Verb == "list" && r.Query.Contains("labelSelector=tier%3Dweb", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scale_changes_the_replicas_through_the_scale_subresource_and_the_controller_adds_pods()
    {
        (await kubectl.RunAsync("apply", "-f", ManifestFile("1.25"))).ShouldSucceed();

        var scale = (await kubectl.RunAsync("scale", "deployment/web", "--replicas=4")).ShouldSucceed();
        (await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=60s")).ShouldSucceed();

        scale.Stdout.ShouldContain("deployment.apps/web scaled");
        fake.Requests.ShouldContain(r => r.Resource == "deployments/scale" && r.Verb == "patch");
        Deployment()["spec"]!["replicas"]!.GetValue<int>().ShouldBe(4);
        fake.List("v1", "Pod", "default").Count.ShouldBe(4);
        Deployment()["status"]!["availableReplicas"]!.GetValue<int>().ShouldBe(4);
    }

    [Fact]
    public async Task Delete_with_cascade_orphan_keeps_the_replica_sets_and_foreground_removes_them_and_their_pods()
    {
        (await kubectl.RunAsync("apply", "-f", ManifestFile("1.25"))).ShouldSucceed();
        (await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=60s")).ShouldSucceed();

        var orphan = (await kubectl.RunAsync("delete", "deployment", "web", "--cascade=orphan")).ShouldSucceed();

        orphan.Stdout.ShouldContain("deployment.apps \"web\" deleted");
        fake.Get("apps/v1", "Deployment", "default", "web").ShouldBeNull();
        var rs = ReplicaSets().ShouldHaveSingleItem();
        rs["metadata"]!["ownerReferences"].ShouldBeNull();
        fake.List("v1", "Pod", "default").Count.ShouldBe(2);

        var foreground = (await kubectl.RunAsync("delete", "replicaset", FakeObjectName(rs), "--cascade=foreground")).ShouldSucceed();

        foreground.Stdout.ShouldContain("deleted");
        fake.Requests.ShouldContain(r => r.Verb == "delete" && r.Body.Contains("\"propagationPolicy\":\"Foreground\"", StringComparison.Ordinal));
        ReplicaSets().ShouldBeEmpty();
        fake.List("v1", "Pod", "default").ShouldBeEmpty();
    }

    [Fact]
    public async Task Delete_f_with_the_default_cascade_takes_the_dependents_along()
    {
        var file = ManifestFile("1.25");
        (await kubectl.RunAsync("apply", "-f", file)).ShouldSucceed();
        (await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=60s")).ShouldSucceed();

        var delete = (await kubectl.RunAsync("delete", "-f", file)).ShouldSucceed();

        delete.Stdout.ShouldContain("service \"web\" deleted");
        fake.List("apps/v1", "Deployment", "default").ShouldBeEmpty();
        ReplicaSets().ShouldBeEmpty();
        fake.List("v1", "Pod", "default").ShouldBeEmpty();
        fake.List("v1", "Service", "default").ShouldBeEmpty();
    }

    [Fact]
    public async Task Rollout_status_fails_when_the_deployment_exceeds_its_progress_deadline()
    {
        fake.Controller.StallProgress("web");
        (await kubectl.RunAsync("apply", "-f", ManifestFile("1.25"))).ShouldSucceed();

        var status = await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=60s");

        status.ExitCode.ShouldBe(1);
        status.Stderr.ShouldContain("exceeded its progress deadline");
    }

    [Fact]
    public async Task An_istio_virtual_service_applies_as_a_custom_resource_with_merge_patches()
    {
        const string vs = """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: web
            spec:
              hosts: [web]
              http:
              - route:
                - destination: {host: web, subset: stable}
                  weight: WEIGHT_STABLE
                - destination: {host: web, subset: canary}
                  weight: WEIGHT_CANARY
            """;
        (await kubectl.RunAsync("apply", "-f", kubectl.File("vs1.yaml", vs.Replace("WEIGHT_STABLE", "90", StringComparison.Ordinal).Replace("WEIGHT_CANARY", "10", StringComparison.Ordinal)))).ShouldSucceed();
        fake.ClearRequests();

        var apply = (await kubectl.RunAsync("apply", "-f", kubectl.File("vs2.yaml", vs.Replace("WEIGHT_STABLE", "75", StringComparison.Ordinal).Replace("WEIGHT_CANARY", "25", StringComparison.Ordinal)))).ShouldSucceed();
        var get = (await kubectl.RunAsync("get", "virtualservices.v1.networking.istio.io", "web", "-o", "json")).ShouldSucceed();

        apply.Stdout.ShouldContain("virtualservice.networking.istio.io/web configured");
        fake.Requests.ShouldContain(r => r.Verb == "patch" && r.ContentType == "application/merge-patch+json");
        var stored = fake.Get("networking.istio.io/v1beta1", "VirtualService", "default", "web").ShouldNotBeNull();
        var weights = stored["spec"]!["http"]![0]!["route"]!.AsArray().Select(r => r!["weight"]!.GetValue<int>()).ToList();
        weights.ShouldBe([75, 25]);
        JsonNode.Parse(get.Stdout)!["apiVersion"]!.GetValue<string>().ShouldBe("networking.istio.io/v1");
    }

    private static string FakeObjectName(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();
}
