using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.CreateServerGroup;

/// <summary>
/// Reads a createServerGroup context into a <see cref="ServerGroupSpec"/>. The artifact comes from, in order: the artifact bound to
/// <c>expectedArtifactId</c> / <c>artifactId</c> (<see cref="StageArtifactBinding"/>: from the trigger or an upstream stage; an id with no
/// binding fails the stage), <c>artifact</c> (an artifact map), <c>bundle</c> (a path or URL: shorthand for a <c>local/bundle</c> artifact), else the first entry of <c>deploymentDetails</c>
/// in upstream outputs that carries an <c>artifact</c> (what findImage writes), so findImage → deploy promotes an image.
/// </summary>
public static class ServerGroupSpecReader
{
    public static CloudArtifact? Artifact(TaskContext task)
    {
        var context = task.Context;
        if (CloudArtifact.FromJson(StageArtifactBinding.Resolve(task)) is { } artifact)
        {
            return artifact;
        }

        if (CloudStageContext.NonEmpty(context["bundle"].AsString()) is { } bundle)
        {
            return new CloudArtifact(CloudArtifact.LocalBundleType, context["application"].AsString(), context["version"].AsString(), bundle);
        }

        if (task.Get(ServerGroupContextKeys.DeploymentDetails) is JsonArray details)
        {
            foreach (var detail in details)
            {
                if (CloudArtifact.FromJson(detail?["artifact"]) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    public static ServerGroupSpec Read(JsonObject context, string application, string account, CloudArtifact artifact, Capacity capacity, bool enabled) => new()
    {
        Application = application,
        Account = account,
        Stack = context["stack"].AsString(),
        Detail = context["freeFormDetails"].AsString() ?? context["detail"].AsString(),
        Artifact = artifact,
        Command = context["command"].AsString(),
        Args = context["args"] is JsonArray args ? args.Select(a => a.AsString() ?? "").ToList() : [],
        Env = context["env"] is JsonObject env ? env.ToDictionary(p => p.Key, p => p.Value.AsString() ?? p.Value?.ToJsonString() ?? "") : new Dictionary<string, string>(),
        Capacity = capacity,
        HealthCheck = HealthCheck(context["healthCheck"]),
        LoadBalancers = context["loadBalancers"] is JsonArray lbs ? lbs.Select(l => l.AsString() ?? "").Where(l => l.Length > 0).ToList() : [],
        ScrapeMetrics = context["scrapeMetrics"].AsBool() == true,
        Enabled = enabled,
    };

    private static HealthCheck HealthCheck(JsonNode? node)
    {
        var defaults = new HealthCheck();
        return node is not JsonObject json
            ? defaults
            : new HealthCheck
            {
                Type = json["type"].AsString() ?? defaults.Type,
                Path = json["path"].AsString() ?? defaults.Path,
                IntervalSeconds = json["intervalSeconds"].AsDouble() ?? defaults.IntervalSeconds,
                TimeoutSeconds = json["timeoutSeconds"].AsDouble() ?? defaults.TimeoutSeconds,
                HealthyThreshold = (int?)json["healthyThreshold"].AsLong() ?? defaults.HealthyThreshold,
                UnhealthyThreshold = (int?)json["unhealthyThreshold"].AsLong() ?? defaults.UnhealthyThreshold,
            };
    }
}
