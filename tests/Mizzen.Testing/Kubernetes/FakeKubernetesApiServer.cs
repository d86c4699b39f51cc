using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mizzen.Testing.Kubernetes;

/// <summary>
/// A fake of the Kubernetes API server: no cluster can run on the build machines, so tests of the Kubernetes provider (and
/// kubectl itself, as a check of the fake) talk real HTTP on 127.0.0.1 to this in-memory server. It answers the documented
/// REST API (https://kubernetes.io/docs/reference/using-api/api-concepts/) for the kinds in <see cref="FakeResourceTypes"/>:
/// discovery, GET, LIST and WATCH with label and field selectors, POST, PUT with resourceVersion conflicts, PATCH (merge,
/// JSON, strategic merge, server-side apply), DELETE with propagation through ownerReferences, <c>/status</c>,
/// <c>/scale</c> and pod <c>/log</c>, errors as <c>Status</c> objects. A small <see cref="FakeController"/> rolls Deployments
/// out. docs/testing.md ("The fake Kubernetes API server") lists what differs from a real one.
/// </summary>
public sealed partial class FakeKubernetesApiServer : IAsyncDisposable
{
    /// <summary>Quotes and '+' written as themselves, as Go's encoder writes them (System.Text.Json escapes them by default).</summary>
    internal static readonly JsonSerializerOptions Wire = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly FakeKubernetesOptions options;
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly ConcurrentDictionary<(string Namespace, string Pod, string Container), string> logs = new();
    private readonly CancellationTokenSource stopping = new();
    private WebApplication app = null!;

    private FakeKubernetesApiServer(FakeKubernetesOptions options)
    {
        this.options = options;
        Store = new FakeObjectStore(options.Time);
        Controller = new FakeController(this);
    }

    /// <summary>http://127.0.0.1:PORT</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Rolls Deployments, ReplicaSets, StatefulSets, DaemonSets and Jobs out; switches for failures.</summary>
    public FakeController Controller { get; }

    /// <summary>Every request answered so far, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    /// <summary>Watches clients hold open now (a test can wait for a client to be watching before it changes something).</summary>
    public int OpenWatches => Store.WatchCount;

    internal FakeObjectStore Store { get; }

    internal TimeProvider Time => options.Time;

