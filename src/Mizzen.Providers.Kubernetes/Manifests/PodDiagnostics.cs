using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Providers.Kubernetes.Manifests;

/// <summary>
/// Why a workload's pods are not becoming ready, read from their container statuses: which pod, which container, which reason
/// (<c>ErrImagePull</c>, <c>ImagePullBackOff</c>, <c>CrashLoopBackOff</c> with the last exit code, <c>CreateContainerConfigError</c> …)
/// and the kubelet's message. What a failed rollout reports instead of a bare timeout.
/// </summary>
public static class PodDiagnostics
{
    /// <summary>Waiting reasons that mean the container will not start by itself.</summary>
    public static readonly IReadOnlySet<string> ProblemReasons = new HashSet<string>(StringComparer.Ordinal)
    {
        "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "CrashLoopBackOff", "CreateContainerConfigError",
        "CreateContainerError", "RunContainerError",
    };

    /// <summary>The pods of a workload: same namespace, labels matching its <c>spec.selector.matchLabels</c> (or, for a Pod, itself).</summary>
    public static IEnumerable<JsonObject> PodsOf(KubernetesManifest workload, IEnumerable<JsonObject> pods)
    {
        if (workload.Kind == "Pod")
        {
            return [workload.Json];
        }

        var selector = (workload.Spec?["selector"]?["matchLabels"] ?? (workload.Kind == "Job" ? null : workload.Spec?["selector"])) as JsonObject;
        if (workload.Kind == "Job")
        {
            return pods.Where(p => new KubernetesManifest(p).Label("job-name") == workload.Name || OwnedBy(p, workload));
        }

        if (selector is null || selector.Count == 0)
        {
            return [];
        }

        return pods.Where(p =>
        {
            var pod = new KubernetesManifest(p);
            return pod.Namespace == workload.Namespace && selector.All(s => pod.Label(s.Key) == s.Value.AsString());
        });
    }

    /// <summary>One line per container in trouble: <c>pod web-7d9-abc container web: ImagePullBackOff (Back-off pulling image "x")</c>.</summary>
    public static IReadOnlyList<string> Problems(IEnumerable<JsonObject> pods)
    {
        var problems = new List<string>();
        foreach (var podJson in pods)
        {
            var pod = new KubernetesManifest(podJson);
            foreach (var status in ContainerStatuses(pod))
            {
                if (Problem(status) is { } problem)
                {
                    problems.Add($"pod {pod.Name} container {status["name"].AsString()}: {problem}");
                }
            }
        }

        return problems;
    }

    /// <summary>The reason a container is not running, with the kubelet's message and the last exit code; null when it is fine.</summary>
    public static string? Problem(JsonObject containerStatus)
    {
        var waiting = containerStatus["state"]?["waiting"];
        var reason = waiting?["reason"].AsString();
        if (reason is null || !ProblemReasons.Contains(reason))
        {
            var terminated = containerStatus["state"]?["terminated"];
            return terminated is not null && (terminated["exitCode"].AsLong() ?? 0) != 0
                ? $"{terminated["reason"].AsString() ?? "Error"} (exit code {terminated["exitCode"].AsLong()})"
                : null;
        }

        var text = reason;
        if (waiting?["message"].AsString() is { Length: > 0 } message)
        {
            text += $" ({message})";
        }

        if (containerStatus["lastState"]?["terminated"] is JsonObject last)
        {
            text += $"; last exit code {last["exitCode"].AsLong()}{(last["reason"].AsString() is { } r ? " " + r : "")}, restarts {containerStatus["restartCount"].AsLong() ?? 0}";
        }

        return text;
    }

    public static IEnumerable<JsonObject> ContainerStatuses(KubernetesManifest pod) =>
        new[] { "initContainerStatuses", "containerStatuses" }.SelectMany(k => (pod.Status?[k] as JsonArray ?? []).OfType<JsonObject>());

    private static bool OwnedBy(JsonObject pod, KubernetesManifest owner) =>
        (pod["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().Any(o => o["uid"].AsString() == owner.Uid && owner.Uid is not null);
}
