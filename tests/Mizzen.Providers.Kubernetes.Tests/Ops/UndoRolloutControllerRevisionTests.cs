using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Providers.Kubernetes.Api;
using Mizzen.Providers.Kubernetes.Manifests;
using Mizzen.Providers.Kubernetes.Tests.Infrastructure;

namespace Mizzen.Providers.Kubernetes.Tests.Ops;

/// <summary>
/// <c>undoRolloutManifest</c> of StatefulSets and DaemonSets through the engine: their history is the ControllerRevisions the fake's
/// controllers record, the chosen revision's data goes back as a strategic merge patch (as kubectl's rollback for these kinds
/// sends it), and the stage waits until the workload has rolled that template out again.
/// </summary>
public sealed class UndoRolloutControllerRevisionTests : IAsyncLifetime
{
    private KubernetesPipelineHarness engine = null!;

    public async Task InitializeAsync() => engine = await KubernetesPipelineHarness.StartAsync();

    public async Task DisposeAsync() => await engine.DisposeAsync();

    /// <summary>A StatefulSet or DaemonSet as a deployManifest would have left it (selector <c>app: name</c>).</summary>
    internal static JsonObject Workload(string kind, string name, string image, int? replicas = null)
    {
        var workload = JsonNode.Parse($$$"""
            {"apiVersion":"apps/v1","kind":"{{{kind}}}","metadata":{"name":"{{{name}}}","namespace":"default","annotations":{"moniker.spinnaker.io/application":"shop"}},
             "spec":{"selector":{"matchLabels":{"app":"{{{name}}}"}},
                     "template":{"metadata":{"labels":{"app":"{{{name}}}"}},"spec":{"containers":[{"name":"{{{name}}}","image":"{{{image}}}"}]} } } }
            """)!.AsObject();
        if (replicas is { } count)
        {
            workload["spec"]!["replicas"] = count;
        }

        return workload;
    }

    /// <summary>Server-side applies the workload as deployManifest does (so the fake fills in the API's defaults), then lets the controller roll it out.</summary>
    private async Task DeployAsync(JsonObject workload)
    {
        var key = new ResourceKey("apps/v1", workload["kind"]!.GetValue<string>(), "default", workload["metadata"]!["name"]!.GetValue<string>());
        await engine.Account.Client.PatchAsync(key, PatchType.Apply, workload, CancellationToken.None, force: true);
        await engine.Server.Controller.SettleAsync();
    }

    private static string Undo(string manifestName, string target) => $$$"""
        {"stages":[{"refId":"1","type":"undoRolloutManifest","name":"undo","account":"fake","cloudProvider":"kubernetes",
                    "manifestName":"{{{manifestName}}}","location":"default",{{{target}}} }]}
        """;

