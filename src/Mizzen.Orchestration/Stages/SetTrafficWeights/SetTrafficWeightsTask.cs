using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.SetTrafficWeights;

/// <summary>Resolves each target to a server group and replaces the load balancer's weights.</summary>
public sealed class SetTrafficWeightsTask(CloudProviderRegistry registry) : ITask
{
    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(5);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (!CloudStageContext.TryResolve(context, registry, out var target, out var failure))
        {
            return failure!;
        }

        if (LoadBalancerFields.Name(context.Context) is not { } name)
        {
            return TaskResult.Terminal("setTrafficWeights needs 'loadBalancer'");
        }

        var weights = new List<WeightedTarget>();
        foreach (var entry in (context.Context["targets"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var weight = (int)(entry["weight"].AsLong() ?? 0);
            if (ServerGroupTargets.ExplicitName(entry) is { } explicitName)
            {
                weights.Add(new WeightedTarget(explicitName, weight));
                continue;
            }

            var cluster = CloudStageContext.Cluster(entry) ?? "";
            var which = entry["target"].AsString() ?? "current_asg_dynamic";
            var groups = await target.ServerGroups.ListClusterAsync(target.Application, target.Account, cluster, cancellationToken);
            if (ServerGroupTargets.Pick(groups, which) is not { } picked)
            {
                return TaskResult.Terminal($"No server group matches target '{which}' in cluster '{cluster}' of account '{target.Account}'");
            }

            weights.Add(new WeightedTarget(picked.Name, weight));
        }

        await target.Provider.LoadBalancers.SetWeightsAsync(target.Account, name, weights, cancellationToken);
        var summary = await target.Provider.LoadBalancers.GetAsync(target.Account, name, cancellationToken);
        var outputs = summary is null ? new JsonObject() : new JsonObject { ["loadBalancer"] = LoadBalancerFields.ToJson(summary) };
        return TaskResult.Succeeded((JsonObject)outputs.DeepClone(), outputs);
    }
}
