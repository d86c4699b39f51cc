using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Testing.Kubernetes;

namespace Mizzen.Providers.Kubernetes.Tests.FakeApiServer;

/// <summary>
/// The fake Kubernetes API server over plain HTTP, for what kubectl does not show directly: 409 Status objects, watch
/// events, propagation through ownerReferences, the patch formats, server-side apply conflicts, logs and the controller's
/// failure switches.
/// </summary>
public sealed class FakeApiServerHttpTests : IAsyncLifetime
{
    private FakeKubernetesApiServer fake = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        fake = await FakeKubernetesApiServer.StartAsync();
        http = new HttpClient { BaseAddress = fake.Url, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await fake.DisposeAsync();
    }

    private static JsonObject ConfigMap(string name, string value, string? resourceVersion = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = resourceVersion is null
            ? new JsonObject { ["name"] = name }
            : new JsonObject { ["name"] = name, ["resourceVersion"] = resourceVersion },
        ["data"] = new JsonObject { ["value"] = value },
    };

    private static JsonObject Deployment(string name, params (string Name, string Image)[] containers) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = name } },
        ["spec"] = new JsonObject
        {
            ["replicas"] = 2,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray([.. containers.Select(c => (JsonNode)new JsonObject
                    {
                        ["name"] = c.Name,
                        ["image"] = c.Image,
                        ["env"] = new JsonArray(new JsonObject { ["name"] = "MODE", ["value"] = "blue" }),
                    })]),
                },
            },
        },
    };

    private async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    [Fact]
    public async Task A_put_with_a_stale_resource_version_is_refused_with_a_409_Conflict_status()
    {
        var (created, first) = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("settings", "one"));
        created.ShouldBe(HttpStatusCode.Created);
        var staleVersion = first["metadata"]!["resourceVersion"]!.GetValue<string>();
        var (updated, second) = await SendAsync(HttpMethod.Put, "/api/v1/namespaces/default/configmaps/settings", ConfigMap("settings", "two", staleVersion));
        updated.ShouldBe(HttpStatusCode.OK);
        second["metadata"]!["resourceVersion"]!.GetValue<string>().ShouldNotBe(staleVersion);

        var (status, error) = await SendAsync(HttpMethod.Put, "/api/v1/namespaces/default/configmaps/settings", ConfigMap("settings", "three", staleVersion));

        status.ShouldBe(HttpStatusCode.Conflict);
        error["kind"]!.GetValue<string>().ShouldBe("Status");
        error["reason"]!.GetValue<string>().ShouldBe("Conflict");
        error["code"]!.GetValue<int>().ShouldBe(409);
        error["message"]!.GetValue<string>().ShouldContain("the object has been modified");
        fake.Get("v1", "ConfigMap", "default", "settings")!["data"]!["value"]!.GetValue<string>().ShouldBe("two");
    }

    [Fact]
    public async Task Creating_an_existing_object_is_409_AlreadyExists_and_a_missing_one_404_NotFound()
    {
        await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("settings", "one"));

        var (again, exists) = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("settings", "two"));
        var (missing, notFound) = await SendAsync(HttpMethod.Get, "/apis/apps/v1/namespaces/default/deployments/nope");
        var (noNamespace, nsError) = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/elsewhere/configmaps", ConfigMap("settings", "one"));

        again.ShouldBe(HttpStatusCode.Conflict);
        exists["reason"]!.GetValue<string>().ShouldBe("AlreadyExists");
        missing.ShouldBe(HttpStatusCode.NotFound);
        notFound["message"]!.GetValue<string>().ShouldBe("deployments.apps \"nope\" not found");
        noNamespace.ShouldBe(HttpStatusCode.NotFound);
        nsError["message"]!.GetValue<string>().ShouldBe("namespaces \"elsewhere\" not found");
    }

    [Fact]
    public async Task A_watch_from_a_resource_version_streams_modified_and_deleted_events_for_its_selector()
    {
        var (_, first) = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("watched", "one"));
        var from = first["metadata"]!["resourceVersion"]!.GetValue<string>();
        await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("other", "x"));
        await SendAsync(HttpMethod.Put, "/api/v1/namespaces/default/configmaps/watched", ConfigMap("watched", "two"));
        await SendAsync(HttpMethod.Put, "/api/v1/namespaces/default/configmaps/other", ConfigMap("other", "y"));
        await SendAsync(HttpMethod.Delete, "/api/v1/namespaces/default/configmaps/watched");

        using var response = await http.GetAsync(
            $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={from}&fieldSelector=metadata.name%3Dwatched&timeoutSeconds=30",
            HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var modified = JsonNode.Parse((await reader.ReadLineAsync())!)!;
        var deleted = JsonNode.Parse((await reader.ReadLineAsync())!)!;

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        modified["type"]!.GetValue<string>().ShouldBe("MODIFIED");
        modified["object"]!["data"]!["value"]!.GetValue<string>().ShouldBe("two");
        deleted["type"]!.GetValue<string>().ShouldBe("DELETED");
        deleted["object"]!["metadata"]!["name"]!.GetValue<string>().ShouldBe("watched");

        await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("watched", "three"));
        var added = JsonNode.Parse((await reader.ReadLineAsync())!)!;
        added["type"]!.GetValue<string>().ShouldBe("ADDED");
        added["object"]!["data"]!["value"]!.GetValue<string>().ShouldBe("three");
    }

    [Fact]
    public async Task A_strategic_merge_patch_merges_containers_and_env_by_name_and_deletes_by_directive()
    {
        fake.Controller.AutoRollout = false;
        await SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments", Deployment("web", ("app", "nginx:1.25"), ("sidecar", "envoy:1.30")));
        var patch = JsonNode.Parse("""
            {"spec":{"template":{"spec":{"containers":[
              {"name":"app","image":"nginx:1.26","env":[{"name":"EXTRA","value":"1"}]},
              {"name":"sidecar","$patch":"delete"},
              {"name":"logger","image":"fluent:2"}]}}}}
            """);

        var (status, patched) = await SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/default/deployments/web", patch, "application/strategic-merge-patch+json");

        status.ShouldBe(HttpStatusCode.OK);
        var containers = patched["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        containers.Select(c => c!["name"]!.GetValue<string>()).ShouldBe(["app", "logger"]);
        containers[0]!["image"]!.GetValue<string>().ShouldBe("nginx:1.26");
        containers[0]!["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()).ShouldBe(["MODE", "EXTRA"]);
        patched["metadata"]!["generation"]!.GetValue<long>().ShouldBe(2);

        var (merge, merged) = await SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/default/deployments/web",
            JsonNode.Parse("""{"spec":{"template":{"spec":{"containers":[{"name":"only","image":"x:1"}]}}}}"""), "application/merge-patch+json");
        merge.ShouldBe(HttpStatusCode.OK);
        merged["spec"]!["template"]!["spec"]!["containers"]!.AsArray().ShouldHaveSingleItem()!["name"]!.GetValue<string>().ShouldBe("only");

        var (json, jsonPatched) = await SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/default/deployments/web",
            JsonNode.Parse("""[{"op":"test","path":"/spec/replicas","value":2},{"op":"replace","path":"/spec/replicas","value":5},{"op":"add","path":"/metadata/labels/tier","value":"front"}]"""),
            "application/json-patch+json");
        json.ShouldBe(HttpStatusCode.OK);
        jsonPatched["spec"]!["replicas"]!.GetValue<int>().ShouldBe(5);
        jsonPatched["metadata"]!["labels"]!["tier"]!.GetValue<string>().ShouldBe("front");
    }

    [Fact]
    public async Task Server_side_apply_conflicts_with_another_managers_field_unless_forced_and_drops_fields_it_no_longer_applies()
    {
        fake.Controller.AutoRollout = false;
        const string path = "/apis/apps/v1/namespaces/default/deployments/web?fieldManager=mizzen";
        var config = Deployment("web", ("app", "nginx:1.25"));
        config["metadata"]!["labels"]!["team"] = "delivery";
        var (created, _) = await SendAsync(HttpMethod.Patch, path, config, "application/apply-patch+yaml");
        created.ShouldBe(HttpStatusCode.Created);
        await SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/default/deployments/web/scale?fieldManager=autoscaler",
            JsonNode.Parse("""{"spec":{"replicas":7}}"""), "application/merge-patch+json");

        var (conflict, error) = await SendAsync(HttpMethod.Patch, path, config, "application/apply-patch+yaml");

        conflict.ShouldBe(HttpStatusCode.Conflict);
        error["message"]!.GetValue<string>().ShouldBe("Apply failed with 1 conflict: conflict with \"autoscaler\" using apps/v1: .spec.replicas");
        error["details"]!["causes"]![0]!["field"]!.GetValue<string>().ShouldBe(".spec.replicas");

        config["metadata"]!["labels"]!.AsObject().Remove("team");
        var (forced, applied) = await SendAsync(HttpMethod.Patch, path + "&force=true", config, "application/apply-patch+yaml");

        forced.ShouldBe(HttpStatusCode.OK);
        applied["spec"]!["replicas"]!.GetValue<int>().ShouldBe(2);
        applied["metadata"]!["labels"]!.AsObject().ContainsKey("team").ShouldBeFalse("mizzen no longer applies the label and nobody else owns it");
        var mine = applied["metadata"]!["managedFields"]!.AsArray().Single(m => m!["manager"]!.GetValue<string>() == "mizzen")!;
        mine["operation"]!.GetValue<string>().ShouldBe("Apply");
        mine["fieldsV1"]!["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"app\"}"]!["f:image"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Deleting_a_deployment_in_the_background_takes_its_replica_sets_and_pods_and_orphan_leaves_them()
    {
        await SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments", Deployment("web", ("app", "nginx:1.25")));
        await SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments", Deployment("api", ("app", "api:1")));
        await fake.Controller.SettleAsync();
        fake.List("v1", "Pod", "default").Count.ShouldBe(4);

        var (background, status) = await SendAsync(HttpMethod.Delete, "/apis/apps/v1/namespaces/default/deployments/web",
            JsonNode.Parse("""{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"}"""));
        var (orphan, _) = await SendAsync(HttpMethod.Delete, "/apis/apps/v1/namespaces/default/deployments/api?propagationPolicy=Orphan");
        await fake.Controller.SettleAsync();

        background.ShouldBe(HttpStatusCode.OK);
        status["status"]!.GetValue<string>().ShouldBe("Success");
        orphan.ShouldBe(HttpStatusCode.OK);
        var sets = fake.List("apps/v1", "ReplicaSet", "default");
        sets.ShouldHaveSingleItem()["metadata"]!["name"]!.GetValue<string>().ShouldStartWith("api-");
        sets[0]["metadata"]!["ownerReferences"].ShouldBeNull();
        fake.List("v1", "Pod", "default").ShouldAllBe(p => p["metadata"]!["name"]!.GetValue<string>().StartsWith("api-", StringComparison.Ordinal));
        fake.List("v1", "Pod", "default").Count.ShouldBe(2);
    }

    [Fact]
    public async Task Pod_logs_need_a_container_when_there_are_several_and_honour_tail_lines()
    {
        await SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments", Deployment("web", ("app", "nginx:1.25"), ("sidecar", "envoy:1.30")));
        await fake.Controller.SettleAsync();
        var pod = fake.List("v1", "Pod", "default")[0]["metadata"]!["name"]!.GetValue<string>();
        fake.SetPodLogs("default", pod, "app", "one\ntwo\nthree\n");

        var ambiguous = await http.GetAsync($"/api/v1/namespaces/default/pods/{pod}/log");
        var tail = await http.GetStringAsync($"/api/v1/namespaces/default/pods/{pod}/log?container=app&tailLines=2");

        ambiguous.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ambiguous.Content.ReadAsStringAsync()).ShouldContain("a container name must be specified for pod");
        tail.ShouldBe("two\nthree\n");
    }

    [Fact]
    public async Task The_controller_reports_image_pull_failures_crash_loops_and_finished_jobs()
    {
        fake.Controller.FailImagePull("nginx:missing");
        fake.Controller.CrashLoop("api:broken", exitCode: 3);
        await SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments", Deployment("web", ("app", "nginx:missing")));
        await SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments", Deployment("api", ("app", "api:broken")));
        await SendAsync(HttpMethod.Post, "/apis/batch/v1/namespaces/default/jobs", JsonNode.Parse("""
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"migrate"},
             "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"migrate","image":"tool:1"}]}}}}
            """));
        fake.Controller.CompleteJobs(succeed: true, logs: "migrated 3 tables\n");
        await fake.Controller.SettleAsync();
        fake.Controller.RestartCrashLoopingPods();
        await fake.Controller.SettleAsync();

        var pods = fake.List("v1", "Pod", "default");
        var pulling = pods.First(p => p["metadata"]!["name"]!.GetValue<string>().StartsWith("web-", StringComparison.Ordinal));
        pulling["status"]!["phase"]!.GetValue<string>().ShouldBe("Pending");
        pulling["status"]!["containerStatuses"]![0]!["state"]!["waiting"]!["reason"]!.GetValue<string>().ShouldBe("ImagePullBackOff");
        var crashing = pods.First(p => p["metadata"]!["name"]!.GetValue<string>().StartsWith("api-", StringComparison.Ordinal))["status"]!["containerStatuses"]![0]!;
        crashing["state"]!["waiting"]!["reason"]!.GetValue<string>().ShouldBe("CrashLoopBackOff");
        crashing["lastState"]!["terminated"]!["exitCode"]!.GetValue<int>().ShouldBe(3);
        crashing["restartCount"]!.GetValue<int>().ShouldBe(2);
        var web = fake.Get("apps/v1", "Deployment", "default", "web")!["status"]!;
        web["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Available")!["status"]!.GetValue<string>().ShouldBe("False");
        web["updatedReplicas"]!.GetValue<int>().ShouldBe(2);
        web["availableReplicas"].ShouldBeNull();
        fake.List("v1", "Event", "default").ShouldContain(e => e["reason"]!.GetValue<string>() == "Failed"
            && e["message"]!.GetValue<string>().Contains("Failed to pull image \"nginx:missing\"", StringComparison.Ordinal));

        var job = fake.Get("batch/v1", "Job", "default", "migrate")!["status"]!;
        job["succeeded"]!.GetValue<int>().ShouldBe(1);
        job["conditions"]!.AsArray().ShouldContain(c => c!["type"]!.GetValue<string>() == "Complete" && c["status"]!.GetValue<string>() == "True");
        var jobPod = pods.Single(p => p["metadata"]!["labels"]!["job-name"] != null);
        jobPod["status"]!["phase"]!.GetValue<string>().ShouldBe("Succeeded");
        (await http.GetStringAsync($"/api/v1/namespaces/default/pods/{jobPod["metadata"]!["name"]}/log")).ShouldBe("migrated 3 tables\n");
    }

    [Fact]
    public async Task Set_based_label_selectors_and_field_selectors_filter_lists()
    {
        foreach (var (name, tier) in new[] { ("a", "web"), ("b", "db"), ("c", "cache") })
        {
            var cm = ConfigMap(name, name);
            cm["metadata"]!["labels"] = new JsonObject { ["tier"] = tier };
            await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", cm);
        }

        static string[] Names(JsonObject list) => [.. list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>())];

        Names((await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps?labelSelector=tier%20in%20(web,db)")).Body).ShouldBe(["a", "b"]);
        Names((await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps?labelSelector=tier!%3Dweb")).Body).ShouldBe(["b", "c"]);
        Names((await SendAsync(HttpMethod.Get, "/api/v1/configmaps?fieldSelector=metadata.name%3Dc")).Body).ShouldBe(["c"]);
        var (bad, error) = await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps?labelSelector=tier%20in%20web");
        bad.ShouldBe(HttpStatusCode.BadRequest);
        error["message"]!.GetValue<string>().ShouldContain("unable to parse requirement");
    }

    [Fact]
    public async Task StatefulSets_get_ordinal_pods_and_DaemonSets_one_per_node_with_status_and_controller_revisions()
    {
        static JsonNode Workload(string kind, string name, int? replicas)
        {
            var workload = Deployment(name, ("main", $"{name}:1"));
            workload["kind"] = kind;
            var spec = workload["spec"]!.AsObject();
            spec.Remove("replicas");
            if (replicas is { } count)
            {
                spec["replicas"] = count;
            }

            return workload;
        }

        await SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/default/statefulsets", Workload("StatefulSet", "db", 3));
        await SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/default/daemonsets", Workload("DaemonSet", "agent", null));
        await fake.Controller.SettleAsync();

        var (_, scale) = await SendAsync(HttpMethod.Get, "/apis/apps/v1/namespaces/default/statefulsets/db/scale");
        await SendAsync(HttpMethod.Put, "/apis/apps/v1/namespaces/default/statefulsets/db/scale", JsonNode.Parse("""
            {"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"db","namespace":"default"},"spec":{"replicas":2}}
            """));
        await fake.Controller.SettleAsync();

        scale["kind"]!.GetValue<string>().ShouldBe("Scale");
        scale["spec"]!["replicas"]!.GetValue<int>().ShouldBe(3);
        scale["status"]!["selector"]!.GetValue<string>().ShouldBe("app=db");
        var pods = fake.List("v1", "Pod", "default").Select(p => p["metadata"]!["name"]!.GetValue<string>()).ToList();
        pods.Where(n => n.StartsWith("db-", StringComparison.Ordinal)).Order().ShouldBe(["db-0", "db-1"]);
        pods.Count(n => n.StartsWith("agent-", StringComparison.Ordinal)).ShouldBe(1);
        var db = fake.Get("apps/v1", "StatefulSet", "default", "db")!["status"]!;
        db["readyReplicas"]!.GetValue<int>().ShouldBe(2);
        db["currentRevision"]!.GetValue<string>().ShouldStartWith("db-");
        var agent = fake.Get("apps/v1", "DaemonSet", "default", "agent")!["status"]!;
        agent["numberReady"]!.GetValue<int>().ShouldBe(1);
        agent["desiredNumberScheduled"]!.GetValue<int>().ShouldBe(1);
        var revisions = fake.List("apps/v1", "ControllerRevision", "default").Select(r => r["metadata"]!["name"]!.GetValue<string>()).ToList();
        revisions.Count.ShouldBe(2);
        revisions.ShouldContain(db["currentRevision"]!.GetValue<string>());
        revisions.ShouldContain(n => n.StartsWith("agent-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_everything_in_it_and_istio_kinds_are_served_in_both_versions()
    {
        await SendAsync(HttpMethod.Post, "/api/v1/namespaces", JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}}"""));
        await SendAsync(HttpMethod.Post, "/api/v1/namespaces/team/configmaps", ConfigMap("settings", "one"));
        var (created, _) = await SendAsync(HttpMethod.Post, "/apis/networking.istio.io/v1beta1/namespaces/team/destinationrules", JsonNode.Parse("""
            {"apiVersion":"networking.istio.io/v1beta1","kind":"DestinationRule","metadata":{"name":"web"},"spec":{"host":"web","subsets":[{"name":"v1","labels":{"version":"v1"}}]}}
            """));
        var (_, asV1) = await SendAsync(HttpMethod.Get, "/apis/networking.istio.io/v1/namespaces/team/destinationrules/web");
        var (_, crds) = await SendAsync(HttpMethod.Get, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
        var (_, smp) = await SendAsync(HttpMethod.Patch, "/apis/networking.istio.io/v1/namespaces/team/destinationrules/web", JsonNode.Parse("{}"), "application/strategic-merge-patch+json");

        var (deleted, _) = await SendAsync(HttpMethod.Delete, "/api/v1/namespaces/team");

        created.ShouldBe(HttpStatusCode.Created);
        asV1["apiVersion"]!.GetValue<string>().ShouldBe("networking.istio.io/v1");
        asV1["spec"]!["subsets"]![0]!["name"]!.GetValue<string>().ShouldBe("v1");
        crds["items"]!.AsArray().Select(c => c!["metadata"]!["name"]!.GetValue<string>()).ShouldContain("virtualservices.networking.istio.io");
        smp["code"]!.GetValue<int>().ShouldBe(415);
        deleted.ShouldBe(HttpStatusCode.OK);
        fake.Get("v1", "Namespace", null, "team").ShouldBeNull();
        fake.List("v1", "ConfigMap", "team").ShouldBeEmpty();
        fake.List("networking.istio.io/v1", "DestinationRule", "team").ShouldBeEmpty();
    }

    [Fact]
    public async Task Lists_page_with_limit_and_continue_and_leave_kind_out_of_built_in_items()
    {
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap(name, name));
        }

        var (_, first) = await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps?limit=2");
        var token = Uri.EscapeDataString(first["metadata"]!["continue"]!.GetValue<string>());
        var (_, second) = await SendAsync(HttpMethod.Get, $"/api/v1/namespaces/default/configmaps?limit=2&continue={token}");
        var (_, last) = await SendAsync(HttpMethod.Get, $"/api/v1/namespaces/default/configmaps?limit=2&continue={Uri.EscapeDataString(second["metadata"]!["continue"]!.GetValue<string>())}");

        static string[] Names(JsonObject list) => [.. list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>())];
        Names(first).ShouldBe(["a", "b"]);
        first["metadata"]!["remainingItemCount"]!.GetValue<long>().ShouldBe(3);
        Names(second).ShouldBe(["c", "d"]);
        Names(last).ShouldBe(["e"]);
        last["metadata"]!["continue"].ShouldBeNull();
        first["kind"]!.GetValue<string>().ShouldBe("ConfigMapList");
        first["items"]![0]!.AsObject().ContainsKey("kind").ShouldBeFalse();
    }

    [Fact]
    public async Task Pods_seeded_on_another_node_keep_their_status_and_unbound_pods_are_run_on_the_fake_node()
    {
        fake.Put(JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"seeded","namespace":"default"},
             "spec":{"nodeName":"node-2","containers":[{"name":"c","image":"x:1"}]},
             "status":{"phase":"Failed","reason":"Evicted"}}
            """)!.AsObject());
        await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods", JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"plain"},"spec":{"containers":[{"name":"c","image":"x:1"}]}}
            """));
        await fake.Controller.SettleAsync();

        fake.Get("v1", "Pod", "default", "seeded")!["status"]!["phase"]!.GetValue<string>().ShouldBe("Failed");
        var plain = fake.Get("v1", "Pod", "default", "plain")!;
        plain["spec"]!["nodeName"]!.GetValue<string>().ShouldBe(FakeController.NodeName);
        plain["status"]!["phase"]!.GetValue<string>().ShouldBe("Running");
        plain["status"]!["podIP"]!.GetValue<string>().ShouldStartWith("10.244.");
    }

    [Fact]
    public async Task An_object_with_a_finalizer_is_only_marked_and_goes_when_the_finalizer_is_removed()
    {
        var cm = ConfigMap("guarded", "x");
        cm["metadata"]!["finalizers"] = new JsonArray("example.com/keep");
        await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", cm);

        var (status, marked) = await SendAsync(HttpMethod.Delete, "/api/v1/namespaces/default/configmaps/guarded");

        status.ShouldBe(HttpStatusCode.OK);
        marked["metadata"]!["deletionTimestamp"].ShouldNotBeNull();
        fake.Get("v1", "ConfigMap", "default", "guarded").ShouldNotBeNull();

        var gone = fake.WaitForAsync(f => f.Get("v1", "ConfigMap", "default", "guarded") is null, TimeSpan.FromSeconds(30));
        await SendAsync(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/guarded",
            JsonNode.Parse("""{"metadata":{"finalizers":null}}"""), "application/merge-patch+json");

        (await gone).ShouldBeTrue();
        (await fake.WaitForAsync(f => f.Get("v1", "ConfigMap", "default", "never") is not null, TimeSpan.FromMilliseconds(200))).ShouldBeFalse();
        fake.Requests.Select(r => r.Verb).ShouldBe(["create", "delete", "patch"]);
    }

    [Fact]
    public async Task A_required_token_refuses_requests_without_it()
    {
        await using var secured = await FakeKubernetesApiServer.StartAsync(new FakeKubernetesOptions { RequiredToken = "s3cret" });
        using var client = new HttpClient { BaseAddress = secured.Url };

        var anonymous = await client.GetAsync("/api/v1/namespaces");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        var authorized = await client.GetAsync("/api/v1/namespaces");

        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        authorized.StatusCode.ShouldBe(HttpStatusCode.OK);
        File.ReadAllText(secured.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"mizzen-kube-{Guid.NewGuid():N}"))).ShouldContain("token: s3cret");
    }
}
