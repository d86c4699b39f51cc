using System.Text.Json.Nodes;
using Mizzen.Canary;
using Mizzen.Canary.Configs;
using Mizzen.Core.Errors;
using Mizzen.Server.Errors;
using Mizzen.Server.Security;
using Mizzen.Server.Security.Authorization;

namespace Mizzen.Server.Canary;

/// <summary>
/// Canary configs, at Kayenta's paths (<c>/v2/canaries/canaryConfig</c>) and Gate's (<c>/v2/canaryConfig</c>): list per
/// application, create, read, replace (a new revision), delete, revision history. Invalid configs are 400 ProblemDetails with
/// one <c>{location, message}</c> per issue.
/// </summary>
public static class CanaryConfigEndpoints
{
    public static IEndpointRouteBuilder MapCanaryConfigEndpoints(this IEndpointRouteBuilder routes, string prefix)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet(prefix, async (string? application, ICanaryConfigStore store, CancellationToken ct) =>
        {
            var app = application ?? throw new ValidationException("application", "list canary configs of one application: ?application=NAME");
            return TypedResults.Ok((await store.ListAsync(app, ct)).Select(Summary));
        });
        routes.MapPost(prefix, async (HttpContext http, string? application, ICanaryConfigStore store, CancellationToken ct) =>
        {
            var permissions = http.RequestServices.GetRequiredService<PermissionEvaluator>();
            var stored = await CanaryConfigSaving.CreateAsync(store, application, await RequestBody.ReadTextAsync(http.Request, ct), http.User(), ct,
                (app, token) => permissions.DemandApplicationAsync(http.Caller(), app, Access.Write, token));
            return TypedResults.Ok(new { canaryConfigId = stored.Id });
        });
        routes.MapGet(prefix + "/{id}", async (string id, ICanaryConfigStore store, CancellationToken ct) =>
            Results.Text(CanaryConfigJson.Serialize(CanaryConfigSaving.Stamped(await FindAsync(store, id, ct))), "application/json"));
        routes.MapPut(prefix + "/{id}", async (HttpContext http, string id, ICanaryConfigStore store, CancellationToken ct) =>
        {
            var stored = await CanaryConfigSaving.UpdateAsync(store, id, await RequestBody.ReadTextAsync(http.Request, ct), http.User(), ct);
            return TypedResults.Ok(new { canaryConfigId = stored.Id, revision = stored.Revision });
        });
        routes.MapDelete(prefix + "/{id}", async (string id, ICanaryConfigStore store, CancellationToken ct) =>
        {
            var existing = await FindAsync(store, id, ct);
            await store.DeleteAsync(existing.Application, id, ct);
            return Results.NoContent();
        });
        routes.MapGet(prefix + "/{id}/history", async (string id, ICanaryConfigStore store, CancellationToken ct) =>
        {
            var existing = await FindAsync(store, id, ct);
            var revisions = await store.ListRevisionsAsync(existing.Application, id, ct);
            return TypedResults.Ok(revisions.Select(r => new { revision = r.Revision, user = r.SavedBy, timestamp = r.SavedAt.ToUnixTimeMilliseconds(), name = r.Config.Name }));
        });
        return routes;
    }

    public static async Task<StoredCanaryConfig> FindAsync(ICanaryConfigStore store, string id, CancellationToken cancellationToken)
        => await store.FindAsync(id, cancellationToken) ?? throw new NotFoundException($"canary config '{id}' does not exist");

    private static JsonObject Summary(StoredCanaryConfig stored) => new()
    {
        ["id"] = stored.Id,
        ["name"] = stored.Config.Name,
        ["updatedTimestamp"] = stored.SavedAt.ToUnixTimeMilliseconds(),
        ["updatedTimestampIso"] = stored.SavedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["applications"] = new JsonArray([.. (stored.Config.Applications ?? [stored.Application]).Select(a => (JsonNode)a)]),
        ["revision"] = stored.Revision,
        ["updatedBy"] = stored.SavedBy,
    };
}