    private static string Image(JsonObject obj) => obj["kind"]!.GetValue<string>() == "Pod"
        ? obj["spec"]!["containers"]![0]!["image"]!.GetValue<string>()
        : obj["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    private List<JsonObject> Pods(string prefix) =>
        [.. engine.Server.List("v1", "Pod", "default").Where(p => p["metadata"]!["name"]!.GetValue<string>().StartsWith(prefix, StringComparison.Ordinal))];

    private Dictionary<string, long> Revisions() => engine.Server.List("apps/v1", "ControllerRevision", "default")
        .ToDictionary(r => r["metadata"]!["name"]!.GetValue<string>(), r => r["revision"].AsLong()!.Value);

    [Fact]
    public async Task A_statefulset_goes_back_one_revision_and_every_pod_rolls_back_to_its_template()
    {
        await DeployAsync(Workload("StatefulSet", "db", "registry.example.com/db:1.0", replicas: 3));
        var first = Revisions().ShouldHaveSingleItem().Key;
        await DeployAsync(Workload("StatefulSet", "db", "registry.example.com/db:2.0", replicas: 3));
        Pods("db-").ShouldAllBe(p => Image(p) == "registry.example.com/db:2.0");
        engine.Server.ClearRequests();

        var run = await engine.RunAsync(Undo("statefulSet db", "\"numRevisionsBack\":1"));

        run.Status.ShouldBe(ExecutionStatus.Succeeded, KubernetesPipelineHarness.Errors(run.Stages[0]) + run.Stages[0].Context.ToJsonString());
        run.Stages[0].Outputs["revision"]!.GetValue<long>().ShouldBe(1);
        run.Stages[0].Outputs["rolledBackTo"]!.GetValue<string>().ShouldBe(first);
        var patch = engine.Server.Requests.Single(r => r.Verb == "patch" && r.Resource == "statefulsets");
        patch.ContentType.ShouldBe("application/strategic-merge-patch+json");
        JsonNode.Parse(patch.Body)!["spec"]!["template"]!["$patch"]!.GetValue<string>().ShouldBe("replace");
        engine.Server.Requests.ShouldContain(r => r.Verb == "list" && r.Resource == "controllerrevisions" && r.Query.Contains("labelSelector=app%3Ddb", StringComparison.Ordinal));
        var db = engine.Server.Get("apps/v1", "StatefulSet", "default", "db")!;
        Image(db).ShouldBe("registry.example.com/db:1.0");
        db["status"]!["currentRevision"]!.GetValue<string>().ShouldBe(first);
        db["status"]!["updateRevision"]!.GetValue<string>().ShouldBe(first);
        db["status"]!["readyReplicas"]!.GetValue<int>().ShouldBe(3);
        var pods = Pods("db-");
        pods.Select(p => p["metadata"]!["name"]!.GetValue<string>()).Order().ShouldBe(["db-0", "db-1", "db-2"]);
        pods.ShouldAllBe(p => Image(p) == "registry.example.com/db:1.0" && p["metadata"]!["labels"]!["controller-revision-hash"]!.GetValue<string>() == first);
        var revisions = Revisions();
        revisions.Count.ShouldBe(2, "the first ControllerRevision is reused, not a third one made");
        revisions[first].ShouldBe(3, "a rollback gives the old ControllerRevision the next revision number");
    }

    [Fact]
    public async Task A_daemonset_goes_back_to_an_explicit_revision()
    {
        await DeployAsync(Workload("DaemonSet", "agent", "registry.example.com/agent:1.0"));
        await DeployAsync(Workload("DaemonSet", "agent", "registry.example.com/agent:2.0"));
        await DeployAsync(Workload("DaemonSet", "agent", "registry.example.com/agent:3.0"));
        Revisions().Values.Order().ShouldBe([1L, 2L, 3L]);

        var run = await engine.RunAsync(Undo("daemonSet agent", "\"revision\":1"));

        run.Status.ShouldBe(ExecutionStatus.Succeeded, KubernetesPipelineHarness.Errors(run.Stages[0]) + run.Stages[0].Context.ToJsonString());
        run.Stages[0].Outputs["revision"]!.GetValue<long>().ShouldBe(1);
        var agent = engine.Server.Get("apps/v1", "DaemonSet", "default", "agent")!;
        Image(agent).ShouldBe("registry.example.com/agent:1.0");
        agent["status"]!["updatedNumberScheduled"]!.GetValue<int>().ShouldBe(1);
        agent["status"]!["numberReady"]!.GetValue<int>().ShouldBe(1);
        Pods("agent-").ShouldHaveSingleItem().ShouldSatisfyAllConditions(p => Image(p).ShouldBe("registry.example.com/agent:1.0"));
        Revisions().Values.Order().ShouldBe([2L, 3L, 4L]);
    }

    [Fact]
    public async Task A_statefulset_with_one_revision_has_nothing_to_go_back_to_and_a_missing_revision_is_named()
    {
        await DeployAsync(Workload("StatefulSet", "db", "registry.example.com/db:1.0", replicas: 1));
        engine.Server.ClearRequests();

        var back = await engine.RunAsync(Undo("statefulSet db", "\"numRevisionsBack\":1"));
        var missing = await engine.RunAsync(Undo("statefulSet db", "\"revision\":7"));

        back.Status.ShouldBe(ExecutionStatus.Terminal);
        back.Stages[0].Context.ToJsonString().ShouldContain("numRevisionsBack: statefulSet db has revisions 1: cannot go back 1");
        missing.Status.ShouldBe(ExecutionStatus.Terminal);
        missing.Stages[0].Context.ToJsonString().ShouldContain("statefulSet db has no revision 7; it has revisions 1");
        engine.Server.Requests.ShouldNotContain(r => r.Verb == "patch");
        Image(engine.Server.Get("apps/v1", "StatefulSet", "default", "db")!).ShouldBe("registry.example.com/db:1.0");
    }
}
