using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Api;

/// <summary>
/// Generic manifests over the Kubernetes REST API for one account: GET, LIST by label/field selector, WATCH from a resourceVersion,
/// CREATE, REPLACE, PATCH (strategic, merge, JSON patch, server-side apply), DELETE with propagation, read-modify-write with
/// resourceVersion conflict retries, and pod logs. Every call is one HTTP request (paged lists excepted) so the requests a stage
/// costs can be counted. Errors are <see cref="KubernetesApiException"/>s; a missing object is null (GET) or false (DELETE).
/// </summary>
public sealed class KubernetesResourceClient : IDisposable
{
    /// <summary>The field manager of Mizzen's server-side applies.</summary>
    public const string FieldManager = "mizzen";

    private const int ConflictRetries = 5;
    private const int PageSize = 500;

    private readonly KubernetesConnection connection;
    private readonly ResourcePaths paths;
    private readonly TimeSpan requestTimeout;

    internal KubernetesResourceClient(KubernetesConnection connection, TimeSpan? requestTimeout = null)
    {
        this.connection = connection;
        this.requestTimeout = requestTimeout ?? TimeSpan.FromSeconds(60);
        paths = new ResourcePaths(connection);
    }

    /// <summary>The API server's address (no credentials).</summary>
    public Uri Server => connection.BaseUri;

    /// <summary>The kind's REST coordinates (built-in table, else discovery).</summary>
    public Task<KubernetesKind> KindAsync(string apiVersion, string kind, CancellationToken cancellationToken) =>
        paths.ResolveAsync(apiVersion, kind, cancellationToken);

