using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Validation;
using Mizzen.Server.Errors;
using Mizzen.Server.Security;
using CloudServerGroup = Mizzen.Orchestration.Clouds.ServerGroupSummary;

namespace Mizzen.Server.Clusters;

/// <summary>
/// Operations on server groups and clusters. Each runs as an ad-hoc orchestration of the matching stage type (the same stage a
/// pipeline would use, so the same audit trail) and answers 202 <c>{ref: "/pipelines/&lt;id&gt;"}</c>.
/// </summary>
public static class ServerGroupOperationEndpoints
{
    public static IEndpointRouteBuilder MapServerGroupOperationEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/applications/{app}").WithTags("Server group operations").AddEndpointFilter<Nodes.OwnerNodeFilter>();
        group.MapPost("/serverGroups/{account}/{serverGroup}/resize", async (string app, string account, string serverGroup, HttpContext http, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadObjectAsync(http.Request, ct);
            var (provider, target) = await RequireAsync(http, app, account, serverGroup, ct);
            var capacity = ReadCapacity(body, target.Capacity);
            return await StartAsync(http, app, $"Resize Server Group: {serverGroup} to {capacity.Min}/{capacity.Desired}/{capacity.Max}",
                ServerGroupOperationStages.Resize(provider, target, capacity), ct);
        });
        group.MapPost("/serverGroups/{account}/{serverGroup}/enable", async (string app, string account, string serverGroup, HttpContext http, CancellationToken ct) =>
        {
            var (provider, target) = await RequireAsync(http, app, account, serverGroup, ct);
            return await StartAsync(http, app, $"Enable Server Group: {serverGroup}", ServerGroupOperationStages.Enable(provider, target), ct);
        });
        group.MapPost("/serverGroups/{account}/{serverGroup}/disable", async (string app, string account, string serverGroup, HttpContext http, CancellationToken ct) =>
        {
            var (provider, target) = await RequireAsync(http, app, account, serverGroup, ct);
            return await StartAsync(http, app, $"Disable Server Group: {serverGroup}", ServerGroupOperationStages.Disable(provider, target), ct);
        });
        group.MapDelete("/serverGroups/{account}/{serverGroup}", async (string app, string account, string serverGroup, HttpContext http, CancellationToken ct) =>
        {
            var (provider, target) = await RequireAsync(http, app, account, serverGroup, ct);
            return await StartAsync(http, app, $"Destroy Server Group: {serverGroup}", ServerGroupOperationStages.Destroy(provider, target), ct);
        });
        group.MapPost("/clusters/{account}/{cluster}/rollback", async (string app, string account, string cluster, HttpContext http, CancellationToken ct) =>
        {
            var plan = await RollbackPlanAsync(http.RequestServices.GetRequiredService<CloudProviderRegistry>(), app, account, cluster, ct);
            return await StartAsync(http, app, $"Rollback {cluster}: {plan.Current.Name} → {plan.Previous.Name}",
                ServerGroupOperationStages.Rollback(plan), ct);
        });
        return routes;
    }

    /// <summary>The server group and the name of the provider that has its account; a 404 when there is none, or it is another application's.</summary>
    internal static async Task<(string Provider, CloudServerGroup Group)> RequireAsync(
        CloudProviderRegistry providers, string app, string account, string serverGroup, CancellationToken ct)
    {
        var provider = providers.ProviderOf(account);
        var found = provider is null ? null : await provider.ServerGroups.GetAsync(account, serverGroup, ct);
        return found is not null && string.Equals(found.Application, app, StringComparison.OrdinalIgnoreCase)
            ? (provider!.Name, found)
            : throw new NotFoundException($"application '{app}' has no server group '{serverGroup}' in account '{account}'");
    }

    /// <summary>The rollback of the cluster (<see cref="RollbackPlan.For"/>); a 404 when the application has no such cluster in the account.</summary>
    internal static async Task<RollbackPlan> RollbackPlanAsync(CloudProviderRegistry providers, string app, string account, string cluster, CancellationToken ct)
    {
        var provider = providers.ProviderOf(account);
        var groups = provider is null ? [] : await provider.ServerGroups.ListClusterAsync(ClusterEndpoints.Normalize(app), account, cluster, ct);
        if (groups.Count == 0)
        {
            throw new NotFoundException($"application '{app}' has no cluster '{cluster}' in account '{account}'");
        }

        var plan = RollbackPlan.For(provider!.Name, account, cluster, groups);
        if (provider.Name != "kubernetes")
        {
            return plan;
        }

        // A Kubernetes cluster is a Deployment; its server groups are ReplicaSets with the Deployment's revision on them.
        var previous = await provider.Reads.GetServerGroupAsync(account, plan.Previous.Name, ct);
        return previous is not null && previous.Details.TryGetValue("serverGroupManager", out var manager)
                                    && manager.StartsWith("deployment ", StringComparison.Ordinal)
                                    && previous.Details.TryGetValue("revision", out var revision)
            ? plan with { Undo = new RolloutUndo(previous.Region, manager, revision) }
            : throw new ConflictException(
                $"{plan.Previous.Name} in account '{account}' is not a revision of a Deployment: roll it back by deploying its previous manifest");
    }

    private static Task<(string Provider, CloudServerGroup Group)> RequireAsync(
        HttpContext http, string app, string account, string serverGroup, CancellationToken ct) =>
        RequireAsync(http.RequestServices.GetRequiredService<CloudProviderRegistry>(), app, account, serverGroup, ct);

    private static async Task<IResult> StartAsync(HttpContext http, string app, string description, JsonObject stage, CancellationToken ct)
    {
        var id = await OrchestrationLauncher.StartAsync(
            http.RequestServices.GetRequiredService<PipelineValidator>(),
            http.RequestServices.GetRequiredService<IExecutionRunner>(),
            ClusterEndpoints.Normalize(app), description, [stage], http.User(), ct);
        var reference = $"/pipelines/{id}";
        return TypedResults.Accepted(reference, new { @ref = reference });
    }

    /// <summary><c>{capacity: {min, max, desired}}</c>; a missing min or max follows desired and the current capacity.</summary>
    private static Capacity ReadCapacity(JsonObject body, Capacity current)
    {
        if (body["capacity"] is not JsonObject capacity)
        {
            throw new ValidationException("capacity", "required: {\"capacity\": {\"min\": N, \"max\": N, \"desired\": N}}");
        }

        var desired = Count(capacity, "desired") ?? throw new ValidationException("capacity.desired", "required: the number of instances to run");
        var min = Count(capacity, "min") ?? Math.Min(desired, current.Min);
        var max = Count(capacity, "max") ?? Math.Max(desired, current.Max);
        return min <= desired && desired <= max
            ? new Capacity(min, max, desired)
            : throw new ValidationException("capacity", $"needs min <= desired <= max, got {min}/{desired}/{max}");
    }

    private static int? Count(JsonObject capacity, string field)
    {
        var node = capacity[field];
        if (node is null)
        {
            return null;
        }

        var value = node.AsLong() ?? (long.TryParse(node.AsString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null);
        return value is >= 0 and <= 1000 ? (int)value : throw new ValidationException($"capacity.{field}", "must be a whole number from 0 to 1000");
    }
}
