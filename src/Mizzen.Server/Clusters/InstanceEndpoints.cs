using Mizzen.Core.Errors;
using Mizzen.Providers.Local.Api;
using Mizzen.Server.Nodes;
using Mizzen.Server.Security.Authorization;

namespace Mizzen.Server.Clusters;

/// <summary>
/// <c>GET /instances/{account}/{instanceId}</c> (clouddriver's instance details) and its logs:
/// <c>GET /instances/{account}/{instanceId}/logs?stream=stdout|stderr&amp;tail=N</c> for the last lines, or <c>&amp;offset=B</c> to follow
/// (pass <c>nextOffset</c> back). <c>GET /instances/{instanceId}/logs</c> takes the same query and finds the instance in whichever
/// local account has it (instance ids are unique across accounts).
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
            HttpContext http, ILocalCloudProvider provider, ILocalAccountPlacement placement, OwnerNodes owners, CancellationToken ct) =>
        {
            if (await AccountOfAsync(provider, placement, instanceId, ct) is { } account)
            {
                http.RequestServices.GetRequiredService<PermissionEvaluator>().DemandAccount(http.Caller(), account, Access.Read);
                return Results.Ok(await ReadLogAsync(provider, account, instanceId, new LogQuery(stream, tail, offset, maxBytes), ct));
            }

            // Not in an account of this node: the nodes that own the others may have it.
            return await owners.FindOnOwnersAsync(http) is { } found
                ? Results.Json(found)
                : throw new NotFoundException($"no local account has an instance '{instanceId}' (searched: {Searched(placement)})");
        }).WithTags("Instances");

        var group = routes.MapGroup("/instances/{account}").WithTags("Instances").AddEndpointFilter<OwnerNodeFilter>();
        group.MapGet("/{instanceId}", async (string account, string instanceId, ILocalCloudProvider provider, CancellationToken ct) =>
            TypedResults.Ok(await FindAsync(provider, account, instanceId, ct)));

        // Gate's path carries a region; the local provider has none, so any region names the same instance.
        group.MapGet("/{region}/{instanceId}", async (string account, string region, string instanceId, ILocalCloudProvider provider, CancellationToken ct) =>
            TypedResults.Ok(await FindAsync(provider, account, instanceId, ct)));

        group.MapGet("/{instanceId}/logs", async (string account, string instanceId, string? stream, int? tail, long? offset, int? maxBytes,
            ILocalCloudProvider provider, CancellationToken ct) =>
        {
            if (await provider.GetInstanceAsync(account, instanceId, ct) is null)
            {
                throw Missing(account, instanceId);
            }

            return TypedResults.Ok(await ReadLogAsync(provider, account, instanceId, new LogQuery(stream, tail, offset, maxBytes), ct));
        });
        return routes;
    }

    private static async Task<InstanceLog> ReadLogAsync(ILocalCloudProvider provider, string account, string instanceId, LogQuery query, CancellationToken ct)
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

        var chunk = query.Offset is { } from
            ? await provider.ReadLogAsync(account, instanceId, which, from, Math.Clamp(query.MaxBytes ?? MaxChunkBytes, 1, MaxChunkBytes), ct)
            : await provider.TailLogAsync(account, instanceId, which, query.Tail ?? DefaultTailLines, ct);
        return new InstanceLog(account, instanceId, which == LogStream.Stderr ? "stderr" : "stdout",
            chunk.Text, chunk.Offset, chunk.NextOffset, chunk.Truncated);
    }

    /// <summary>The local account of this node that runs <paramref name="instanceId"/>, or null.</summary>
    private static async Task<string?> AccountOfAsync(ILocalCloudProvider provider, ILocalAccountPlacement placement, string instanceId, CancellationToken ct)
    {
        foreach (var account in placement.All.Where(a => !a.IsRemote).Select(a => a.Account).Order(StringComparer.Ordinal))
        {
            if (await provider.GetInstanceAsync(account, instanceId, ct) is not null)
            {
                return account;
            }
        }

        return null;
    }

    private static string Searched(ILocalAccountPlacement placement) =>
        placement.All.Count == 0 ? "none" : string.Join(", ", placement.All.Select(a => a.Account).Order(StringComparer.Ordinal));

    private static async Task<InstanceSummary> FindAsync(ILocalCloudProvider provider, string account, string instanceId, CancellationToken ct)
    {
        var instance = await provider.GetInstanceAsync(account, instanceId, ct) ?? throw Missing(account, instanceId);
        var group = await provider.GetServerGroupAsync(account, instance.ServerGroup, ct);
        return InstanceSummary.From(instance, account, group?.Cluster ?? instance.ServerGroup);
    }

    private static LogStream ParseStream(string? stream) => stream?.ToLowerInvariant() switch
    {
        null or "" or "stdout" => LogStream.Stdout,
        "stderr" => LogStream.Stderr,
        _ => throw new ValidationException("stream", $"'{stream}' is not a log stream; use stdout or stderr"),
    };

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
