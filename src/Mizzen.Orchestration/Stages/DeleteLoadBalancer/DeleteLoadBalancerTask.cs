using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.DeleteLoadBalancer;

/// <summary>Deletes the load balancer.</summary>
public sealed class DeleteLoadBalancerTask(CloudProviderRegistry registry) : ITask
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
            return TaskResult.Terminal("deleteLoadBalancer needs 'name'");
        }

        await target.Provider.LoadBalancers.DeleteAsync(target.Account, name, cancellationToken);
        return TaskResult.Succeeded();
    }
}
