using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.ServerGroups;

/// <summary>
/// The fields every server-group stage shares, read from the stage's own (evaluated) context as Spinnaker names them:
/// <c>cloudProvider</c> (default <c>local</c>), <c>account</c> or <c>credentials</c>, <c>application</c> (or <c>moniker.app</c>, the
/// cluster's first part, the execution's application), <c>cluster</c> (or <c>moniker.cluster</c>, or <c>application-stack-freeFormDetails</c>).
/// </summary>
public static class CloudStageContext
{
    public static string? CloudProvider(JsonObject context) => context["cloudProvider"].AsString() ?? context["provider"].AsString();

    public static string? Account(JsonObject context) =>
        NonEmpty(context["account"].AsString()) ?? NonEmpty(context["credentials"].AsString()) ?? NonEmpty(context["accountName"].AsString());

    public static string Application(JsonObject context, PipelineExecution execution) =>
        NonEmpty(context["application"].AsString())
        ?? NonEmpty(context["moniker"]?["app"].AsString())
        ?? (Cluster(context) is { } cluster ? cluster.Split('-')[0] : null)
        ?? execution.Application;

    public static string? Cluster(JsonObject context)
    {
        if (NonEmpty(context["cluster"].AsString()) is { } cluster)
        {
            return cluster;
        }

        if (NonEmpty(context["moniker"]?["cluster"].AsString()) is { } monikerCluster)
        {
            return monikerCluster;
        }

        return NonEmpty(context["application"].AsString()) is { } app
            ? ClusterName(app, context["stack"].AsString(), context["freeFormDetails"].AsString() ?? context["detail"].AsString())
            : null;
    }

    /// <summary>Frigga's cluster name: <c>app</c>, <c>app-stack</c> or <c>app-stack-detail</c> (<c>app--detail</c> without a stack).</summary>
    public static string ClusterName(string application, string? stack, string? detail) =>
        !string.IsNullOrEmpty(detail) ? $"{application}-{stack}-{detail}"
        : string.IsNullOrEmpty(stack) ? application
        : $"{application}-{stack}";

    public static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The provider, account and application a server-group task works with; a Terminal result when one is missing.</summary>
    public static bool TryResolve(TaskContext task, CloudProviderRegistry registry, out CloudTarget target, out TaskResult? failure)
    {
        target = default!;
        failure = null;
        var account = Account(task.Context);
        if (account is null)
        {
            failure = TaskResult.Terminal($"Stage '{task.Stage.Name}' needs 'account' (or 'credentials'): the account to work in");
            return false;
        }

        if (!registry.TryGet(CloudProvider(task.Context), out var provider))
        {
            failure = TaskResult.Terminal($"No cloud provider '{CloudProvider(task.Context)}' is configured; available: {string.Join(", ", registry.All.Select(p => p.Name))}");
            return false;
        }

        target = new CloudTarget(provider, account, Application(task.Context, task.Execution));
        return true;
    }
}

/// <summary>Where a server-group task acts: the provider, the account and the application (for traffic guards and listings).</summary>
public sealed record CloudTarget(ICloudProvider Provider, string Account, string Application)
{
    public IServerGroupOperations ServerGroups => Provider.ServerGroups;
}
