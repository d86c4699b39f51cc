using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.ResizeServerGroup;

/// <summary>Computes the new capacity from <c>action</c>, asks the traffic guard when it shrinks, and resizes.</summary>
public sealed class ResizeServerGroupTask(CloudProviderRegistry registry, ITrafficGuard guard, ILogger<ResizeServerGroupTask> logger) : ITask
{
    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(5);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (!CloudStageContext.TryResolve(context, registry, out var target, out var failure))
        {
            return failure!;
        }

        var name = context.Context[ServerGroupContextKeys.ServerGroupName].AsString() ?? "";
        var group = await target.ServerGroups.GetAsync(target.Account, name, cancellationToken);
        if (group is null)
        {
            return TaskResult.Terminal($"Server group '{name}' does not exist in account '{target.Account}'");
        }

        var (capacity, error) = await NewCapacityAsync(context.Context, target, group, cancellationToken);
        if (capacity is null)
        {
            return TaskResult.Terminal(error!);
        }

        if (capacity.Desired < group.Capacity.Desired
            && await GuardedOperations.RefusalAsync(context, target, new GuardedChange(GuardedChangeKind.Resize, target.Account, name, capacity.Desired), guard, logger, cancellationToken) is { } refused)
        {
            return refused;
        }

        ServerGroupStageLog.Operation(logger, context.Execution.Id, context.Stage.Id, $"resize to {capacity.Desired}", target.Account, name);
        await target.ServerGroups.ResizeAsync(target.Account, name, capacity, cancellationToken);
        var result = ServerGroupContextKeys.Deployed(target.Account, name);
        result["capacity"] = capacity.ToJson();
        result["previousCapacity"] = group.Capacity.ToJson();
        return TaskResult.Succeeded(result);
    }

    private static async Task<(Capacity? Capacity, string? Error)> NewCapacityAsync(
        JsonObject context, CloudTarget target, ServerGroupSummary group, CancellationToken cancellationToken)
    {
        var current = group.Capacity.Desired;
        switch (context["action"].AsString() ?? "scale_exact")
        {
            case "scale_exact":
                return Capacity.FromJson(context["capacity"]) is { } exact && exact.Desired >= 0
                    ? (exact, null)
                    : (null, "resizeServerGroup with action scale_exact needs 'capacity' {\"min\", \"max\", \"desired\"} with desired ≥ 0");
            case "scale_up":
                return Step(context, current) is { } up ? (Capacity.Exactly(current + up), null) : (null, "scale_up needs 'scaleNum' or 'scalePct'");
            case "scale_down":
                return Step(context, current) is { } down ? (Capacity.Exactly(Math.Max(0, current - down)), null) : (null, "scale_down needs 'scaleNum' or 'scalePct'");
            case "scale_to_cluster":
                var cluster = await target.ServerGroups.ListClusterAsync(target.Application, target.Account, group.Cluster, cancellationToken);
                return (Capacity.Exactly(cluster.Select(g => g.Capacity.Desired).DefaultIfEmpty(current).Max()), null);
            case var other:
                return (null, $"unknown resize action '{other}': use scale_exact, scale_up, scale_down or scale_to_cluster");
        }
    }

    private static int? Step(JsonObject context, int current)
    {
        if (context["scaleNum"].AsLong() is { } number)
        {
            return (int)Math.Max(0, number);
        }

        return context["scalePct"].AsDouble() is { } pct ? (int)Math.Ceiling(current * Math.Max(0, pct) / 100.0) : null;
    }
}
