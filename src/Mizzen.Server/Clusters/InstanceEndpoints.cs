using Mizzen.Core.Errors;
using Mizzen.Orchestration.Clouds;
using Mizzen.Providers.Local.Api;
using Mizzen.Server.Nodes;
using Mizzen.Server.Security.Authorization;

namespace Mizzen.Server.Clusters;

/// <summary>
/// <c>GET /instances/{account}/{instanceId}</c> (clouddriver's instance details) and its logs:
/// <c>GET /instances/{account}/{instanceId}/logs?stream=stdout|stderr&amp;tail=N</c> for the last lines, or <c>&amp;offset=B</c> to follow
/// (pass <c>nextOffset</c> back). <c>GET /instances/{instanceId}/logs</c> takes the same query and finds the instance in whichever
/// account has it (instance ids are unique across accounts), in every provider.
/// </summary>
public static class InstanceEndpoints
{
    /// <summary>Lines a tail returns when the caller names none.</summary>
    public const int DefaultTailLines = 100;

    /// <summary>Largest piece of log text one follow request returns.</summary>
    public const int MaxChunkBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapInstanceEndpoints(this IEndpointRouteBuilder routes)
    {
        // The literal "logs" segment outranks the {instanceId} parameter of "/{account}/{instanceId}", so this is the account-less logs route.
        routes.MapGet("/instances/{instanceId}/logs", async (string instanceId, string? stream, int? tail, long? offset, int? maxBytes,
            HttpContext http, CloudProviderRegistry providers, ILocalAccountPlacement placement, OwnerNodes owners, CancellationToken ct) =>
        {
            if (await providers.FindInstanceAsync(placement, instanceId, ct) is { } instance)
            {
                http.RequestServices.GetRequiredService<PermissionEvaluator>().DemandAccount(http.Caller(), instance.Account, Access.Read);
                return Results.Ok(await ReadLogAsync(providers.ProviderOf(instance.Account)!, instance.Account, instanceId, new LogQuery(stream, tail, offset, maxBytes), ct));
            }

            // Not in an account this node answers for: the nodes that own the other local accounts may have it.
            return await owners.FindOnOwnersAsync(http) is { } found
                ? Results.Json(found)
                : throw new NotFoundException($"no account has an instance '{instanceId}' (searched: {Searched(providers)})");
        }).WithTags("Instances");

        var group = routes.MapGroup("/instances/{account}").WithTags("Instances").AddEndpointFilter<OwnerNodeFilter>();
        group.MapGet("/{instanceId}", async (string account, string instanceId, CloudProviderRegistry providers, CancellationToken ct) =>
            TypedResults.Ok(InstanceSummary.From(await providers.GetInstanceAsync(account, instanceId, ct) ?? throw Missing(account, instanceId))));

        // Gate's path carries a region; an account's instance ids are unique across its regions, so any region names the same instance.
        group.MapGet("/{region}/{instanceId}", async (string account, string region, string instanceId, CloudProviderRegistry providers, CancellationToken ct) =>
            TypedResults.Ok(InstanceSummary.From(await providers.GetInstanceAsync(account, instanceId, ct) ?? throw Missing(account, instanceId))));

        group.MapGet("/{instanceId}/logs", async (string account, string instanceId, string? stream, int? tail, long? offset, int? maxBytes,
            CloudProviderRegistry providers, CancellationToken ct) =>
        {
            if (await providers.GetInstanceAsync(account, instanceId, ct) is null)
            {
                throw Missing(account, instanceId);
            }

            return TypedResults.Ok(await ReadLogAsync(providers.ProviderOf(account)!, account, instanceId, new LogQuery(stream, tail, offset, maxBytes), ct));
        });
        return routes;
    }

    /// <summary>The stream named by a <c>stream</c> query parameter (stdout by default); a 400 naming the parameter otherwise.</summary>
    public static LogStreamKind ParseStream(string? stream) => stream?.ToLowerInvariant() switch
    {
        null or "" or "stdout" => LogStreamKind.Stdout,
        "stderr" => LogStreamKind.Stderr,
        _ => throw new ValidationException("stream", $"'{stream}' is not a log stream; use stdout or stderr"),
    };

    private static async Task<InstanceLog> ReadLogAsync(ICloudProvider provider, string account, string instanceId, LogQuery query, CancellationToken ct)
    {
        var which = ParseStream(query.Stream);
        if (query.Tail is < 0)
        {
            throw new ValidationException("tail", "must be 0 or more lines");
        }

        if (query.Offset is < 0)
        {
            throw new ValidationException("offset", "must be 0 or more bytes");
        }

        var request = new LogRequest(which, query.Tail ?? DefaultTailLines, query.Offset, Math.Clamp(query.MaxBytes ?? MaxChunkBytes, 1, MaxChunkBytes));
        var chunk = await provider.Reads.ReadLogAsync(account, instanceId, request, ct);
        return new InstanceLog(account, instanceId, which == LogStreamKind.Stderr ? "stderr" : "stdout",
            chunk.Text, chunk.Offset, chunk.NextOffset, chunk.Truncated);
    }

    private static string Searched(CloudProviderRegistry providers) =>
        providers.AllAccounts() is { Count: > 0 } accounts ? string.Join(", ", accounts) : "none";

    private static NotFoundException Missing(string account, string instanceId) =>
        new($"account '{account}' has no instance '{instanceId}'");

    /// <summary>The query of both logs routes: <c>stream</c>, <c>tail</c>, <c>offset</c>, <c>maxBytes</c>.</summary>
    private sealed record LogQuery(string? Stream, int? Tail, long? Offset, int? MaxBytes);
}

/// <summary>
/// Log text from <c>offset</c> to <c>nextOffset</c> (bytes written to the stream since the instance first started);
/// <c>truncated</c> when older text was rotated away or the chunk was cut at the size limit.
/// </summary>
public sealed record InstanceLog(string Account, string InstanceId, string Stream, string Text, long Offset, long NextOffset, bool Truncated);
