using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;

namespace Mizzen.Orchestration.Stages.ServerGroups;

/// <summary>
/// Orca's dynamic targets over a cluster listed newest first: <c>current_asg_dynamic</c> (newest, "Newest"),
/// <c>ancestor_asg_dynamic</c> (the one before it, "Previous"), <c>oldest_asg_dynamic</c>; the deprecated <c>current_asg</c>
/// and <c>ancestor_asg</c> mean the same.
/// </summary>
public static class ServerGroupTargets
{
    public static readonly IReadOnlyList<string> Known =
        ["current_asg_dynamic", "ancestor_asg_dynamic", "oldest_asg_dynamic", "current_asg", "ancestor_asg"];

    /// <summary>An explicit <c>serverGroupName</c> (or <c>asgName</c>, or <c>serverGroup</c> as traffic targets write it).</summary>
    public static string? ExplicitName(JsonObject context) =>
        CloudStageContext.NonEmpty(context["serverGroupName"].AsString())
        ?? CloudStageContext.NonEmpty(context["asgName"].AsString())
        ?? CloudStageContext.NonEmpty(context["serverGroup"].AsString());

    public static ServerGroupSummary? Pick(IReadOnlyList<ServerGroupSummary> newestFirst, string target) => target switch
    {
        "current_asg_dynamic" or "current_asg" => newestFirst.Count > 0 ? newestFirst[0] : null,
        "ancestor_asg_dynamic" or "ancestor_asg" => newestFirst.Count > 1 ? newestFirst[1] : null,
        "oldest_asg_dynamic" => newestFirst.Count > 0 ? newestFirst[^1] : null,
        _ => null,
    };
}
