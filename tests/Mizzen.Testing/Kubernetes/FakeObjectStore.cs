using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Mizzen.Testing.Kubernetes;

/// <summary>One change as a watch reports it: ADDED, MODIFIED or DELETED, with the object after the change.</summary>
internal sealed record FakeWatchEvent(string Type, JsonObject Object);

/// <summary>
/// The fake's etcd: every object by storage key (plural.group), namespace and name, one resourceVersion counter for all of
/// them (as etcd's revision), and the history of changes so a watch can start from a resourceVersion. Every read returns
/// a deep copy; every write goes through <see cref="Write"/>, which bumps the resourceVersion, the generation on a spec
/// change, and tells the watches.
/// </summary>
internal sealed class FakeObjectStore(TimeProvider time)
{
    private const int HistoryLimit = 50_000;

    private readonly Lock gate = new();
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> objects = new(StringComparer.Ordinal);
    private readonly List<(long Rv, string StorageKey, JsonObject? Old, JsonObject? New)> history = [];
    private readonly List<FakeWatcher> watchers = [];
    private long revision = 100;
    private long evictedThrough;
    private int uidCounter;

    /// <summary>Raised after every committed change (outside the lock): the controller and <c>WaitForAsync</c> listen.</summary>
    public event Action? Changed;

    public long Revision
    {
        get
        {
            lock (gate)
            {
                return revision;
            }
        }
    }

    public string Now() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public JsonObject? Get(FakeResourceType type, string? ns, string name)
    {
        lock (gate)
        {
            return Find(type, ns, name) is { } found ? AsVersion(found, type) : null;
        }
    }

    public (List<JsonObject> Items, long Revision) List(FakeResourceType type, string? ns, LabelSelector? labels = null, FieldSelector? fields = null)
    {
        lock (gate)
        {
            var items = new List<JsonObject>();
            if (objects.TryGetValue(type.StorageKey, out var all))
            {
                foreach (var obj in all.Values)
                {
                    if (Visible(obj, ns, labels, fields))
                    {
                        items.Add(AsVersion(obj, type));
                    }
                }
            }

            return (items, revision);
        }
    }

    /// <summary>Every namespace-scoped object in <paramref name="ns"/>, of every kind (for a namespace's deletion).</summary>
    public List<(string StorageKey, string Name)> AllInNamespace(string ns)
    {
        lock (gate)
        {
            return [.. objects.SelectMany(kv => kv.Value.Values
                .Where(o => Namespace(o) == ns)
                .Select(o => (kv.Key, Name(o))))];
        }
    }

    /// <summary>Every stored object whose ownerReferences name <paramref name="ownerUid"/>: (storage key, namespace, name).</summary>
    public List<(string StorageKey, string? Namespace, string Name)> Dependents(string ownerUid)
    {
        lock (gate)
        {
            return [.. objects.SelectMany(kv => kv.Value.Values
                .Where(o => (o["metadata"]?["ownerReferences"] as JsonArray)?.Any(r => r?["uid"]?.GetValue<string>() == ownerUid) == true)
                .Select(o => (kv.Key, Namespace(o), Name(o))))];
        }
    }

