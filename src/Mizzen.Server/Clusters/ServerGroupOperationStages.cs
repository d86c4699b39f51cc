using System.Text.Json.Nodes;
using Mizzen.Providers.Local.Api;

namespace Mizzen.Server.Clusters;

/// <summary>
/// The stage JSON an operation runs, with Spinnaker's field names (what Deck sends to Gate's <c>/tasks</c>):
/// <c>cloudProvider</c>, <c>credentials</c> (the account), <c>serverGroupName</c>/<c>asgName</c>, <c>moniker</c>, <c>region</c>.
/// </summary>
internal static class ServerGroupOperationStages
{
    public static JsonObject Resize(ServerGroupView target, ServerGroupCapacity capacity)
    {
        var stage = Targeting("resizeServerGroup", target);
        stage["action"] = "scale_exact";
        stage["resizeType"] = "exact";
        stage["capacity"] = new JsonObject { ["min"] = capacity.Min, ["max"] = capacity.Max, ["desired"] = capacity.Desired };
        return stage;
    }

    public static JsonObject Enable(ServerGroupView target) => Targeting("enableServerGroup", target);

    public static JsonObject Disable(ServerGroupView target) => Targeting("disableServerGroup", target);

    public static JsonObject Destroy(ServerGroupView target) => Targeting("destroyServerGroup", target);

    /// <summary>Deck's explicit rollback: enable <c>restoreServerGroupName</c>, then disable <c>rollbackServerGroupName</c>.</summary>
    public static JsonObject Rollback(RollbackPlan plan)
    {
        var stage = Targeting("rollbackServerGroup", plan.Current);
        stage["rollbackType"] = "EXPLICIT";
        stage["rollbackContext"] = new JsonObject
        {
            ["rollbackServerGroupName"] = plan.Current.Name,
            ["restoreServerGroupName"] = plan.Previous.Name,
            ["targetHealthyRollbackPercentage"] = 100,
        };
        return stage;
    }

    private static JsonObject Targeting(string type, ServerGroupView target) => new()
    {
        ["type"] = type,
        ["name"] = StageName(type),
        ["cloudProvider"] = ServerGroupSummary.Provider,
        ["credentials"] = target.Account,
        ["region"] = ServerGroupSummary.Provider,
        ["regions"] = new JsonArray(ServerGroupSummary.Provider),
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
