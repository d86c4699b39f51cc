using System.Globalization;
using System.Text.Json.Nodes;

namespace Mizzen.Testing.Kubernetes;

/// <summary>
/// The StatefulSet and DaemonSet controllers of the fake cluster. Both keep their history as Kubernetes does, in
/// <c>ControllerRevision</c>s (apps/v1) named <c>{owner}-{hash}</c>, labelled with the template's labels and
/// <c>controller.kubernetes.io/hash</c>, owned by the workload, with <c>.revision</c> and <c>.data</c> holding the strategic
/// merge patch that restores the pod template (<c>{"spec":{"template":{…,"$patch":"replace"}}}</c>) — what
/// <c>kubectl rollout history</c> lists and <c>kubectl rollout undo</c> sends back. A template equal to an older revision's
/// reuses that ControllerRevision with the next revision number; revisions beyond <c>spec.revisionHistoryLimit</c> that no pod
/// uses are deleted, oldest first.
/// A StatefulSet rolls out as its controller's RollingUpdate does: once every pod is Ready, the highest-ordinal pod (at or above
/// <c>partition</c>) still on an old revision is deleted and comes back on the update revision, one at a time, so a pod that
/// never becomes Ready (an image that fails to pull) halts the rollout; <c>status.currentRevision</c> moves to
/// <c>updateRevision</c> when every pod is on it. <c>OnDelete</c> leaves old pods alone.
/// </summary>
public sealed partial class FakeController
{
    private const string HashLabel = "controller.kubernetes.io/hash";
    private const string RevisionHashLabel = "controller-revision-hash";

    private void ReconcileStatefulSet(JsonObject sts)
    {
        var ns = FakeObjectStore.Namespace(sts);
        var name = FakeObjectStore.Name(sts);
        var spec = sts["spec"] as JsonObject ?? [];
        var replicas = Int(spec["replicas"], 1);
        var template = spec["template"] as JsonObject ?? [];
        var update = EnsureControllerRevision(sts, template);
        var pods = Owned(Pods, ns, FakeObjectStore.Uid(sts)!).Where(Live).ToList();
        foreach (var extra in pods.Where(p => Ordinal(name, p) >= replicas))
        {
            Store.Write(Pods, ns, FakeObjectStore.Name(extra), _ => null);
        }

        pods.RemoveAll(p => Ordinal(name, p) >= replicas);
        for (var i = 0; i < replicas; i++)
        {
            var podName = $"{name}-{i}";
            if (Store.Get(Pods, ns, podName) is null)
            {
                var pod = NewPod(sts, podName, template, new JsonObject
                {
                    [RevisionHashLabel] = update,
                    ["statefulset.kubernetes.io/pod-name"] = podName,
                    ["apps.kubernetes.io/pod-index"] = i.ToString(CultureInfo.InvariantCulture),
                });
                Store.Write(Pods, ns, podName, _ => pod);
            }
        }

        var rolling = spec["updateStrategy"]?["type"]?.GetValue<string>() is null or "RollingUpdate";
        if (rolling && pods.Count == replicas && pods.All(IsReady))
        {
            var partition = Int(spec["updateStrategy"]?["rollingUpdate"]?["partition"], 0);
            var stale = pods.Where(p => Ordinal(name, p) >= partition && RevisionHash(p) != update).MaxBy(p => Ordinal(name, p));
            if (stale is not null)
            {
                Store.Write(Pods, ns, FakeObjectStore.Name(stale), _ => null);
            }
        }

        var current = sts["status"]?["currentRevision"]?.GetValue<string>();
        TruncateHistory(sts, [update, .. current is null ? Array.Empty<string>() : [current], .. pods.Select(RevisionHash).OfType<string>()]);
    }

    private JsonObject StatefulSetStatus(JsonObject sts)
    {
        var name = FakeObjectStore.Name(sts);
        var update = $"{name}-{TemplateHash(sts["spec"]?["template"] as JsonObject ?? [])}";
        var desired = Int(sts["spec"]?["replicas"], 1);
        var pods = Owned(Pods, FakeObjectStore.Namespace(sts), FakeObjectStore.Uid(sts)!).Where(Live).ToList();
        var ready = pods.Count(IsReady);
        var updated = pods.Count(p => RevisionHash(p) == update);
        var status = (JsonObject)(sts["status"]?.DeepClone() ?? new JsonObject());
        var current = status["currentRevision"]?.GetValue<string>() is { } previous && !(updated == pods.Count && pods.Count == desired) ? previous : update;
        status["observedGeneration"] = sts["metadata"]?["generation"]?.DeepClone();
        status["replicas"] = pods.Count;
        SetCount(status, "readyReplicas", ready);
        SetCount(status, "currentReplicas", pods.Count(p => RevisionHash(p) == current));
        SetCount(status, "updatedReplicas", updated);
        status["availableReplicas"] = ready;
        status["currentRevision"] = current;
        status["updateRevision"] = update;
        status["collisionCount"] = 0;
        return status;
    }