    public async Task<JsonObject?> GetAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        var kind = await KindAsync(key.ApiVersion, key.Kind, cancellationToken);
        try
        {
            return WithType(await SendJsonAsync(HttpMethod.Get, ResourcePaths.Item(kind, key.Namespace, key.Name), null, null, cancellationToken), kind);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Every object of the kind (in <paramref name="ns"/>, or everywhere when null) matching the selectors; pages are followed.</summary>
    public async Task<ResourceList> ListAsync(string apiVersion, string kindName, string? ns, string? labelSelector = null, string? fieldSelector = null, CancellationToken cancellationToken = default)
    {
        var kind = await KindAsync(apiVersion, kindName, cancellationToken);
        var items = new List<JsonObject>();
        string? resourceVersion = null;
        string? next = null;
        do
        {
            var query = Query(("labelSelector", labelSelector), ("fieldSelector", fieldSelector), ("limit", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("continue", next));
            var page = await SendJsonAsync(HttpMethod.Get, ResourcePaths.Collection(kind, ns) + query, null, null, cancellationToken);
            items.AddRange((page["items"] as JsonArray ?? []).OfType<JsonObject>().Select(i => WithType((JsonObject)i.DeepClone(), kind)));
            resourceVersion = page["metadata"]?["resourceVersion"].AsString() ?? resourceVersion;
            next = page["metadata"]?["continue"].AsString();
        }
        while (!string.IsNullOrEmpty(next));

        return new ResourceList(kind, items, resourceVersion ?? "");
    }

    /// <summary>
    /// Changes of the kind after <paramref name="resourceVersion"/>, until the server closes the watch (about <paramref name="timeout"/>)
    /// or the token is cancelled. An expired resourceVersion ends it with a <see cref="KubernetesApiException"/> whose
    /// <see cref="KubernetesApiException.IsGone"/> is true: list again. Bookmarks are reported with type <c>BOOKMARK</c>.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        KubernetesKind kind, string? ns, string resourceVersion, TimeSpan timeout, string? labelSelector = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = Query(
            ("watch", "1"),
            ("resourceVersion", resourceVersion),
            ("allowWatchBookmarks", "true"),
            ("timeoutSeconds", ((int)timeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("labelSelector", labelSelector));
        var path = ResourcePaths.Collection(kind, ns) + query;
        using var response = await connection.SendAsync(HttpMethod.Get, path, null, null, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var json = MizzenJson.ParseObject(line);
            var type = json["type"].AsString() ?? "";
            if (json["object"] is not JsonObject obj)
            {
                continue;
            }

            if (type == "ERROR")
            {
                var code = (int?)obj["code"].AsLong();
                throw KubernetesApiErrors.FromResponse(HttpMethod.Get, path, code is null ? null : (System.Net.HttpStatusCode)code, obj.ToJsonString(), null);
            }

            yield return new WatchEvent(type, WithType((JsonObject)obj.DeepClone(), kind));
        }
    }

    public async Task<JsonObject> CreateAsync(JsonObject manifest, CancellationToken cancellationToken)
    {
        var m = new KubernetesManifest(manifest);
        var kind = await KindAsync(m.ApiVersion, m.Kind, cancellationToken);
        return WithType(await SendJsonAsync(HttpMethod.Post, ResourcePaths.Collection(kind, m.Namespace), "application/json", manifest.ToJsonString(), cancellationToken), kind);
    }

    /// <summary>PUT: fails with 409 when <c>metadata.resourceVersion</c> is stale, 404 when the object is missing.</summary>
    public async Task<JsonObject> ReplaceAsync(JsonObject manifest, CancellationToken cancellationToken)
    {
        var m = new KubernetesManifest(manifest);
        var kind = await KindAsync(m.ApiVersion, m.Kind, cancellationToken);
        return WithType(await SendJsonAsync(HttpMethod.Put, ResourcePaths.Item(kind, m.Namespace, m.Name), "application/json", manifest.ToJsonString(), cancellationToken), kind);
    }

    /// <summary>PATCH with the content type of <paramref name="type"/>; <paramref name="subresource"/> e.g. <c>scale</c>.</summary>
    public async Task<JsonObject> PatchAsync(ResourceKey key, PatchType type, JsonNode patch, CancellationToken cancellationToken, string? subresource = null, bool force = false)
    {
        var kind = await KindAsync(key.ApiVersion, key.Kind, cancellationToken);
        var query = type == PatchType.Apply ? Query(("fieldManager", FieldManager), ("force", force ? "true" : null)) : "";
        var result = await SendJsonAsync(HttpMethod.Patch, ResourcePaths.Item(kind, key.Namespace, key.Name, subresource) + query, type.ContentType(), patch.ToJsonString(), cancellationToken);
        return subresource is null ? WithType(result, kind) : result;
    }

    /// <summary>Server-side apply of a whole manifest (creates it when missing), taking over conflicting fields.</summary>
    public Task<JsonObject> ApplyAsync(JsonObject manifest, CancellationToken cancellationToken) =>
        PatchAsync(new KubernetesManifest(manifest).Key(), PatchType.Apply, manifest, cancellationToken, force: true);

    /// <summary>Deletes the object; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(ResourceKey key, PropagationPolicy? propagation, CancellationToken cancellationToken, int? gracePeriodSeconds = null)
    {
        var kind = await KindAsync(key.ApiVersion, key.Kind, cancellationToken);
        var options = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1" };
        if (propagation is { } policy)
        {
            options["propagationPolicy"] = policy.ToString();
        }

        if (gracePeriodSeconds is { } grace)
        {
            options["gracePeriodSeconds"] = grace;
        }

        try
        {
            using var response = await connection.SendAsync(HttpMethod.Delete, ResourcePaths.Item(kind, key.Namespace, key.Name), "application/json", options.ToJsonString(), cancellationToken);
            return true;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Read-modify-write: GETs the object, lets <paramref name="change"/> edit it (return false to leave it), PUTs it with the
    /// resourceVersion read, and starts again on a 409 conflict (up to 5 times). Null when the object does not exist.
    /// </summary>
    public async Task<JsonObject?> UpdateAsync(ResourceKey key, Func<JsonObject, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await GetAsync(key, cancellationToken) is not { } current)
            {
                return null;
            }

            if (!change(current))
            {
                return current;
            }

            try
            {
                return await ReplaceAsync(current, cancellationToken);
            }
            catch (KubernetesApiException e) when (e.IsConflict && attempt < ConflictRetries)
            {
                // someone else changed it between our read and write: read again
            }
        }
    }

    /// <summary>The last <paramref name="tailLines"/> lines of a pod's log (of <paramref name="container"/>, or its only one).</summary>
    public async Task<string> ReadLogAsync(string ns, string pod, string? container, int? tailLines, CancellationToken cancellationToken)
    {
        var path = ResourcePaths.Item(KubernetesKinds.Find("Pod")!, ns, pod, "log")
                   + Query(("container", container), ("tailLines", tailLines?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var timeout = Timeout(cancellationToken);
        using var response = await connection.SendAsync(HttpMethod.Get, path, null, null, timeout.Token);
        return await response.Content.ReadAsStringAsync(timeout.Token);
    }

    public void Dispose() => connection.Dispose();

    private async Task<JsonObject> SendJsonAsync(HttpMethod method, string path, string? contentType, string? body, CancellationToken cancellationToken)
    {
        using var timeout = Timeout(cancellationToken);
        using var response = await connection.SendAsync(method, path, contentType, body, timeout.Token);
        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        return string.IsNullOrWhiteSpace(text) ? [] : MizzenJson.ParseObject(text);
    }

    /// <summary>A bound on one request (not on watches): a network timeout, so real time on purpose.</summary>
    private CancellationTokenSource Timeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(requestTimeout);
        return source;
    }

    /// <summary>Items of a typed list come without apiVersion and kind: put them back so every object is self-describing.</summary>
    private static JsonObject WithType(JsonObject obj, KubernetesKind kind)
    {
        if (obj["kind"] is null || obj["kind"].AsString() is "" or null)
        {
            obj["kind"] = kind.Kind;
        }

        if (obj["apiVersion"] is null)
        {
            obj["apiVersion"] = kind.ApiVersion;
        }

        return obj;
    }

    private static string Query(params (string Key, string? Value)[] parts)
    {
        var present = parts.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }
}

/// <summary>A LIST's items (each with apiVersion and kind) and the resourceVersion to watch from.</summary>
public sealed record ResourceList(KubernetesKind Kind, IReadOnlyList<JsonObject> Items, string ResourceVersion);

/// <summary>One watch event: <c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c> or <c>BOOKMARK</c>, with the object.</summary>
public sealed record WatchEvent(string Type, JsonObject Object);
