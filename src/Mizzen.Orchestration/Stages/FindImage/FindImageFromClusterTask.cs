using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.FindImage;

/// <summary>Picks a server group of the cluster by <c>selectionStrategy</c> and outputs its artifact.</summary>
public sealed class FindImageFromClusterTask(CloudProviderRegistry registry) : ITask
{
    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(10);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (!CloudStageContext.TryResolve(context, registry, out var target, out var failure))
        {
            return failure!;
        }

        var cluster = CloudStageContext.Cluster(context.Context) ?? "";
        var onlyEnabled = context.Context["onlyEnabled"].AsBool() ?? !string.Equals(context.Context["onlyEnabled"].AsString(), "false", StringComparison.OrdinalIgnoreCase);
        var candidates = (await target.ServerGroups.ListClusterAsync(target.Application, target.Account, cluster, cancellationToken))
            .Where(g => !onlyEnabled || g.Enabled)
            .ToList();
        if (candidates.Count == 0)
        {
            return TaskResult.Terminal($"No {(onlyEnabled ? "enabled " : "")}server group found in cluster '{cluster}' of account '{target.Account}'");
        }

        var strategy = (context.Context["selectionStrategy"].AsString() ?? "NEWEST").ToUpperInvariant();
        if (strategy == "FAIL" && candidates.Count > 1)
        {
            return TaskResult.Terminal(
                $"selectionStrategy FAIL: cluster '{cluster}' in '{target.Account}' has {candidates.Count} candidate server groups ({string.Join(", ", candidates.Select(c => c.Name))})");
        }

        var chosen = strategy switch
        {
            "OLDEST" => candidates[^1],
            "LARGEST" => candidates.OrderByDescending(g => g.Capacity.Desired).ThenByDescending(g => g.Sequence).First(),
            _ => candidates[0],
        };
        var artifact = chosen.Artifact.ToJson();
        var detail = new JsonObject
        {
            ["imageId"] = chosen.Artifact.Reference,
            ["imageName"] = chosen.Artifact.Name ?? chosen.Artifact.Reference,
            ["ami"] = chosen.Artifact.Reference,
            ["cloudProvider"] = target.Provider.Name,
            ["account"] = target.Account,
            ["cluster"] = cluster,
            ["sourceServerGroup"] = chosen.Name,
            ["serverGroup"] = chosen.Name,
            ["refId"] = context.Stage.RefId,
            ["artifact"] = artifact,
        };
        var outputs = new JsonObject
        {
            [ServerGroupContextKeys.DeploymentDetails] = new JsonArray(detail),
            [ServerGroupContextKeys.Artifacts] = new JsonArray(artifact.DeepClone()),
        };
        return TaskResult.Succeeded((JsonObject)outputs.DeepClone(), outputs);
    }
}
