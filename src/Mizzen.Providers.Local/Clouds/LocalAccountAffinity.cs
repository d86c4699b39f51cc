using System.Text.Json.Nodes;
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
/// account no node is bound to may run anywhere. A canary stage goes to the node of its account too: the metrics it judges are
/// recorded by that node's load balancers. Reads only the stage contexts in memory.
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
            if (AccountOf(current.Context) is not { } found)
            {
                continue;
            }

            return string.IsNullOrWhiteSpace(found.Provider) || string.Equals(found.Provider, CloudProviderRegistry.DefaultProvider, StringComparison.OrdinalIgnoreCase)
                ? accounts.BoundNode(found.Account)
                : null;
        }

        return null;
    }

    /// <summary>
    /// The account a stage acts on: its <c>account</c>/<c>credentials</c> (server-group stages, runJob); for a canary stage
    /// (whose analysis reads the metrics the owner's load balancers record) its <c>deployments.baseline</c>, else its first
    /// scope's <c>extendedScopeParams.account</c>.
    /// </summary>
    private static (string? Provider, string Account)? AccountOf(JsonObject context)
    {
        if (CloudStageContext.Account(context) is { } account)
        {
            return (CloudStageContext.CloudProvider(context), account);
        }

        if (context["deployments"]?["baseline"] is JsonObject baseline && CloudStageContext.Account(baseline) is { } baselineAccount)
        {
            return (CloudStageContext.CloudProvider(baseline), baselineAccount);
        }

        return context["canaryConfig"]?["scopes"] is JsonArray { Count: > 0 } scopes
               && scopes[0]?["extendedScopeParams"]?["account"] is JsonValue value && value.TryGetValue<string>(out var scoped)
               && !string.IsNullOrWhiteSpace(scoped)
            ? (null, scoped)
            : null;
    }
}