    /// <summary>
    /// The one way an object changes: <paramref name="change"/> gets a copy of the stored object (null when absent) and returns
    /// the object to store (null to delete it), all under the lock, so a read-modify-write cannot interleave with another.
    /// An update that changes nothing but metadata.resourceVersion is not a change (no new resourceVersion, no event), as on
    /// a real server. Returns what is stored afterwards (the deleted object on a deletion), in <paramref name="type"/>'s version.
    /// </summary>
    public JsonObject? Write(FakeResourceType type, string? ns, string name, Func<JsonObject?, JsonObject?> change)
    {
        JsonObject? result;
        lock (gate)
        {
            var key = Key(ns, name);
            var current = Find(type, ns, name);
            var proposed = change(current is null ? null : AsVersion(current, type));
            if (proposed is null)
            {
                if (current is null)
                {
                    return null;
                }

                objects[type.StorageKey].Remove(key);
                revision++;
                var deleted = (JsonObject)current.DeepClone();
                Meta(deleted)["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
                Record(type.StorageKey, deleted, null);
                result = AsVersion(deleted, type);
            }
            else
            {
                var metadata = Meta(proposed);
                metadata["name"] = name;
                if (type.Namespaced)
                {
                    metadata["namespace"] = ns;
                }
                else
                {
                    metadata.Remove("namespace");
                }

                proposed["apiVersion"] = type.ApiVersion;
                proposed["kind"] = type.Kind;
                if (current is null)
                {
                    metadata["uid"] ??= NewUid();
                    metadata["creationTimestamp"] ??= Now();
                    if (proposed.ContainsKey("spec") || type.Kind is "Deployment" or "ReplicaSet" or "StatefulSet" or "DaemonSet" or "Job")
                    {
                        metadata["generation"] = 1;
                    }
                }
                else
                {
                    var currentMeta = Meta(current);
                    metadata["uid"] = currentMeta["uid"]?.DeepClone();
                    metadata["creationTimestamp"] = currentMeta["creationTimestamp"]?.DeepClone();
                    metadata["resourceVersion"] = currentMeta["resourceVersion"]?.DeepClone();
                    if (currentMeta["generation"] is { } generation)
                    {
                        var bumped = SpecChanged(current, proposed) || (currentMeta["deletionTimestamp"] is null && metadata["deletionTimestamp"] is not null);
                        metadata["generation"] = bumped ? Number(generation) + 1 : Number(generation);
                    }

                    if (JsonNode.DeepEquals(WithoutVersion(current), WithoutVersion(proposed)))
                    {
                        return AsVersion(current, type);
                    }
                }

                revision++;
                metadata["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
                var stored = (JsonObject)proposed.DeepClone();
                if (!objects.TryGetValue(type.StorageKey, out var all))
                {
                    objects[type.StorageKey] = all = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
                }

                all[key] = stored;
                Record(type.StorageKey, current, stored);
                result = AsVersion(stored, type);
            }
        }

        Changed?.Invoke();
        return result;
    }

    /// <summary>
    /// Starts a watch. Without a resourceVersion (or "0") it first reports every matching object as ADDED; with one it
    /// replays the changes after it. A resourceVersion older than the kept history is refused with 410 Gone.
    /// </summary>
    public FakeWatcher Watch(FakeResourceType type, string? ns, LabelSelector labels, FieldSelector fields, string? resourceVersion)
    {
        lock (gate)
        {
            var watcher = new FakeWatcher(type, ns, labels, fields);
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                if (objects.TryGetValue(type.StorageKey, out var all))
                {
                    foreach (var obj in all.Values.Where(o => Visible(o, ns, labels, fields)))
                    {
                        watcher.Channel.Writer.TryWrite(new FakeWatchEvent("ADDED", AsVersion(obj, type)));
                    }
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, CultureInfo.InvariantCulture, out var from))
                {
                    throw FakeApiException.BadRequest($"invalid resource version \"{resourceVersion}\"");
                }

                if (from < evictedThrough)
                {
                    throw new FakeApiException(410, "Expired", $"too old resource version: {from} ({evictedThrough + 1})");
                }

                foreach (var (rv, storageKey, old, @new) in history)
                {
                    if (rv > from && storageKey == type.StorageKey)
                    {
                        watcher.Offer(old, @new);
                    }
                }
            }

            watchers.Add(watcher);
            return watcher;
        }
    }

    public void StopWatch(FakeWatcher watcher)
    {
        lock (gate)
        {
            watchers.Remove(watcher);
        }

        watcher.Channel.Writer.TryComplete();
    }

