using System.Text.Json.Nodes;

namespace Mizzen.Testing.Kubernetes;

/// <summary>
/// The defaults a real API server fills in that clients read back: replicas 1, the RollingUpdate strategy of 25%/25%,
/// revisionHistoryLimit 10, progressDeadlineSeconds 600, a Service's type, cluster IP, port protocol and targetPort, a
/// Job's completions, parallelism and backoffLimit, a pod's restartPolicy. Far fewer than a real server sets.
/// </summary>
internal static class FakeDefaults
{
    public static void Apply(FakeResourceType type, JsonObject obj, JsonObject? current = null)
    {
        if (!type.BuiltIn)
        {
            return;
        }

        var spec = obj["spec"] as JsonObject;
        switch (type.Kind)
        {
            case "Deployment" when spec is not null:
                spec["replicas"] ??= 1;
                spec["revisionHistoryLimit"] ??= 10;
                spec["progressDeadlineSeconds"] ??= 600;
                if (spec["strategy"] is not JsonObject strategy)
                {
                    spec["strategy"] = strategy = new JsonObject { ["type"] = "RollingUpdate" };
                }

                strategy["type"] ??= "RollingUpdate";
                if (strategy["type"]?.GetValue<string>() == "RollingUpdate")
                {
                    var rolling = strategy["rollingUpdate"] as JsonObject ?? (JsonObject)(strategy["rollingUpdate"] = new JsonObject());
                    rolling["maxUnavailable"] ??= "25%";
                    rolling["maxSurge"] ??= "25%";
                }

                PodTemplate(spec["template"]?["spec"] as JsonObject, "Always");
                break;
            case "ReplicaSet" or "ReplicationController" when spec is not null:
                spec["replicas"] ??= 1;
                PodTemplate(spec["template"]?["spec"] as JsonObject, "Always");
                break;
            case "StatefulSet" when spec is not null:
                spec["replicas"] ??= 1;
                spec["podManagementPolicy"] ??= "OrderedReady";
                spec["revisionHistoryLimit"] ??= 10;
                spec["updateStrategy"] ??= new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 0 } };
                PodTemplate(spec["template"]?["spec"] as JsonObject, "Always");
                break;
            case "DaemonSet" when spec is not null:
                spec["revisionHistoryLimit"] ??= 10;
                spec["updateStrategy"] ??= new JsonObject
                {
                    ["type"] = "RollingUpdate",
                    ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 1, ["maxSurge"] = 0 },
                };
                PodTemplate(spec["template"]?["spec"] as JsonObject, "Always");
                break;
            case "Job" when spec is not null:
                spec["completions"] ??= 1;
                spec["parallelism"] ??= 1;
                spec["backoffLimit"] ??= 6;
                PodTemplate(spec["template"]?["spec"] as JsonObject, "Never");
                break;
            case "Pod" when spec is not null:
                PodTemplate(spec, "Always");
                break;
            case "Service" when spec is not null:
                spec["type"] ??= "ClusterIP";
                spec["sessionAffinity"] ??= "None";
                if (spec["type"]?.GetValue<string>() != "ExternalName" && spec["clusterIP"] is null)
                {
                    var ip = current?["spec"]?["clusterIP"]?.GetValue<string>() ?? ClusterIp(FakeObjectStore.Namespace(obj) + "/" + FakeObjectStore.Name(obj));
                    spec["clusterIP"] = ip;
                    spec["clusterIPs"] = new JsonArray(ip);
                }

                foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    port["protocol"] ??= "TCP";
                    port["targetPort"] ??= port["port"]?.DeepClone();
                }

                break;
        }
    }

    private static void PodTemplate(JsonObject? podSpec, string restartPolicy)
    {
        if (podSpec is null)
        {
            return;
        }

        podSpec["restartPolicy"] ??= restartPolicy;
        podSpec["terminationGracePeriodSeconds"] ??= 30;
        podSpec["dnsPolicy"] ??= "ClusterFirst";
        podSpec["schedulerName"] ??= "default-scheduler";
        podSpec["securityContext"] ??= new JsonObject();
        foreach (var container in (podSpec["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var image = container["image"]?.GetValue<string>() ?? "";
            container["resources"] ??= new JsonObject();
            container["terminationMessagePath"] ??= "/dev/termination-log";
            container["terminationMessagePolicy"] ??= "File";
            container["imagePullPolicy"] ??= image.EndsWith(":latest", StringComparison.Ordinal) || !image.Contains(':', StringComparison.Ordinal) ? "Always" : "IfNotPresent";
            foreach (var port in (container["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                port["protocol"] ??= "TCP";
            }
        }
    }

    private static string ClusterIp(string key)
    {
        var hash = FakeController.Fnv(key);
        return $"10.96.{(hash >> 8) & 0xff}.{Math.Max(2, hash & 0xff)}";
    }
}