    private void ReconcileDaemonSet(JsonObject ds)
    {
        var ns = FakeObjectStore.Namespace(ds);
        var name = FakeObjectStore.Name(ds);
        var template = ds["spec"]?["template"] as JsonObject ?? [];
        var revision = EnsureControllerRevision(ds, template);
        var hash = revision[(name.Length + 1)..];
        var pods = Owned(Pods, ns, FakeObjectStore.Uid(ds)!).Where(Live).ToList();
        if (ds["spec"]?["updateStrategy"]?["type"]?.GetValue<string>() != "OnDelete")
        {
            foreach (var stale in pods.Where(p => RevisionHash(p) != hash))
            {
                Store.Write(Pods, ns, FakeObjectStore.Name(stale), _ => null);
            }
        }

        if (pods.All(p => RevisionHash(p) != hash) && (pods.Count == 0 || ds["spec"]?["updateStrategy"]?["type"]?.GetValue<string>() != "OnDelete"))
        {
            var podName = $"{name}-{Suffix($"{name}/{revision}", 5)}";
            var pod = NewPod(ds, podName, template, new JsonObject { [RevisionHashLabel] = hash, ["pod-template-generation"] = $"{ds["metadata"]?["generation"]}" });
            Store.Write(Pods, ns, podName, _ => pod);
        }

        TruncateHistory(ds, [revision, .. pods.Select(RevisionHash).OfType<string>().Select(h => $"{name}-{h}")]);
    }

    private JsonObject DaemonSetStatus(JsonObject ds)
    {
        var hash = TemplateHash(ds["spec"]?["template"] as JsonObject ?? []);
        var pods = Owned(Pods, FakeObjectStore.Namespace(ds), FakeObjectStore.Uid(ds)!).Where(Live).ToList();
        var ready = pods.Count(IsReady);
        var status = (JsonObject)(ds["status"]?.DeepClone() ?? new JsonObject());
        status["currentNumberScheduled"] = pods.Count;
        status["desiredNumberScheduled"] = 1;
        status["numberMisscheduled"] = 0;
        status["numberReady"] = ready;
        SetCount(status, "numberAvailable", ready);
        SetCount(status, "updatedNumberScheduled", pods.Count(p => RevisionHash(p) == hash));
        SetCount(status, "numberUnavailable", 1 - ready);
        status["observedGeneration"] = ds["metadata"]?["generation"]?.DeepClone();
        return status;
    }

    /// <summary>
    /// The ControllerRevision of a StatefulSet's or DaemonSet's template, returning its name: created with the next revision
    /// number, or, when an older one holds the same template (a rollback), given the next revision number as the real
    /// controllers do.
    /// </summary>
    private string EnsureControllerRevision(JsonObject owner, JsonObject template)
    {
        var ns = FakeObjectStore.Namespace(owner);
        var hash = TemplateHash(template);
        var name = $"{FakeObjectStore.Name(owner)}-{hash}";
        var owned = Owned(ControllerRevisions, ns, FakeObjectStore.Uid(owner)!);
        var newest = owned.Select(r => Int(r["revision"], 0)).DefaultIfEmpty(0).Max();
        var existing = owned.FirstOrDefault(r => FakeObjectStore.Name(r) == name);
        if (existing is not null)
        {
            if (Int(existing["revision"], 0) < newest)
            {
                Store.Write(ControllerRevisions, ns, name, current =>
                {
                    if (current is not null)
                    {
                        current["revision"] = newest + 1;
                    }

                    return current;
                });
            }

            return name;
        }

        if (Store.Get(ControllerRevisions, ns, name) is not null)
        {
            return name;
        }

        var labels = (JsonObject)(template["metadata"]?["labels"]?.DeepClone() ?? new JsonObject());
        labels[HashLabel] = hash;
        var patch = (JsonObject)template.DeepClone();
        patch["$patch"] = "replace";
        Store.Write(ControllerRevisions, ns, name, _ => new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ControllerRevision",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels, ["ownerReferences"] = new JsonArray(OwnerReference(owner)) },
            ["data"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = patch } },
            ["revision"] = newest + 1,
        });
        return name;
    }

    /// <summary>Deletes the oldest revisions beyond <c>spec.revisionHistoryLimit</c> (default 10) that are not <paramref name="live"/>.</summary>
    private void TruncateHistory(JsonObject owner, IReadOnlyCollection<string> live)
    {
        var ns = FakeObjectStore.Namespace(owner);
        var limit = Int(owner["spec"]?["revisionHistoryLimit"], 10);
        var history = Owned(ControllerRevisions, ns, FakeObjectStore.Uid(owner)!)
            .Where(r => !live.Contains(FakeObjectStore.Name(r)))
            .OrderBy(r => Int(r["revision"], 0))
            .ToList();
        foreach (var old in history.Take(Math.Max(0, history.Count - limit)))
        {
            Store.Write(ControllerRevisions, ns, FakeObjectStore.Name(old), _ => null);
        }
    }

    private static string? RevisionHash(JsonObject pod) => pod["metadata"]?["labels"]?[RevisionHashLabel]?.GetValue<string>();

    private static int Ordinal(string setName, JsonObject pod) =>
        int.TryParse(FakeObjectStore.Name(pod)[(setName.Length + 1)..], CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue;
}
