using System.Text.Json.Nodes;
using Mizzen.Canary;
using Mizzen.Canary.Configs;
using Mizzen.Core.Errors;
using Mizzen.Server.Errors;
using Mizzen.Server.Security;

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
            var config = await ReadValidAsync(http, ct);
            var app = ApplicationOf(application, config);
            if (config.Id is { } id && await store.FindAsync(id, ct) is not null)
            {
                throw new ConflictException($"canary config '{id}' already exists; use PUT {prefix}/{id} to change it");
            }

            var stored = await store.SaveAsync(app, config, http.User(), ct);
            return TypedResults.Ok(new { canaryConfigId = stored.Id });
        });
        routes.MapGet(prefix + "/{id}", async (string id, ICanaryConfigStore store, CancellationToken ct) =>
            Results.Text(CanaryConfigJson.Serialize(Stamped(await FindAsync(store, id, ct))), "application/json"));
        routes.MapPut(prefix + "/{id}", async (HttpContext http, string id, ICanaryConfigStore store, CancellationToken ct) =>
        {
            var existing = await FindAsync(store, id, ct);
            var config = await ReadValidAsync(http, ct);
            config.Id = id;
            var stored = await store.SaveAsync(existing.Application, config, http.User(), ct);
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

    /// <summary>Parses and validates the body; a <see cref="CanaryConfigException"/> names each error (a ProblemDetails entry at the edge).</summary>
    public static async Task<CanaryConfig> ReadValidAsync(HttpContext http, CancellationToken cancellationToken)
        => CanaryConfigJson.Load(await RequestBody.ReadTextAsync(http.Request, cancellationToken)).Config;

    private static string ApplicationOf(string? application, CanaryConfig config)
    {
        var name = string.IsNullOrEmpty(application) ? config.Applications?.FirstOrDefault() : application;
        return name switch
        {
            null => throw new ValidationException("applications", "give the application: ?application=NAME or \"applications\": [\"NAME\"] in the config"),
            _ when !Core.Model.Application.IsValidName(name) => throw new ValidationException(
                string.IsNullOrEmpty(application) ? "applications[0]" : "application",
                $"'{name}' is not an application name: use letters, digits, '-', '_' or '.'"),
            _ => name,
        };
    }

    private static CanaryConfig Stamped(StoredCanaryConfig stored)
    {
        stored.Config.Id = stored.Id;
        stored.Config.Applications ??= [stored.Application];
        return stored.Config;
    }

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
