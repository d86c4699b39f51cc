using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Providers.Kubernetes.Manifests;

/// <summary>
/// clouddriver's status of a manifest: <see cref="Stable"/>, <see cref="Failed"/>, <see cref="Paused"/>, <see cref="Available"/>, and
/// <see cref="Message"/> saying what is awaited or what failed (its <c>UnstableReason</c> texts).
/// </summary>
public sealed record ManifestStatus(bool Stable, bool Failed, bool Paused, bool Available, string? Message)
{
    public static ManifestStatus StableNow { get; } = new(true, false, false, true, null);

    public static ManifestStatus Unstable(string message, bool available = true) => new(false, false, false, available, message);

    public static ManifestStatus Failure(string message) => new(false, true, false, false, message);

    /// <summary>The status of <paramref name="obj"/> by its kind's rule (section 1.4).</summary>
    public static ManifestStatus Of(JsonObject obj)
    {
        var m = new KubernetesManifest(obj);
        return (KubernetesKinds.Find(m.Kind)?.Stability ?? StabilityRule.Always) switch
        {
            StabilityRule.Deployment => Deployment(m),
            StabilityRule.ReplicaSet => ReplicaSet(m),
            StabilityRule.StatefulSet => StatefulSet(m),
            StabilityRule.DaemonSet => DaemonSet(m),
            StabilityRule.Job => Job(m),
            StabilityRule.Pod => Pod(m),
            _ => StableNow,
        };
    }

    private static ManifestStatus Deployment(KubernetesManifest m)
    {
        if (m.Status is not { } status)
        {
            return Unstable("No status reported yet", available: false);
        }

        if (ObservedGeneration(status) < m.Generation)
        {
            return Unstable("Waiting for status generation to match updated object generation", available: false);
        }

        var conditions = Conditions(status);
        if (conditions.FirstOrDefault(c => c["type"].AsString() == "Progressing") is { } progressing)
        {
            if (progressing["reason"].AsString() == "ProgressDeadlineExceeded")
            {
                return Failure($"Deployment exceeded its progress deadline: {progressing["message"].AsString()}");
            }

            if (progressing["reason"].AsString() == "DeploymentPaused")
            {
                return new ManifestStatus(false, false, true, true, "Deployment is paused");
            }
        }

        var available = conditions.FirstOrDefault(c => c["type"].AsString() == "Available");
        var desired = m.Spec?["replicas"].AsLong() ?? 1;
        var updated = Count(status, "updatedReplicas");
        if (updated < desired)
        {
            return Unstable("Waiting for all replicas to be updated", available: available?["status"].AsString() != "False");
        }

        if (Count(status, "replicas") > updated)
        {
            return Unstable("Waiting for old replicas to finish termination");
        }

        if (Count(status, "availableReplicas") < desired)
        {
            return Unstable("Waiting for all replicas to be available", available: available?["status"].AsString() != "False");
        }

        if (Count(status, "readyReplicas") < desired)
        {
            return Unstable("Waiting for all replicas to be ready");
        }

        return StableNow;
    }

    private static ManifestStatus ReplicaSet(KubernetesManifest m)
    {
        if (m.Status is not { } status)
        {
            return Unstable("No status reported yet", available: false);
        }

        var desired = m.Spec?["replicas"].AsLong() ?? 1;
        if (Count(status, "fullyLabeledReplicas") < desired)
        {
            return Unstable("Waiting for all replicas to be fully-labeled", available: false);
        }

        if (Count(status, "readyReplicas") < desired)
        {
            return Unstable("Waiting for all replicas to be ready", available: false);
        }

        if (Count(status, "availableReplicas") < desired)
        {
            return Unstable("Waiting for all replicas to be available", available: false);
        }

        return ObservedGeneration(status) < m.Generation ? Unstable("Waiting for replicaset spec update to be observed") : StableNow;
    }

    private static ManifestStatus StatefulSet(KubernetesManifest m)
    {
        if (m.Status is not { } status)
        {
            return Unstable("No status reported yet", available: false);
        }

        if (m.Spec?["updateStrategy"]?["type"].AsString() == "OnDelete")
        {
            return StableNow;
        }

        if (ObservedGeneration(status) < m.Generation)
        {
            return Unstable("Waiting for status generation to match updated object generation");
        }

        var desired = m.Spec?["replicas"].AsLong() ?? 1;
        if (Count(status, "replicas") < desired)
        {
            return Unstable("Waiting for at least the desired replica count to be met");
        }

        if (Count(status, "readyReplicas") < desired)
        {
            return Unstable("Waiting for all updated replicas to be ready");
        }

        if (m.Spec?["updateStrategy"]?["rollingUpdate"]?["partition"].AsLong() is { } partition)
        {
            return Count(status, "updatedReplicas") < desired - partition ? Unstable("Waiting for partitioned roll out to finish") : StableNow;
        }

        if (Count(status, "currentReplicas") < desired)
        {
            return Unstable("Waiting for all updated replicas to be scheduled");
        }

        return status["currentRevision"].AsString() != status["updateRevision"].AsString()
            ? Unstable("Waiting for the updated revision to match the current revision")
            : StableNow;
    }

    private static ManifestStatus DaemonSet(KubernetesManifest m)
    {
        if (m.Status is not { } status)
        {
            return Unstable("No status reported yet", available: false);
        }

        if (ObservedGeneration(status) < m.Generation)
        {
            return Unstable("Waiting for status generation to match updated object generation");
        }

        if (m.Spec?["updateStrategy"]?["type"].AsString() is { } strategy && strategy != "RollingUpdate")
        {
            return StableNow;
        }

        var desired = Count(status, "desiredNumberScheduled");
        foreach (var (field, message) in new[]
                 {
                     ("currentNumberScheduled", "Waiting for all replicas to be scheduled"),
                     ("updatedNumberScheduled", "Waiting for all updated replicas to be scheduled"),
                     ("numberAvailable", "Waiting for all replicas to be available"),
                     ("numberReady", "Waiting for all replicas to be ready"),
                 })
        {
            if (Count(status, field) < desired)
            {
                return Unstable(message);
            }
        }

        return StableNow;
    }

    private static ManifestStatus Job(KubernetesManifest m)
    {
        var status = m.Status ?? [];
        if (Conditions(status).FirstOrDefault(c => c["type"].AsString() == "Failed" && c["status"].AsString() == "True") is { } failed)
        {
            return Failure($"Job failed: {failed["message"].AsString() ?? failed["reason"].AsString()}");
        }

        var completions = m.Spec?["completions"].AsLong() ?? 1;
        return Count(status, "succeeded") >= completions ? StableNow : Unstable("Waiting for jobs to finish");
    }

    private static ManifestStatus Pod(KubernetesManifest m) =>
        m.Status?["phase"].AsString() switch
        {
            "Running" or "Succeeded" => StableNow,
            var phase => Unstable($"Pod is {phase ?? "not scheduled yet"}", available: false),
        };

    private static long ObservedGeneration(JsonObject status) => status["observedGeneration"].AsLong() ?? 0;

    private static long Count(JsonObject status, string field) => status[field].AsLong() ?? 0;

    private static List<JsonObject> Conditions(JsonObject status) => [.. (status["conditions"] as JsonArray ?? []).OfType<JsonObject>()];
}
