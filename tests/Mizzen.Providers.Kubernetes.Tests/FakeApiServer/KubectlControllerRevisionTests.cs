using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Testing.Kubernetes;

namespace Mizzen.Providers.Kubernetes.Tests.FakeApiServer;

/// <summary>
/// The fake's StatefulSet and DaemonSet history checked against a real client: Debian's kubectl (v1.32) lists it with
/// <c>rollout history</c>, prints one revision's template, rolls back with <c>rollout undo</c> (which sends a ControllerRevision's
/// data as a strategic merge patch) and waits with <c>rollout status</c> — on the ControllerRevisions the fake's controllers record.
/// </summary>
public sealed class KubectlControllerRevisionTests : IAsyncLifetime
{
    private const string StatefulSet = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: db
        spec:
          replicas: 2
          serviceName: db
          selector:
            matchLabels: {app: db}
          template:
            metadata:
              labels: {app: db}
            spec:
              containers:
              - name: db
                image: postgres:IMAGE_TAG
        """;

    private const string DaemonSet = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: agent
        spec:
          selector:
            matchLabels: {app: agent}
          template:
            metadata:
              labels: {app: agent}
            spec:
              containers:
              - name: agent
                image: fluentd:IMAGE_TAG
        """;

    private readonly string folder = Directory.CreateTempSubdirectory("mizzen-kubectl-revisions-").FullName;
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

    private async Task ApplyAsync(string template, string kind, string tag)
    {
        var file = kubectl.File($"{kind.Replace('/', '-')}-{tag}.yaml", template.Replace("IMAGE_TAG", tag, StringComparison.Ordinal));
        (await kubectl.RunAsync("apply", "-f", file)).ShouldSucceed();
        (await kubectl.RunAsync("rollout", "status", kind, "--timeout=60s")).ShouldSucceed();
    }

