using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.UpsertLoadBalancer;

/// <summary>Creates or updates the load balancer.</summary>
public sealed class UpsertLoadBalancerTask(CloudProviderRegistry registry) : ITask
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
            return TaskResult.Terminal("upsertLoadBalancer needs 'loadBalancerName' (or loadBalancers[0].name)");
        }

        var targets = (context.Context["targets"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(t => new WeightedTarget(t["serverGroup"].AsString() ?? "", (int)(t["weight"].AsLong() ?? 100)))
            .Where(t => t.ServerGroup.Length > 0)
            .ToList();
        var summary = await target.Provider.LoadBalancers.UpsertAsync(
            new LoadBalancerDefinition(name, target.Account, (int)(context.Context["port"].AsLong() ?? 0), targets), cancellationToken);
        var outputs = new JsonObject { ["loadBalancer"] = LoadBalancerFields.ToJson(summary) };
        return TaskResult.Succeeded((JsonObject)outputs.DeepClone(), outputs);
    }
}
