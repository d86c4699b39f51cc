using Mizzen.Core.Model;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Providers.Local.Clouds;

/// <summary>
/// A stage that acts on a local account bound to a node (<see cref="LocalAccountOptions.Node"/>) runs on that node: deploy,
/// resize, enable/disable, destroy, rollback, runJob and their synthetic stages start, stop and read processes under the
/// account's folder, which exist only on the owner's host. The account is the stage's own <c>account</c>/<c>credentials</c>
/// (as the stage's tasks read it), else its nearest parent's; a stage for another cloud provider, with no account, or on an
/// account no node is bound to may run anywhere. Reads only the stage contexts in memory.
/// </summary>
internal sealed class LocalAccountAffinity(LocalAccountRegistry accounts) : INodeAffinity
{
    public string? NodeFor(PipelineExecution execution, StageExecution stage)
    {
        if (!accounts.AnyBound)
        {
            return null;
        }

        for (StageExecution? current = stage; current is not null; current = execution.Parent(current))
        {
            if (CloudStageContext.Account(current.Context) is not { } account)
            {
                continue;
            }

            var provider = CloudStageContext.CloudProvider(current.Context);
            return string.IsNullOrWhiteSpace(provider) || string.Equals(provider, CloudProviderRegistry.DefaultProvider, StringComparison.OrdinalIgnoreCase)
                ? accounts.BoundNode(account)
                : null;
        }

        return null;
    }
}
