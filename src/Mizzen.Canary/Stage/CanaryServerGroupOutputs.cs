using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Canary.Stage;

/// <summary>Reads what the server-group stages wrote: the server group a findImage found or a createServerGroup created.</summary>
public static class CanaryServerGroupOutputs
{
    /// <summary>Where a server-group stage's expression finds the name (findImage and createServerGroup both write <c>deploymentDetails[0].serverGroup</c>).</summary>
    public const string ServerGroupPath = "outputs.deploymentDetails[0].serverGroup";

    public static string? ServerGroupOf(StageExecution stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return Name(stage.Outputs) ?? Name(stage.Context) ?? KubernetesCanaryDeploymentStages.WorkloadName(stage);
    }

    private static string? Name(JsonObject json)
        => json["serverGroup"].AsString()
           ?? json["serverGroupName"].AsString()
           ?? FirstOfMap(json["deploy.server.groups"])
           ?? (json["deploymentDetails"] as JsonArray)?.OfType<JsonObject>().Select(d => d["serverGroup"].AsString()).FirstOrDefault(n => n is not null);

    /// <summary>Orca's <c>{"account-or-region": ["name"]}</c>.</summary>
    private static string? FirstOfMap(JsonNode? node)
        => (node as JsonObject)?.Select(p => (p.Value as JsonArray)?.FirstOrDefault().AsString()).FirstOrDefault(n => n is not null);
}