    public void StopAllWatches()
    {
        lock (gate)
        {
            foreach (var watcher in watchers)
            {
                watcher.Channel.Writer.TryComplete();
            }

            watchers.Clear();
        }
    }

    internal static JsonObject Meta(JsonObject obj) =>
        obj["metadata"] as JsonObject ?? (JsonObject)(obj["metadata"] = new JsonObject());

    /// <summary>A JSON number as long, whether it was parsed from a body or set from an int or long in code.</summary>
    internal static long Number(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<double>(out var d) => (long)d,
        JsonValue v when long.TryParse(v.ToString(), CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => 0,
    };

    internal static string Name(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>() ?? "";

    internal static string? Namespace(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>();

    internal static string? Uid(JsonObject obj) => obj["metadata"]?["uid"]?.GetValue<string>();

    private string NewUid()
    {
        var n = Interlocked.Increment(ref uidCounter);
        return $"00000000-0000-4000-8000-{n:x12}";
    }

    private static string Key(string? ns, string name) => $"{ns}/{name}";

    private JsonObject? Find(FakeResourceType type, string? ns, string name) =>
        objects.TryGetValue(type.StorageKey, out var all) && all.TryGetValue(Key(type.Namespaced ? ns : null, name), out var obj) ? obj : null;

    private static bool Visible(JsonObject obj, string? ns, LabelSelector? labels, FieldSelector? fields) =>
        (ns is null || Namespace(obj) == ns) && (labels?.Matches(obj) ?? true) && (fields?.Matches(obj) ?? true);

    private static JsonObject AsVersion(JsonObject obj, FakeResourceType type)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = type.ApiVersion;
        return copy;
    }

    private static JsonObject WithoutVersion(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        Meta(copy).Remove("resourceVersion");
        copy.Remove("apiVersion");
        return copy;
    }

    private static bool SpecChanged(JsonObject current, JsonObject proposed)
    {
        var a = (JsonObject)current.DeepClone();
        var b = (JsonObject)proposed.DeepClone();
        foreach (var o in new[] { a, b })
        {
            o.Remove("metadata");
            o.Remove("status");
            o.Remove("apiVersion");
            o.Remove("kind");
        }

        return !JsonNode.DeepEquals(a, b);
    }

    private void Record(string storageKey, JsonObject? old, JsonObject? @new)
    {
        history.Add((revision, storageKey, old, @new));
        if (history.Count > HistoryLimit)
        {
            evictedThrough = history[0].Rv;
            history.RemoveAt(0);
        }

        foreach (var watcher in watchers)
        {
            if (watcher.Type.StorageKey == storageKey)
            {
                watcher.Offer(old, @new);
            }
        }
    }
}

/// <summary>One open watch: its filter and the events queued for it.</summary>
internal sealed class FakeWatcher(FakeResourceType type, string? ns, LabelSelector labels, FieldSelector fields)
{
    public FakeResourceType Type { get; } = type;

    public Channel<FakeWatchEvent> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<FakeWatchEvent>();

    /// <summary>
    /// Queues the event this change is for this watch: an object entering the filter is ADDED, leaving it DELETED (as the
    /// API server's watch cache reports selector changes), changing within it MODIFIED.
    /// </summary>
    public void Offer(JsonObject? old, JsonObject? @new)
    {
        var was = old is not null && Matches(old);
        var isNow = @new is not null && Matches(@new);
        var (kind, obj) = (was, isNow) switch
        {
            (false, true) => ("ADDED", @new!),
            (true, true) => ("MODIFIED", @new!),
            (true, false) => ("DELETED", @new ?? old!),
            _ => ("", null!),
        };
        if (kind.Length == 0)
        {
            return;
        }

        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = Type.ApiVersion;
        Channel.Writer.TryWrite(new FakeWatchEvent(kind, copy));
    }

    private bool Matches(JsonObject obj) =>
        (ns is null || FakeObjectStore.Namespace(obj) == ns) && labels.Matches(obj) && fields.Matches(obj);
}