    private static string Image(JsonObject obj) => obj["kind"]!.GetValue<string>() == "Pod"
        ? obj["spec"]!["containers"]![0]!["image"]!.GetValue<string>()
        : obj["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    /// <summary>The owner's ControllerRevisions as <c>image=revision</c>, by image.</summary>
    private List<string> Revisions(string owner) => [.. fake.List("apps/v1", "ControllerRevision", "default")
        .Where(r => r["metadata"]!["ownerReferences"]![0]!["name"]!.GetValue<string>() == owner)
        .Select(r => $"{r["data"]!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>()}={r["revision"].AsLong()}")
        .Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Rollout_history_lists_a_statefulsets_revisions_and_undo_rolls_its_pods_back_to_the_previous_one()
    {
        await ApplyAsync(StatefulSet, "statefulset/db", "16");
        await ApplyAsync(StatefulSet, "statefulset/db", "17");

        var history = (await kubectl.RunAsync("rollout", "history", "statefulset/db")).ShouldSucceed();
        var first = (await kubectl.RunAsync("rollout", "history", "statefulset/db", "--revision=1")).ShouldSucceed();
        fake.ClearRequests();
        var undo = (await kubectl.RunAsync("rollout", "undo", "statefulset/db")).ShouldSucceed();
        var status = (await kubectl.RunAsync("rollout", "status", "statefulset/db", "--timeout=60s")).ShouldSucceed();
        var after = (await kubectl.RunAsync("rollout", "history", "statefulset/db")).ShouldSucceed();

        history.Stdout.ShouldContain("statefulset.apps/db");
        Rows(history.Stdout).ShouldBe(["1", "2"]);
        first.Stdout.ShouldContain("revision #1");
        first.Stdout.ShouldContain("postgres:16");
        undo.Stdout.ShouldContain("statefulset.apps/db rolled back");
        var patch = fake.Requests.Single(r => r.Verb == "patch" && r.Resource == "statefulsets");
        patch.ContentType.ShouldBe("application/strategic-merge-patch+json");
        patch.Body.ShouldContain("\"$patch\":\"replace\"");
        status.Stdout.ShouldContain("roll out complete");
        Rows(after.Stdout).ShouldBe(["2", "3"]);
        Image(fake.Get("apps/v1", "StatefulSet", "default", "db")!).ShouldBe("postgres:16");
        fake.List("v1", "Pod", "default").ShouldAllBe(p => Image(p) == "postgres:16");
        Revisions("db").ShouldBe(["postgres:16=3", "postgres:17=2"]);
    }

    [Fact]
    public async Task Rollout_undo_to_a_revision_takes_a_daemonset_back_to_that_template()
    {
        await ApplyAsync(DaemonSet, "daemonset/agent", "1.16");
        await ApplyAsync(DaemonSet, "daemonset/agent", "1.17");
        await ApplyAsync(DaemonSet, "daemonset/agent", "1.18");

        var undo = (await kubectl.RunAsync("rollout", "undo", "daemonset/agent", "--to-revision=1")).ShouldSucceed();
        var status = (await kubectl.RunAsync("rollout", "status", "daemonset/agent", "--timeout=60s")).ShouldSucceed();
        var missing = await kubectl.RunAsync("rollout", "undo", "daemonset/agent", "--to-revision=9");

        undo.Stdout.ShouldContain("daemonset.apps/agent rolled back");
        status.Stdout.ShouldContain("daemon set \"agent\" successfully rolled out");
        missing.ExitCode.ShouldNotBe(0);
        missing.Stderr.ShouldContain("unable to find specified revision 9 in history");
        Image(fake.Get("apps/v1", "DaemonSet", "default", "agent")!).ShouldBe("fluentd:1.16");
        fake.List("v1", "Pod", "default").ShouldHaveSingleItem().ShouldSatisfyAllConditions(p => Image(p).ShouldBe("fluentd:1.16"));
        Revisions("agent").ShouldBe(["fluentd:1.16=4", "fluentd:1.17=2", "fluentd:1.18=3"]);
    }

    [Fact]
    public async Task A_statefulset_rolls_out_from_the_highest_ordinal_and_halts_at_a_pod_that_never_becomes_ready()
    {
        await ApplyAsync(StatefulSet.Replace("replicas: 2", "replicas: 3", StringComparison.Ordinal), "statefulset/db", "16");
        fake.Controller.FailImagePull("postgres:broken");

        var file = kubectl.File("db-broken.yaml", StatefulSet.Replace("replicas: 2", "replicas: 3", StringComparison.Ordinal).Replace("IMAGE_TAG", "broken", StringComparison.Ordinal));
        (await kubectl.RunAsync("apply", "-f", file)).ShouldSucceed();
        await fake.Controller.SettleAsync();
        var status = (await kubectl.RunAsync("rollout", "status", "statefulset/db", "--watch=false")).ShouldSucceed();

        status.Stdout.ShouldContain("Waiting for 1 pods to be ready...", Case.Sensitive, "the rollout never completes while db-2 cannot pull its image");
        var pods = fake.List("v1", "Pod", "default").ToDictionary(p => p["metadata"]!["name"]!.GetValue<string>(), Image);
        pods.ShouldBe(new Dictionary<string, string> { ["db-0"] = "postgres:16", ["db-1"] = "postgres:16", ["db-2"] = "postgres:broken" });
        var sts = fake.Get("apps/v1", "StatefulSet", "default", "db")!["status"]!;
        sts["currentRevision"]!.GetValue<string>().ShouldNotBe(sts["updateRevision"]!.GetValue<string>());
        sts["updatedReplicas"]!.GetValue<int>().ShouldBe(1);
        sts["currentReplicas"]!.GetValue<int>().ShouldBe(2);

        // As Kubernetes documents ("forced rollback"), reverting the template leaves the broken pod to be deleted by hand.
        (await kubectl.RunAsync("rollout", "undo", "statefulset/db")).ShouldSucceed();
        await fake.Controller.SettleAsync();
        Image(fake.Get("v1", "Pod", "default", "db-2")!).ShouldBe("postgres:broken");
        (await kubectl.RunAsync("delete", "pod", "db-2")).ShouldSucceed();
        (await kubectl.RunAsync("rollout", "status", "statefulset/db", "--timeout=60s")).ShouldSucceed();
        fake.List("v1", "Pod", "default").ShouldAllBe(p => Image(p) == "postgres:16");
    }

    /// <summary>The REVISION column of <c>kubectl rollout history</c>'s table.</summary>
    private static List<string> Rows(string table) =>
        [.. table.Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0 && char.IsDigit(l[0])).Select(l => l.Split(' ')[0])];
}
