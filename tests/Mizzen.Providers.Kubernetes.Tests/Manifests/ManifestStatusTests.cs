using System.Text.Json.Nodes;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Tests.Manifests;

public sealed class ManifestStatusTests
{
    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void A_deployment_without_status_or_with_an_old_generation_is_not_stable()
    {
        ManifestStatus.Of(Obj("""{"kind":"Deployment","metadata":{"generation":1},"spec":{"replicas":2}}""")).Message.ShouldBe("No status reported yet");
        ManifestStatus.Of(Obj("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":2},"status":{"observedGeneration":1}}"""))
            .Message.ShouldBe("Waiting for status generation to match updated object generation");
    }

    [Fact]
    public void A_deployment_is_stable_when_every_replica_is_updated_available_and_ready()
    {
        const string template = """{"kind":"Deployment","metadata":{"generation":3},"spec":{"replicas":2},"status":{"observedGeneration":3,"replicas":REPLICAS,"updatedReplicas":UPDATED,"availableReplicas":AVAILABLE,"readyReplicas":2}}""";
        string Status(int replicas, int updated, int available) =>
            template.Replace("REPLICAS", $"{replicas}").Replace("UPDATED", $"{updated}").Replace("AVAILABLE", $"{available}");

        ManifestStatus.Of(Obj(Status(2, 1, 2))).Message.ShouldBe("Waiting for all replicas to be updated");
        ManifestStatus.Of(Obj(Status(3, 2, 2))).Message.ShouldBe("Waiting for old replicas to finish termination");
        ManifestStatus.Of(Obj(Status(2, 2, 1))).Message.ShouldBe("Waiting for all replicas to be available");
        ManifestStatus.Of(Obj(Status(2, 2, 2))).Stable.ShouldBeTrue();
    }

    [Fact]
    public void A_deployment_past_its_progress_deadline_has_failed()
    {
        var status = ManifestStatus.Of(Obj("""
            {"kind":"Deployment","metadata":{"generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,
             "conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded","message":"ReplicaSet \"web-5d\" has timed out progressing."}]}}
            """));

        status.Failed.ShouldBeTrue();
        status.Message!.ShouldContain("progress deadline");
        status.Message!.ShouldContain("timed out progressing");
    }

    [Fact]
    public void Jobs_succeed_by_completions_and_fail_by_condition()
    {
        ManifestStatus.Of(Obj("""{"kind":"Job","spec":{"completions":2},"status":{"succeeded":1}}""")).Message.ShouldBe("Waiting for jobs to finish");
        ManifestStatus.Of(Obj("""{"kind":"Job","spec":{"completions":2},"status":{"succeeded":2}}""")).Stable.ShouldBeTrue();
        var failed = ManifestStatus.Of(Obj("""{"kind":"Job","status":{"conditions":[{"type":"Failed","status":"True","message":"BackoffLimitExceeded"}]}}"""));
        failed.Failed.ShouldBeTrue();
        failed.Message!.ShouldContain("BackoffLimitExceeded");
    }

    [Fact]
    public void ReplicaSets_StatefulSets_DaemonSets_and_Pods_follow_their_rules()
    {
        ManifestStatus.Of(Obj("""{"kind":"ReplicaSet","spec":{"replicas":2},"status":{"fullyLabeledReplicas":2,"readyReplicas":1,"availableReplicas":1}}""")).Available.ShouldBeFalse();
        ManifestStatus.Of(Obj("""{"kind":"ReplicaSet","metadata":{"generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"fullyLabeledReplicas":2,"readyReplicas":2,"availableReplicas":2}}""")).Stable.ShouldBeTrue();
        ManifestStatus.Of(Obj("""{"kind":"StatefulSet","spec":{"replicas":1,"updateStrategy":{"type":"OnDelete"}},"status":{}}""")).Stable.ShouldBeTrue();
        ManifestStatus.Of(Obj("""{"kind":"StatefulSet","spec":{"replicas":1},"status":{"replicas":1,"readyReplicas":1,"currentReplicas":1,"currentRevision":"a","updateRevision":"b"}}"""))
            .Message.ShouldBe("Waiting for the updated revision to match the current revision");
        ManifestStatus.Of(Obj("""{"kind":"DaemonSet","status":{"desiredNumberScheduled":3,"currentNumberScheduled":3,"updatedNumberScheduled":3,"numberAvailable":2,"numberReady":3}}"""))
            .Message.ShouldBe("Waiting for all replicas to be available");
        ManifestStatus.Of(Obj("""{"kind":"Pod","status":{"phase":"Pending"}}""")).Stable.ShouldBeFalse();
        ManifestStatus.Of(Obj("""{"kind":"Pod","status":{"phase":"Succeeded"}}""")).Stable.ShouldBeTrue();
        ManifestStatus.Of(Obj("""{"kind":"Service"}""")).Stable.ShouldBeTrue();
    }

    [Fact]
    public void Pod_problems_name_the_pod_the_container_and_the_reason()
    {
        var workload = new KubernetesManifest(Obj("""{"kind":"Deployment","metadata":{"name":"web","namespace":"prod"},"spec":{"selector":{"matchLabels":{"app":"web"}}}}"""));
        var pods = new[]
        {
            Obj("""{"kind":"Pod","metadata":{"name":"web-1","namespace":"prod","labels":{"app":"web"}},"status":{"containerStatuses":[{"name":"web","restartCount":4,"state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 40s"}},"lastState":{"terminated":{"exitCode":3,"reason":"Error"}}}]}}"""),
            Obj("""{"kind":"Pod","metadata":{"name":"web-2","namespace":"prod","labels":{"app":"web"}},"status":{"containerStatuses":[{"name":"sidecar","state":{"waiting":{"reason":"ImagePullBackOff","message":"Back-off pulling image \"bad:1\""}}}]}}"""),
            Obj("""{"kind":"Pod","metadata":{"name":"other","namespace":"prod","labels":{"app":"other"}},"status":{"containerStatuses":[{"name":"x","state":{"waiting":{"reason":"ErrImagePull"}}}]}}"""),
        };

        var problems = PodDiagnostics.Problems(PodDiagnostics.PodsOf(workload, pods));

        problems.Count.ShouldBe(2);
        problems[0].ShouldBe("pod web-1 container web: CrashLoopBackOff (back-off 40s); last exit code 3 Error, restarts 4");
        problems[1].ShouldBe("pod web-2 container sidecar: ImagePullBackOff (Back-off pulling image \"bad:1\")");
    }
}
