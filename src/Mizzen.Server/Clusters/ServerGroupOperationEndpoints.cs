using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Validation;
using Mizzen.Providers.Local.Api;
using Mizzen.Server.Errors;
using Mizzen.Server.Security;

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
            var target = await RequireAsync(http, app, account, serverGroup, ct);
            var capacity = ReadCapacity(body, target.Capacity);
            return await StartAsync(http, app, $"Resize Server Group: {serverGroup} to {capacity.Min}/{capacity.Desired}/{capacity.Max}",
                ServerGroupOperationStages.Resize(target, capacity), ct);
        });
        group.MapPost("/serverGroups/{account}/{serverGroup}/enable", async (string app, string account, string serverGroup, HttpContext http, CancellationToken ct) =>
        {
            var target = await RequireAsync(http, app, account, serverGroup, ct);
            return await StartAsync(http, app, $"Enable Server Group: {serverGroup}", ServerGroupOperationStages.Enable(target), ct);
        });
        group.MapPost("/serverGroups/{account}/{serverGroup}/disable", async (string app, string account, string serverGroup, HttpContext http, CancellationToken ct) =>
        {
            var target = await RequireAsync(http, app, account, serverGroup, ct);
            return await StartAsync(http, app, $"Disable Server Group: {serverGroup}", ServerGroupOperationStages.Disable(target), ct);
        });
        group.MapDelete("/serverGroups/{account}/{serverGroup}", async (string app, string account, string serverGroup, HttpContext http, CancellationToken ct) =>
        {
            var target = await RequireAsync(http, app, account, serverGroup, ct);
            return await StartAsync(http, app, $"Destroy Server Group: {serverGroup}", ServerGroupOperationStages.Destroy(target), ct);
        });
        group.MapPost("/clusters/{account}/{cluster}/rollback", async (string app, string account, string cluster, HttpContext http, CancellationToken ct) =>
        {
            var provider = http.RequestServices.GetRequiredService<ILocalCloudProvider>();
            var found = (await provider.ListClustersAsync(ClusterEndpoints.Normalize(app), ct)).FirstOrDefault(c => c.Account == account && c.Name == cluster)
                        ?? throw new NotFoundException($"application '{app}' has no cluster '{cluster}' in account '{account}'");
            var plan = RollbackPlan.For(found);
            return await StartAsync(http, app, $"Rollback {cluster}: {plan.Current.Name} → {plan.Previous.Name}",
                ServerGroupOperationStages.Rollback(plan), ct);
        });
        return routes;
    }

    private static async Task<ServerGroupView> RequireAsync(HttpContext http, string app, string account, string serverGroup, CancellationToken ct)
    {
        var provider = http.RequestServices.GetRequiredService<ILocalCloudProvider>();
        var found = await provider.GetServerGroupAsync(account, serverGroup, ct);
        return found is not null && string.Equals(found.Application, app, StringComparison.OrdinalIgnoreCase)
            ? found
            : throw new NotFoundException($"application '{app}' has no server group '{serverGroup}' in account '{account}'");
    }

    private static async Task<IResult> StartAsync(HttpContext http, string app, string description, JsonObject stage, CancellationToken ct)
    {
        var id = await OrchestrationLauncher.StartAsync(
            http.RequestServices.GetRequiredService<PipelineValidator>(),
            http.RequestServices.GetRequiredService<IExecutionRunner>(),
            ClusterEndpoints.Normalize(app), description, [stage], http.User(), ct);
        var reference = $"/pipelines/{id}";
        return TypedResults.Accepted(reference, new { @ref = reference });
    }

    /// <summary><c>{capacity: {min, max, desired}}</c>; a missing min or max follows desired (the local provider runs exactly desired).</summary>
    private static ServerGroupCapacity ReadCapacity(JsonObject body, ServerGroupCapacity current)
    {
        if (body["capacity"] is not JsonObject capacity)
        {
            throw new ValidationException("capacity", "required: {\"capacity\": {\"min\": N, \"max\": N, \"desired\": N}}");
        }

        var desired = Count(capacity, "desired") ?? throw new ValidationException("capacity.desired", "required: the number of instances to run");
        var min = Count(capacity, "min") ?? Math.Min(desired, current.Min);
        var max = Count(capacity, "max") ?? Math.Max(desired, current.Max);
        return min <= desired && desired <= max
            ? new ServerGroupCapacity(min, max, desired)
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
