using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Mizzen.Core.Json;
using Mizzen.Persistence.Applications;

namespace Mizzen.Server.Security.Authorization;

/// <summary>
/// Reads permissions from the application store and keeps them for <see cref="PermissionOptions.ApplicationCacheTime"/>, so a route's check
/// costs a dictionary lookup rather than a database read (the 50 µs budget per request). Saves and deletes through this node call
/// <see cref="Forget"/>; other nodes see a change when their entry expires. An application that does not exist is unrestricted: its
/// routes answer 404 as before, and creating it is open to any signed-in writer (fiat's <c>restrictApplicationCreation: false</c>).
/// </summary>
public sealed class StoredApplicationPermissions(IApplicationStore store, TimeProvider time, IOptions<PermissionOptions> options) : IApplicationPermissions
{
    private readonly ConcurrentDictionary<string, (PermissionSet Permissions, DateTimeOffset Until)> cache = new(StringComparer.Ordinal);

    public async ValueTask<PermissionSet> GetAsync(string application, CancellationToken cancellationToken)
    {
        var key = application.ToLowerInvariant();
        var now = time.GetUtcNow();
        if (cache.TryGetValue(key, out var entry) && entry.Until > now)
        {
            return entry.Permissions;
        }

        var stored = await store.GetAsync(key, cancellationToken);
        var permissions = FromStored(stored?.Permissions);
        cache[key] = (permissions, now + options.Value.ApplicationCacheTime);
        return permissions;
    }

    public void Forget(string application) => cache.TryRemove(application.ToLowerInvariant(), out _);

    /// <summary>
    /// Stored permissions are checked when saved (<see cref="PermissionSet.Parse"/>); an older entry that does not parse keeps the lists
    /// that do, so a typo in one key never opens the others.
    /// </summary>
    internal static PermissionSet FromStored(JsonObject? permissions)
    {
        if (permissions is null)
        {
            return PermissionSet.Unrestricted;
        }

        List<string>? Roles(Access access) =>
            permissions.FirstOrDefault(p => AccessNames.TryParse(p.Key, out var a) && a == access).Value is JsonArray list
                ? [.. list.Select(r => r.AsString()).OfType<string>()]
                : null;

        return PermissionSet.Of(Roles(Access.Read), Roles(Access.Write), Roles(Access.Execute));
    }
}