    public static async Task<FakeKubernetesApiServer> StartAsync(FakeKubernetesOptions? options = null, CancellationToken ct = default)
    {
        var server = new FakeKubernetesApiServer(options ?? new FakeKubernetesOptions());
        foreach (var ns in server.options.Namespaces)
        {
            server.Put(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = ns },
                ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
                ["status"] = new JsonObject { ["phase"] = "Active" },
            });
        }

        server.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = FakeController.NodeName, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = FakeController.NodeName } },
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady" }),
                ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "10.0.0.10" }),
            },
        });

        foreach (var crd in FakeResourceTypes.CustomResourceDefinitions())
        {
            server.Put(crd);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        server.app = builder.Build();
        server.app.Run(server.HandleAsync);
        await server.app.StartAsync(ct);
        server.Url = new Uri(server.app.Urls.First().TrimEnd('/'));
        if (server.options.BackgroundController)
        {
            server.Controller.StartBackground(server.stopping.Token);
        }

        return server;
    }

    /// <summary>
    /// Writes a kubeconfig for this server (cluster, user and context named <paramref name="context"/>, namespace default)
    /// into <paramref name="directory"/> and returns its path. The user carries <paramref name="token"/>, or the server's
    /// required token, or else a placeholder token: KubernetesClient refuses a kubeconfig user without credentials, and a
    /// server without <see cref="FakeKubernetesOptions.RequiredToken"/> accepts any.
    /// </summary>
    public string WriteKubeconfig(string directory, string context = "fake", string? token = null)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"kubeconfig-{context}.yaml");
        token ??= options.RequiredToken ?? "fake-token";
        var user = $"    token: {token}";
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {context}
              cluster:
                server: {Url.ToString().TrimEnd('/')}
            users:
            - name: {context}
              user:
            {user}
            contexts:
            - name: {context}
              context:
                cluster: {context}
                user: {context}
                namespace: default
            current-context: {context}

            """);
        return path;
    }

    /// <summary>The stored object (a deep copy, in <paramref name="apiVersion"/>), or null.</summary>
    public JsonObject? Get(string apiVersion, string kind, string? ns, string name) =>
        Store.Get(TypeOf(apiVersion, kind), ns, name);

    /// <summary>Stored objects of a kind (deep copies), in one namespace or all (null).</summary>
    public IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? ns = null) =>
        Store.List(TypeOf(apiVersion, kind), ns).Items;

    /// <summary>
    /// Seeds or replaces an object directly, without the API's checks (no namespace check, no resourceVersion precondition):
    /// bumps the resourceVersion and the generation on a spec change and tells the watches, as any change does.
    /// </summary>
    public void Put(JsonObject obj)
    {
        var type = TypeOf(obj["apiVersion"]?.GetValue<string>() ?? "", obj["kind"]?.GetValue<string>() ?? "");
        var name = FakeObjectStore.Name(obj);
        if (name.Length == 0)
        {
            throw new ArgumentException("Put: the object has no metadata.name", nameof(obj));
        }

        var ns = type.Namespaced ? FakeObjectStore.Namespace(obj) ?? "default" : null;
        var copy = (JsonObject)obj.DeepClone();
        FakeObjectStore.Meta(copy).Remove("resourceVersion");
        Store.Write(type, ns, name, _ => copy);
    }

    /// <summary>Deletes an object directly (no propagation); true when it existed.</summary>
    public bool Remove(string apiVersion, string kind, string? ns, string name) =>
        Store.Write(TypeOf(apiVersion, kind), ns, name, _ => null) is not null;

    public void ClearRequests() => requests.Clear();

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, checking it now and after every change to the stored objects (no
    /// polling). False when <paramref name="timeout"/> passes first.
    /// </summary>
    public async Task<bool> WaitForAsync(Func<FakeKubernetesApiServer, bool> condition, TimeSpan timeout)
    {
        var changed = new SemaphoreSlim(0);
        void OnChange() => changed.Release();
        Store.Changed += OnChange;
        try
        {
            using var deadline = new CancellationTokenSource(timeout);
            while (!condition(this))
            {
                try
                {
                    await changed.WaitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    return condition(this);
                }
            }

            return true;
        }
        finally
        {
            Store.Changed -= OnChange;
            changed.Dispose();
        }
    }

    /// <summary>Sets the log text of one container of a pod (as the kubelet would serve it at <c>/log</c>).</summary>
    public void SetPodLogs(string ns, string pod, string container, string text) => logs[(ns, pod, container)] = text;

    internal void SetPodLogs(string pod, string text)
    {
        foreach (var found in Store.List(FakeResourceTypes.FindByKind("v1", "Pod")!, null).Items.Where(p => FakeObjectStore.Name(p) == pod))
        {
            foreach (var container in (found["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
            {
                SetPodLogs(FakeObjectStore.Namespace(found)!, pod, container["name"]!.GetValue<string>(), text);
            }
        }

        logs[("", pod, "")] = text;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        Store.StopAllWatches();
        await app.StopAsync();
        await app.DisposeAsync();
        await Controller.StopAsync();
        stopping.Dispose();
    }

    internal static FakeResourceType TypeOf(string apiVersion, string kind) =>
        FakeResourceTypes.FindByKind(apiVersion, kind)
        ?? throw new ArgumentException($"The fake Kubernetes API server does not serve {apiVersion} {kind}.", nameof(kind));

    /// <param name="Agent">The manager of a write that names no fieldManager: the User-Agent's product ("kubectl"), as a real server derives it.</param>
    private sealed record Target(FakeResourceType Type, string? Namespace, string? Name, string? Subresource, string Agent = "unknown");

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = "";
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var path = request.Path.Value ?? "/";
        var verb = "discovery";
        Target? target = null;
        try
        {
            if (options.RequiredToken is { } token && request.Headers.Authorization.ToString() != $"Bearer {token}")
            {
                throw new FakeApiException(401, "Unauthorized", "Unauthorized");
            }

            if (await DiscoveryAsync(context, path))
            {
                return;
            }

            var agent = request.Headers.UserAgent.ToString().Split('/')[0].Trim();
            target = Route(path) with { Agent = agent.Length > 0 ? agent : "unknown" };
            verb = VerbOf(request.Method, target, request.Query);
            await ServeAsync(context, target, verb, body);
        }
        catch (FakeApiException e)
        {
            await WriteJsonAsync(context, e.Code, e.ToStatus());
        }
        catch (FormatException e)
        {
            await WriteJsonAsync(context, 400, FakeApiException.BadRequest(e.Message).ToStatus());
        }
        catch (JsonException e)
        {
            await WriteJsonAsync(context, 400, FakeApiException.BadRequest($"the body of the request was in an unknown format: {e.Message}").ToStatus());
        }
        finally
        {
            requests.Enqueue(new RecordedRequest(
                request.Method,
                path,
                request.QueryString.Value ?? "",
                verb,
                request.ContentType,
                target is null ? "" : target.Subresource is null ? target.Type.Plural : $"{target.Type.Plural}/{target.Subresource}",
                target?.Namespace,
                target?.Name,
                body,
                context.Response.StatusCode));
        }
    }

    private async Task<bool> DiscoveryAsync(HttpContext context, string path)
    {
        var trimmed = path.TrimEnd('/');
        JsonNode? answer = trimmed switch
        {
            "/version" => new JsonObject
            {
                ["major"] = "1",
                ["minor"] = "32",
                ["gitVersion"] = "v1.32.0-mizzen-fake",
                ["gitCommit"] = "0000000000000000000000000000000000000000",
                ["gitTreeState"] = "clean",
                ["buildDate"] = "2026-01-01T00:00:00Z",
                ["goVersion"] = "go1.23",
                ["compiler"] = "gc",
                ["platform"] = "linux/amd64",
            },
            "/api" => FakeResourceTypes.ApiVersions($"{Url.Host}:{Url.Port}"),
            "/apis" => FakeResourceTypes.ApiGroupList(),
            _ => null,
        };
        if (trimmed is "/healthz" or "/readyz" or "/livez")
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("ok");
            return true;
        }

        if (answer is null)
        {
            var segments = trimmed.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments is ["api", var v])
            {
                answer = FakeResourceTypes.ApiResourceList("", v) ?? throw NotFoundPath();
            }
            else if (segments is ["apis", var g, var v2])
            {
                answer = FakeResourceTypes.ApiResourceList(g, v2) ?? throw NotFoundPath();
            }
            else if (segments is ["apis", var g2])
            {
                var group = FakeResourceTypes.ApiGroupList()["groups"]!.AsArray().FirstOrDefault(x => x?["name"]?.GetValue<string>() == g2)
                    ?? throw NotFoundPath();
                answer = group.DeepClone();
                answer["kind"] = "APIGroup";
                answer["apiVersion"] = "v1";
            }
            else if (segments is ["openapi", "v3"])
            {
                answer = FakeOpenApi.Index();
            }
            else if (segments is ["openapi", "v3", "api", var v3])
            {
                answer = FakeOpenApi.GroupVersion("", v3) ?? throw NotFoundPath();
            }
            else if (segments is ["openapi", "v3", "apis", var g3, var v4])
            {
                answer = FakeOpenApi.GroupVersion(g3, v4) ?? throw NotFoundPath();
            }
            else if (segments.Length > 0 && segments[0] == "openapi")
            {
                throw NotFoundPath();
            }
        }

        if (answer is null)
        {
            return false;
        }

        await WriteJsonAsync(context, 200, answer);
        return true;
    }

    private static FakeApiException NotFoundPath() => new(404, "NotFound", "the server could not find the requested resource");

    private static Target Route(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group;
        string version;
        int at;
        if (segments.Length >= 2 && segments[0] == "api")
        {
            (group, version, at) = ("", segments[1], 2);
        }
        else if (segments.Length >= 3 && segments[0] == "apis")
        {
            (group, version, at) = (segments[1], segments[2], 3);
        }
        else
        {
            throw NotFoundPath();
        }

        var rest = segments[at..];
        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && FakeResourceTypes.Find(group, version, rest[2]) is { Namespaced: true })
        {
            ns = rest[1];
            rest = rest[2..];
        }

        if (rest.Length is 0 or > 3)
        {
            throw NotFoundPath();
        }

        var type = FakeResourceTypes.Find(group, version, rest[0]) ?? throw NotFoundPath();
        var name = rest.Length > 1 ? rest[1] : null;
        var sub = rest.Length > 2 ? rest[2] : null;
        if (sub is not null && !type.Subresources.Contains(sub))
        {
            throw NotFoundPath();
        }

        if (type.Namespaced && ns is null && name is not null)
        {
            throw NotFoundPath();
        }

        return new Target(type, ns, name, sub);
    }

    private static string VerbOf(string method, Target target, IQueryCollection query) => method switch
    {
        "GET" when target.Name is null => IsTrue(query["watch"]) ? "watch" : "list",
        "GET" => "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => target.Name is null ? "deletecollection" : "delete",
        _ => method.ToLowerInvariant(),
    };

    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value) =>
        value.ToString() is "1" or "true" or "True";

    private async Task ServeAsync(HttpContext context, Target target, string verb, string body)
    {
        var query = context.Request.Query;
        var dryRun = query["dryRun"].ToString() == "All";
        switch (verb)
        {
            case "get":
                await WriteObjectAsync(context, 200, Read(target, query));
                break;
            case "list":
                {
                    var (items, revision) = Store.List(target.Type, target.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]));
                    if (WantsTable(context))
                    {
                        await WriteJsonAsync(context, 200, FakeTables.Table(target.Type, items, revision, query["includeObject"].ToString(), options.Time.GetUtcNow()));
                        return;
                    }

                    if (target.Type.BuiltIn)
                    {
                        // A real server leaves apiVersion and kind out of the items of a built-in kind's list (custom resources keep them).
                        foreach (var item in items)
                        {
                            item.Remove("apiVersion");
                            item.Remove("kind");
                        }
                    }

                    var (page, next, remaining) = Page(items, query["limit"], query["continue"], revision);
                    var listMeta = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
                    if (next is not null)
                    {
                        listMeta["continue"] = next;
                        listMeta["remainingItemCount"] = remaining;
                    }

                    var list = new JsonObject
                    {
                        ["kind"] = $"{target.Type.Kind}List",
                        ["apiVersion"] = target.Type.ApiVersion,
                        ["metadata"] = listMeta,
                        ["items"] = new JsonArray([.. page]),
                    };
                    await WriteJsonAsync(context, 200, list);
                    break;
                }

            case "watch":
                await WatchAsync(context, target);
                break;
            case "create":
                if (target.Name is not null)
                {
                    throw new FakeApiException(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource");
                }

                await WriteObjectAsync(context, 201, Create(target, ParseObject(body), query["fieldManager"].ToString(), dryRun));
                break;
            case "update":
                await WriteObjectAsync(context, 200, Update(target, ParseObject(body), query["fieldManager"].ToString(), dryRun));
                break;
            case "patch":
                {
                    var mediaType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
                    var force = IsTrue(query["force"]);
                    var (result, created) = Patch(target, mediaType, body, query["fieldManager"].ToString(), force, dryRun);
                    await WriteObjectAsync(context, created ? 201 : 200, result);
                    break;
                }

            case "delete":
                await WriteJsonAsync(context, 200, Delete(target, DeleteOptionsOf(body, query), dryRun));
                break;
            case "deletecollection":
                {
                    var (items, _) = Store.List(target.Type, target.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]));
                    var deleteOptions = DeleteOptionsOf(body, query);
                    foreach (var item in items)
                    {
                        Delete(target with { Namespace = FakeObjectStore.Namespace(item), Name = FakeObjectStore.Name(item) }, deleteOptions, dryRun);
                    }

                    await WriteJsonAsync(context, 200, new JsonObject
                    {
                        ["kind"] = $"{target.Type.Kind}List",
                        ["apiVersion"] = target.Type.ApiVersion,
                        ["metadata"] = new JsonObject { ["resourceVersion"] = Store.Revision.ToString(CultureInfo.InvariantCulture) },
                        ["items"] = new JsonArray([.. items]),
                    });
                    break;
                }

            default:
                throw new FakeApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }

        async Task WriteObjectAsync(HttpContext ctx, int code, JsonNode node)
        {
            if (node is JsonObject obj && target.Subresource is null && WantsTable(ctx) && obj["kind"]?.GetValue<string>() == target.Type.Kind)
            {
                await WriteJsonAsync(ctx, code, FakeTables.Table(target.Type, [obj], Store.Revision, query["includeObject"].ToString(), options.Time.GetUtcNow()));
                return;
            }

            if (target.Subresource == "log" && node is JsonValue text)
            {
                ctx.Response.StatusCode = code;
                ctx.Response.ContentType = "text/plain";
                await ctx.Response.WriteAsync(text.GetValue<string>());
                return;
            }

            await WriteJsonAsync(ctx, code, node);
        }
    }

    /// <summary>
    /// <c>limit</c> and <c>continue</c>: a page of the list (in name order, as etcd's key order) and a continue token that
    /// carries the offset. A real token also pins the list's resourceVersion; here the next page reads the current objects.
    /// </summary>
    private static (List<JsonObject> Page, string? Continue, long Remaining) Page(List<JsonObject> items, string? limitText, string? continueToken, long revision)
    {
        var offset = 0;
        if (!string.IsNullOrEmpty(continueToken))
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(continueToken)).Split(':');
            if (parts.Length != 2 || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out offset))
            {
                throw FakeApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            }
        }

        if (!int.TryParse(limitText, CultureInfo.InvariantCulture, out var limit) || limit <= 0)
        {
            return ([.. items.Skip(offset)], null, 0);
        }

        var page = items.Skip(offset).Take(limit).ToList();
        var end = offset + page.Count;
        return end < items.Count
            ? (page, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{revision}:{end}")), items.Count - end)
            : (page, null, 0);
    }

    private static bool WantsTable(HttpContext context) =>
        context.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private JsonNode Read(Target target, IQueryCollection query)
    {
        var obj = Store.Get(target.Type, target.Namespace, target.Name!) ?? throw FakeApiException.NotFound(target.Type, target.Name!);
        return target.Subresource switch
        {
            "scale" => ScaleOf(obj),
            "log" => JsonValue.Create(LogsOf(obj, target.Namespace!, target.Name!, query)),
            _ => obj,
        };
    }

    private static JsonObject ParseObject(string body)
    {
        if (body.Length == 0)
        {
            throw FakeApiException.BadRequest("the body of the request was empty");
        }

        return JsonNode.Parse(body) as JsonObject ?? throw FakeApiException.BadRequest("the body of the request is not a JSON object");
    }

    private static void CheckKind(Target target, JsonObject obj, bool scale = false)
    {
        var kind = obj["kind"]?.GetValue<string>();
        var apiVersion = obj["apiVersion"]?.GetValue<string>();
        var (expectedKind, expectedVersion) = scale ? ("Scale", "autoscaling/v1") : (target.Type.Kind, target.Type.ApiVersion);
        if (string.IsNullOrEmpty(kind))
        {
            throw FakeApiException.BadRequest($"Object 'Kind' is missing in '{obj.ToJsonString()}'");
        }

        if (kind != expectedKind || (apiVersion is not null && apiVersion != expectedVersion))
        {
            throw FakeApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({expectedVersion})");
        }
    }

    private void CheckNamespace(Target target, JsonObject obj)
    {
        var bodyNamespace = FakeObjectStore.Namespace(obj);
        if (target.Type.Namespaced)
        {
            if (bodyNamespace is not null && bodyNamespace.Length > 0 && bodyNamespace != target.Namespace)
            {
                throw FakeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            if (options.RequireNamespaces && Store.Get(FakeResourceTypes.Find("", "v1", "namespaces")!, null, target.Namespace!) is null)
            {
                throw new FakeApiException(404, "NotFound", $"namespaces \"{target.Namespace}\" not found",
                    new JsonObject { ["name"] = target.Namespace, ["kind"] = "namespaces" });
            }
        }
    }

    private JsonObject Create(Target target, JsonObject obj, string fieldManager, bool dryRun)
    {
        CheckKind(target, obj);
        if (target.Namespace is null && target.Type.Namespaced)
        {
            throw NotFoundPath();
        }

        CheckNamespace(target, obj);
        var metadata = FakeObjectStore.Meta(obj);
        var name = metadata["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name))
        {
            var generateName = metadata["generateName"]?.GetValue<string>();
            if (string.IsNullOrEmpty(generateName))
            {
                throw FakeApiException.Invalid(target.Type, "", "metadata.name: Required value: name or generateName is required");
            }

            name = generateName + FakeController.Suffix($"{generateName}{Store.Revision}", 5);
            metadata["name"] = name;
        }

        ValidateName(target.Type, name);
        FakeManagedFields.Record(obj, null, (fieldManager.Length > 0 ? fieldManager : target.Agent), "Update", Store.Now(), target.Type.BuiltIn);
        FakeDefaults.Apply(target.Type, obj);
        if (target.Type.Kind == "Namespace")
        {
            obj["status"] = new JsonObject { ["phase"] = "Active" };
        }
        if (dryRun)
        {
            if (Store.Get(target.Type, target.Namespace, name) is not null)
            {
                throw FakeApiException.AlreadyExists(target.Type, name);
            }

            return obj;
        }

        return Store.Write(target.Type, target.Namespace, name, current =>
            current is null ? obj : throw FakeApiException.AlreadyExists(target.Type, name))!;
    }


    private static void ValidateName(FakeResourceType type, string name)
    {
        if (name.Length > 253 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')
            || !char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            throw FakeApiException.Invalid(type, name,
                $"metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }
    }

    private JsonNode Update(Target target, JsonObject obj, string fieldManager, bool dryRun)
    {
        if (target.Name is null)
        {
            throw new FakeApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }

        CheckKind(target, obj, target.Subresource == "scale");
        var bodyName = obj["metadata"]?["name"]?.GetValue<string>();
        if (bodyName is not null && bodyName != target.Name)
        {
            throw FakeApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({target.Name})");
        }

        if (target.Subresource != "scale")
        {
            CheckNamespace(target, obj);
        }

        var written = Commit(target, dryRun, current =>
        {
            CheckResourceVersion(target, current, obj["metadata"]?["resourceVersion"]?.GetValue<string>());
            return Replace(target, current, obj, fieldManager, "Update");
        });
        return target.Subresource == "scale" ? ScaleOf(written) : written;
    }

    private static void CheckResourceVersion(Target target, JsonObject current, string? resourceVersion)
    {
        if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != current["metadata"]?["resourceVersion"]?.GetValue<string>())
        {
            throw FakeApiException.Conflict(target.Type, target.Name!);
        }
    }

    /// <summary>The object to store when <paramref name="incoming"/> replaces <paramref name="current"/> through the target (main resource, /status or /scale).</summary>
    private JsonObject Replace(Target target, JsonObject current, JsonObject incoming, string fieldManager, string operation)
    {
        JsonObject next;
        switch (target.Subresource)
        {
            case "status":
                next = (JsonObject)current.DeepClone();
                next["status"] = incoming["status"]?.DeepClone();
                break;
            case "scale":
                next = (JsonObject)current.DeepClone();
                var spec = next["spec"] as JsonObject ?? (JsonObject)(next["spec"] = new JsonObject());
                spec["replicas"] = incoming["spec"]?["replicas"]?.DeepClone() ?? 0;
                break;
            default:
                next = (JsonObject)incoming.DeepClone();
                if (target.Type.HasStatus)
                {
                    next["status"] = current["status"]?.DeepClone();
                    if (next["status"] is null)
                    {
                        next.Remove("status");
                    }
                }

                var metadata = FakeObjectStore.Meta(next);
                if (metadata["managedFields"] is null && current["metadata"]?["managedFields"] is { } managed)
                {
                    metadata["managedFields"] = managed.DeepClone();
                }

                FakeDefaults.Apply(target.Type, next, current);
                break;
        }

        FakeManagedFields.Record(next, current, (fieldManager.Length > 0 ? fieldManager : target.Agent), operation, Store.Now(), target.Type.BuiltIn);
        return next;
    }

    /// <summary>Runs a read-modify-write of the target's object (404 when it is absent); a dry run computes but does not store.</summary>
    private JsonObject Commit(Target target, bool dryRun, Func<JsonObject, JsonObject> change)
    {
        if (dryRun)
        {
            var current = Store.Get(target.Type, target.Namespace, target.Name!) ?? throw FakeApiException.NotFound(target.Type, target.Name!);
            return change(current);
        }

        var written = Store.Write(target.Type, target.Namespace, target.Name!, current =>
            current is null ? throw FakeApiException.NotFound(target.Type, target.Name!) : change(current))!;
        FinishDeletionIfReleased(target.Type, written);
        return written;
    }

    private (JsonNode Result, bool Created) Patch(Target target, string mediaType, string body, string fieldManager, bool force, bool dryRun)
    {
        if (target.Name is null)
        {
            throw new FakeApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }

        JsonNode? patch = mediaType == "application/apply-patch+yaml" ? FakeYaml.ToJson(body) : JsonNode.Parse(body);
        switch (mediaType)
        {
            case "application/apply-patch+yaml":
                if (fieldManager.Length == 0)
                {
                    throw FakeApiException.BadRequest("PATCH, application/apply-patch+yaml requests must have a fieldManager");
                }

                return Apply(target, patch as JsonObject ?? throw FakeApiException.BadRequest("an apply patch must be an object"), fieldManager, force, dryRun);
            case "application/strategic-merge-patch+json" when !target.Type.BuiltIn:
                throw new FakeApiException(415, "UnsupportedMediaType",
                    $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
            case "application/strategic-merge-patch+json" or "application/merge-patch+json" or "application/json-patch+json":
                break;
            default:
                throw new FakeApiException(415, "UnsupportedMediaType",
                    $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json");
        }

        var written = Commit(target, dryRun, current =>
        {
            var view = target.Subresource == "scale" ? ScaleOf(current) : current;
            var patched = mediaType switch
            {
                "application/merge-patch+json" => FakePatches.MergePatch(view, patch) as JsonObject,
                "application/json-patch+json" => FakePatches.JsonPatch(view, patch as JsonArray ?? throw FakeApiException.BadRequest("a json patch must be an array")) as JsonObject,
                _ => FakePatches.StrategicMerge(view, patch as JsonObject ?? throw FakeApiException.BadRequest("a strategic merge patch must be an object")),
            } ?? throw FakeApiException.BadRequest("the patch made the object something other than an object");
            CheckResourceVersion(target, current, patched["metadata"]?["resourceVersion"]?.GetValue<string>());
            return Replace(target, current, patched, fieldManager, "Update");
        });
        return (target.Subresource == "scale" ? ScaleOf(written) : written, false);
    }

    private (JsonNode Result, bool Created) Apply(Target target, JsonObject config, string fieldManager, bool force, bool dryRun)
    {
        if (target.Subresource is null)
        {
            CheckKind(target, config);
            var configName = config["metadata"]?["name"]?.GetValue<string>();
            if (configName is not null && configName != target.Name)
            {
                throw FakeApiException.BadRequest($"the name of the object ({configName}) does not match the name on the URL ({target.Name})");
            }

            CheckNamespace(target, config);
        }

        var created = false;
        JsonObject Change(JsonObject? current)
        {
            if (current is null)
            {
                if (target.Subresource is not null)
                {
                    throw FakeApiException.NotFound(target.Type, target.Name!);
                }

                created = true;
                var fresh = (JsonObject)config.DeepClone();
                var metadata = FakeObjectStore.Meta(fresh);
                metadata["name"] = target.Name;
                ValidateName(target.Type, target.Name!);
                fresh = FakeManagedFields.Apply(fresh, null, config, fieldManager, force, Store.Now(), target.Type);
                FakeDefaults.Apply(target.Type, fresh);
                return fresh;
            }

            CheckResourceVersion(target, current, config["metadata"]?["resourceVersion"]?.GetValue<string>());
            var next = FakeManagedFields.Apply((JsonObject)current.DeepClone(), current, config, fieldManager, force, Store.Now(), target.Type);
            if (target.Subresource is null && target.Type.HasStatus)
            {
                next["status"] = current["status"]?.DeepClone();
                if (next["status"] is null)
                {
                    next.Remove("status");
                }
            }

            FakeDefaults.Apply(target.Type, next);
            return next;
        }

        if (dryRun)
        {
            return (Change(Store.Get(target.Type, target.Namespace, target.Name!)), false);
        }

        var written = Store.Write(target.Type, target.Namespace, target.Name!, Change)!;
        return (written, created);
    }

    private static JsonObject DeleteOptionsOf(string body, IQueryCollection query)
    {
        var deleteOptions = body.Length > 0 && JsonNode.Parse(body) is JsonObject o ? o : new JsonObject();
        if (query["propagationPolicy"].ToString() is { Length: > 0 } policy)
        {
            deleteOptions["propagationPolicy"] = policy;
        }

        if (query["gracePeriodSeconds"].ToString() is { Length: > 0 } grace)
        {
            deleteOptions["gracePeriodSeconds"] = long.Parse(grace, CultureInfo.InvariantCulture);
        }

        if (deleteOptions["orphanDependents"] is JsonValue orphan && orphan.GetValue<bool>() && deleteOptions["propagationPolicy"] is null)
        {
            deleteOptions["propagationPolicy"] = "Orphan";
        }

        return deleteOptions;
    }

    private JsonNode Delete(Target target, JsonObject deleteOptions, bool dryRun)
    {
        var obj = Store.Get(target.Type, target.Namespace, target.Name!) ?? throw FakeApiException.NotFound(target.Type, target.Name!);
        if (deleteOptions["preconditions"] is JsonObject preconditions)
        {
            if (preconditions["uid"]?.GetValue<string>() is { } uid && uid != FakeObjectStore.Uid(obj))
            {
                throw new FakeApiException(409, "Conflict",
                    $"Operation cannot be fulfilled on {target.Type.QualifiedName} \"{target.Name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {FakeObjectStore.Uid(obj)}",
                    FakeApiException.Details(target.Type, target.Name));
            }

            if (preconditions["resourceVersion"]?.GetValue<string>() is { } rv && rv != obj["metadata"]?["resourceVersion"]?.GetValue<string>())
            {
                throw new FakeApiException(409, "Conflict",
                    $"Operation cannot be fulfilled on {target.Type.QualifiedName} \"{target.Name}\": Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {obj["metadata"]?["resourceVersion"]}",
                    FakeApiException.Details(target.Type, target.Name));
            }
        }

        if (dryRun)
        {
            return obj;
        }

        var policy = deleteOptions["propagationPolicy"]?.GetValue<string>() ?? "Background";
        if (policy is not ("Background" or "Foreground" or "Orphan"))
        {
            throw FakeApiException.Invalid(target.Type, target.Name!, $"propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }

        // Pods (the registry returns the deleted object) and objects still being deleted (foreground, finalizers) come back
        // as the object; everything else as a Status of kind Success.
        var result = FakeGarbageCollector.Delete(this, target.Type, target.Namespace, target.Name!, policy);
        if (result is not null && (target.Type.Kind == "Pod" || result["metadata"]?["deletionTimestamp"] is not null))
        {
            return result;
        }

        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = new JsonObject
            {
                ["name"] = target.Name,
                ["group"] = target.Type.Group,
                ["kind"] = target.Type.Plural,
                ["uid"] = FakeObjectStore.Uid(obj),
            },
        };
    }

    /// <summary>An object marked for deletion whose finalizers are all gone is deleted (as the API server does on the last finalizer's removal).</summary>
    private void FinishDeletionIfReleased(FakeResourceType type, JsonObject written)
    {
        if (written["metadata"]?["deletionTimestamp"] is not null && (written["metadata"]?["finalizers"] as JsonArray ?? []).Count == 0)
        {
            Store.Write(type, FakeObjectStore.Namespace(written), FakeObjectStore.Name(written), _ => null);
        }
    }

    internal static JsonObject ScaleOf(JsonObject obj)
    {
        var selector = obj["spec"]?["selector"] is JsonObject s
            ? string.Join(",", (s["matchLabels"] as JsonObject ?? []).Select(kv => $"{kv.Key}={kv.Value}"))
            : "";
        var meta = obj["metadata"]!;
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta["name"]?.DeepClone(),
                ["namespace"] = meta["namespace"]?.DeepClone(),
                ["uid"] = meta["uid"]?.DeepClone(),
                ["resourceVersion"] = meta["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = obj["spec"]?["replicas"]?.DeepClone() ?? 0 },
            ["status"] = new JsonObject { ["replicas"] = obj["status"]?["replicas"]?.DeepClone() ?? 0, ["selector"] = selector },
        };
    }

    private string LogsOf(JsonObject pod, string ns, string name, IQueryCollection query)
    {
        var containers = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().Select(c => c["name"]?.GetValue<string>() ?? "").ToList();
        var container = query["container"].ToString();
        if (container.Length == 0)
        {
            if (containers.Count != 1)
            {
                throw FakeApiException.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(" ", containers)}]");
            }

            container = containers[0];
        }
        else if (!containers.Contains(container))
        {
            throw FakeApiException.BadRequest($"container {container} is not valid for pod {name}");
        }

        var text = logs.TryGetValue((ns, name, container), out var found) ? found : logs.TryGetValue(("", name, ""), out var any) ? any : "";
        if (int.TryParse(query["tailLines"], CultureInfo.InvariantCulture, out var tail) && tail >= 0)
        {
            var lines = text.Split('\n').ToList();
            if (lines.Count > 0 && lines[^1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }

            text = string.Concat(lines.Skip(Math.Max(0, lines.Count - tail)).Select(l => l + "\n"));
        }

        return text;
    }

    private async Task WatchAsync(HttpContext context, Target target)
    {
        var query = context.Request.Query;
        var fields = FieldSelector.Parse(query["fieldSelector"]);
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var ns = target.Namespace;
        FakeWatcher watcher;
        try
        {
            watcher = Store.Watch(target.Type, ns, labels, fields, query["resourceVersion"]);
        }
        catch (FakeApiException e) when (e.Code == 410)
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject { ["type"] = "ERROR", ["object"] = e.ToStatus() }.ToJsonString(Wire) + "\n");
            return;
        }

        var seconds = int.TryParse(query["timeoutSeconds"], CultureInfo.InvariantCulture, out var t) && t > 0 ? t : 1800;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        try
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.StartAsync(timeout.Token);
            await context.Response.Body.FlushAsync(timeout.Token);
            await foreach (var change in watcher.Channel.Reader.ReadAllAsync(timeout.Token))
            {
                var line = new JsonObject { ["type"] = change.Type, ["object"] = change.Object }.ToJsonString(Wire) + "\n";
                await context.Response.WriteAsync(line, timeout.Token);
                await context.Response.Body.FlushAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, its timeoutSeconds passed, or the server is stopping: the watch ends as a real one does.
        }
        finally
        {
            Store.StopWatch(watcher);
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, int code, JsonNode node)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(node.ToJsonString(Wire));
    }
}
