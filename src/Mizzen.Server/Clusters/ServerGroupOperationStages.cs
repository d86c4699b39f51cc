using System.Text.Json.Nodes;
using Mizzen.Orchestration.Clouds;
using CloudServerGroup = Mizzen.Orchestration.Clouds.ServerGroupSummary;

namespace Mizzen.Server.Clusters;

/// <summary>
/// The stage JSON an operation runs, with Spinnaker's field names (what Deck sends to Gate's <c>/tasks</c>):
/// <c>cloudProvider</c> (the server group's provider), <c>credentials</c> (the account), <c>serverGroupName</c>/<c>asgName</c>, <c>moniker</c>.
/// </summary>
internal static class ServerGroupOperationStages
{
    public static JsonObject Resize(string cloudProvider, CloudServerGroup target, Capacity capacity)
    {
        var stage = Targeting("resizeServerGroup", cloudProvider, target);
        stage["action"] = "scale_exact";
        stage["resizeType"] = "exact";
        stage["capacity"] = new JsonObject { ["min"] = capacity.Min, ["max"] = capacity.Max, ["desired"] = capacity.Desired };
        return stage;
    }

    public static JsonObject Enable(string cloudProvider, CloudServerGroup target) => Targeting("enableServerGroup", cloudProvider, target);

    public static JsonObject Disable(string cloudProvider, CloudServerGroup target) => Targeting("disableServerGroup", cloudProvider, target);

    public static JsonObject Destroy(string cloudProvider, CloudServerGroup target) => Targeting("destroyServerGroup", cloudProvider, target);

    /// <summary>Deck's explicit rollback: enable <c>restoreServerGroupName</c>, then disable <c>rollbackServerGroupName</c>.</summary>
    public static JsonObject Rollback(RollbackPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Undo is { } undo)
        {
            // Kubernetes: the Deployment goes back to the previous ReplicaSet's template, and the stage waits until it is stable.
            return new JsonObject
            {
                ["type"] = "undoRolloutManifest",
                ["name"] = "Undo Rollout",
                ["cloudProvider"] = plan.CloudProvider,
                ["account"] = plan.Current.Account,
                ["manifestName"] = undo.Manager,
                ["location"] = undo.Namespace,
                ["mode"] = "static",
                ["revision"] = undo.Revision,
                ["moniker"] = new JsonObject { ["app"] = plan.Current.Application },
            };
        }

        var stage = Targeting("rollbackServerGroup", plan.CloudProvider, plan.Current);
        stage["rollbackType"] = "EXPLICIT";
        stage["rollbackContext"] = new JsonObject
        {
            ["rollbackServerGroupName"] = plan.Current.Name,
            ["restoreServerGroupName"] = plan.Previous.Name,
            ["targetHealthyRollbackPercentage"] = 100,
        };
        return stage;
    }

    private static JsonObject Targeting(string type, string cloudProvider, CloudServerGroup target) => new()
    {
        ["type"] = type,
        ["name"] = StageName(type),
        ["cloudProvider"] = cloudProvider,
        ["credentials"] = target.Account,
        ["serverGroupName"] = target.Name,
        ["asgName"] = target.Name,
        ["cluster"] = target.Cluster,
        ["moniker"] = new JsonObject
        {
            ["app"] = target.Application,
            ["cluster"] = target.Cluster,
            ["stack"] = target.Stack,
            ["detail"] = target.Detail,
            ["sequence"] = target.Sequence,
        },
    };

    private static string StageName(string type) => type switch
    {
        "resizeServerGroup" => "Resize Server Group",
        "enableServerGroup" => "Enable Server Group",
        "disableServerGroup" => "Disable Server Group",
        "destroyServerGroup" => "Destroy Server Group",
        _ => "Rollback Server Group",
    };
}
