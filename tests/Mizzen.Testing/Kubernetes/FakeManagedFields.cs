using System.Text.Json.Nodes;

namespace Mizzen.Testing.Kubernetes;

/// <summary>
/// Server-side apply and <c>metadata.managedFields</c> as the API documents them
/// (https://kubernetes.io/docs/reference/using-api/server-side-apply/), in a simpler form: each manager owns a set of
/// field paths, kept in its managedFields entry as FieldsV1 (<c>f:</c> object fields, <c>k:{…}</c> list items by their
/// merge key, <c>v:</c> set members). An apply takes the fields its configuration sets; a field another manager owns with a
/// different value is a conflict (409, one cause per field) unless <c>force=true</c>, which takes it over; a field the
/// manager applied before and no longer applies is removed when nobody else owns it. Lists with a merge key (containers
/// by name, ports, env …) are merged per item; other lists, and every list of a custom resource, are atomic. An update
/// (PUT or a non-apply PATCH) makes its manager the owner of the fields it changed.
/// Not modelled: per-version field sets, the <c>.</c> entries for owned maps, <c>x-kubernetes-list-type</c> of CRD schemas.
/// </summary>
internal static class FakeManagedFields
{
    private const char Separator = '\u001f';

    /// <summary>Records an update by <paramref name="manager"/>: it takes the fields that differ from <paramref name="current"/>.</summary>
    public static void Record(JsonObject next, JsonObject? current, string manager, string operation, string now, bool builtIn = true)
    {
        if (current is not null && SameIgnoringBookkeeping(next, current))
        {
            return;
        }

        if (current is not null && next["metadata"]?["managedFields"] is JsonArray sent
            && !JsonNode.DeepEquals(sent, current["metadata"]?["managedFields"]))
        {
            // The client rewrote managedFields itself (kubectl does when it moves client-side apply's fields to server-side
            // apply): a real server stores them as sent.
            return;
        }

        var owners = Read(current ?? next);
        var nextFields = Fields(next, builtIn);
        var changed = nextFields.Where(p => current is null || !JsonNode.DeepEquals(ValueAt(current, p), ValueAt(next, p))).ToHashSet();
        var gone = current is null ? [] : Fields(current, builtIn).Where(p => !nextFields.Contains(p)).ToHashSet();
        foreach (var (_, fields) in owners)
        {
            fields.ExceptWith(changed);
            fields.ExceptWith(gone);
        }

        var key = (manager, operation);
        if (!owners.TryGetValue(key, out var mine))
        {
            owners[key] = mine = [];
        }

        mine.UnionWith(changed);
        Write(next, owners, key, now);
    }

    /// <summary>Applies <paramref name="config"/> for <paramref name="manager"/> to <paramref name="target"/> (a copy of <paramref name="current"/>, or the new object).</summary>
    public static JsonObject Apply(JsonObject target, JsonObject? current, JsonObject config, string manager, bool force, string now, FakeResourceType type)
    {
        var patch = (JsonObject)config.DeepClone();
        patch.Remove("status");
        var meta = FakeObjectStore.Meta(patch);
        foreach (var bookkeeping in new[] { "managedFields", "resourceVersion", "uid", "creationTimestamp", "generation" })
        {
            meta.Remove(bookkeeping);
        }

        var owners = current is null ? [] : Read(current);
        var applied = Fields(patch, type.BuiltIn);
        var key = (manager, "Apply");
        var conflicts = new List<(string Manager, string ApiVersion, string Path)>();
        var lastApplied = LastApplied(current);
        foreach (var ((otherManager, operation), fields) in owners)
        {
            if (otherManager == manager)
            {
                continue;
            }

            foreach (var path in fields.Where(applied.Contains).ToList())
            {
                if (current is not null && !JsonNode.DeepEquals(ValueAt(current, path), ValueAt(patch, path)))
                {
                    // As the API server's last-applied handling: a field client-side apply set, still at the value its
                    // last-applied-configuration records, passes to server-side apply without a conflict.
                    var fromClientSideApply = otherManager == "kubectl-client-side-apply" && lastApplied is not null
                        && JsonNode.DeepEquals(ValueAt(lastApplied, path), ValueAt(current, path));
                    if (force || fromClientSideApply)
                    {
                        fields.Remove(path);
                    }
                    else
                    {
                        conflicts.Add((otherManager, ApiVersionOf(current, otherManager, operation), path));
                    }
                }
            }
        }

        if (conflicts.Count > 0)
        {
            throw ConflictError(type, FakeObjectStore.Name(target), conflicts);
        }

        var merged = FakePatches.StrategicMerge(target, patch, type.BuiltIn);
        var previously = owners.TryGetValue(key, out var before) ? before : [];
        var othersOwn = owners.Where(o => o.Key != key).SelectMany(o => o.Value).ToList();
        foreach (var path in previously.Where(p => !applied.Contains(p)))
        {
            var segments = path.Split(Separator);
            for (var length = 1; length <= segments.Length; length++)
            {
                var prefix = string.Join(Separator, segments[..length]);
                if (!applied.Any(a => IsUnder(a, prefix)) && !othersOwn.Any(o => IsUnder(o, prefix)))
                {
                    RemoveAt(merged, segments[..length]);
                    break;
                }
            }
        }

        merged["apiVersion"] = type.ApiVersion;
        merged["kind"] = type.Kind;
        owners[key] = applied;
        if (current is null || !SameIgnoringBookkeeping(merged, current) || !previously.SetEquals(applied))
        {
            Write(merged, owners, key, now);
        }

        return merged;
    }

    private static JsonObject? LastApplied(JsonObject? current)
    {
        var text = current?["metadata"]?["annotations"]?["kubectl.kubernetes.io/last-applied-configuration"]?.GetValue<string>();
        try
        {
            return text is null ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Equal but for resourceVersion and managedFields: such a write changes nothing, and a real server records nothing.</summary>
    internal static bool SameIgnoringBookkeeping(JsonObject a, JsonObject b)
    {
        var x = (JsonObject)a.DeepClone();
        var y = (JsonObject)b.DeepClone();
        foreach (var o in new[] { x, y })
        {
            FakeObjectStore.Meta(o).Remove("resourceVersion");
            FakeObjectStore.Meta(o).Remove("managedFields");
        }

        return JsonNode.DeepEquals(x, y);
    }

    private static FakeApiException ConflictError(FakeResourceType type, string name, List<(string Manager, string ApiVersion, string Path)> conflicts)
    {
        var causes = new JsonArray();
        foreach (var (manager, apiVersion, path) in conflicts)
        {
            causes.Add(new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with \"{manager}\" using {apiVersion}",
                ["field"] = Display(path),
            });
        }

        var lines = conflicts.Select(c => $"- {c.Manager}: {Display(c.Path)}");
        var message = conflicts.Count == 1
            ? $"Apply failed with 1 conflict: conflict with \"{conflicts[0].Manager}\" using {conflicts[0].ApiVersion}: {Display(conflicts[0].Path)}"
            : $"Apply failed with {conflicts.Count} conflicts: conflicts with {string.Join(", ", conflicts.Select(c => $"\"{c.Manager}\" using {c.ApiVersion}").Distinct())}:\n{string.Join("\n", lines)}";
        var details = FakeApiException.Details(type, name);
        details["causes"] = causes;
        return new FakeApiException(409, "Conflict", message, details);
    }

    private static string ApiVersionOf(JsonObject obj, string manager, string operation) =>
        (obj["metadata"]?["managedFields"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(e => e["manager"]?.GetValue<string>() == manager && e["operation"]?.GetValue<string>() == operation)?["apiVersion"]?.GetValue<string>()
        ?? obj["apiVersion"]?.GetValue<string>() ?? "";

    /// <summary>A field path as the API prints it in conflicts: <c>.spec.template.spec.containers[name="app"].image</c>.</summary>
    private static string Display(string path)
    {
        var text = new System.Text.StringBuilder();
        foreach (var segment in path.Split(Separator))
        {
            if (segment.StartsWith("f:", StringComparison.Ordinal))
            {
                text.Append('.').Append(segment[2..]);
            }
            else if (segment.StartsWith("k:", StringComparison.Ordinal) && JsonNode.Parse(segment[2..]) is JsonObject keys)
            {
                text.Append('[').Append(string.Join(",", keys.Select(kv => $"{kv.Key}={kv.Value?.ToJsonString()}"))).Append(']');
            }
            else if (segment.StartsWith("v:", StringComparison.Ordinal))
            {
                text.Append('[').Append(segment[2..]).Append(']');
            }
        }

        return text.ToString();
    }

    private static bool IsUnder(string path, string prefix) =>
        path == prefix || path.StartsWith(prefix + Separator, StringComparison.Ordinal);

    /// <summary>The leaf field paths an object sets (bookkeeping metadata, apiVersion, kind and status left out).</summary>
    internal static HashSet<string> Fields(JsonObject obj, bool builtIn)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind" or "status")
            {
                continue;
            }

            if (key == "metadata" && value is JsonObject metadata)
            {
                foreach (var (metaKey, metaValue) in metadata)
                {
                    if (metaKey is "labels" or "annotations" or "finalizers" or "ownerReferences")
                    {
                        Walk(metaValue, "metadata", metaKey, $"f:metadata{Separator}f:{metaKey}", builtIn, result);
                    }
                }

                continue;
            }

            Walk(value, "", key, $"f:{key}", builtIn, result);
        }

        return result;
    }

    private static void Walk(JsonNode? node, string parentPath, string key, string path, bool builtIn, HashSet<string> result)
    {
        var childPath = parentPath.Length == 0 ? key : $"{parentPath}.{key}";
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                foreach (var (k, v) in o)
                {
                    Walk(v, childPath, k, $"{path}{Separator}f:{k}", builtIn, result);
                }

                break;
            case JsonArray a when builtIn && FakePatches.MergeKey(parentPath, key) is { } mergeKey:
                foreach (var item in a)
                {
                    if (mergeKey.Length == 0 || item is not JsonObject element)
                    {
                        result.Add($"{path}{Separator}v:{item?.ToJsonString()}");
                        continue;
                    }

                    var itemPath = $"{path}{Separator}k:{new JsonObject { [mergeKey] = element[mergeKey]?.DeepClone() }.ToJsonString()}";
                    foreach (var (k, v) in element)
                    {
                        Walk(v, childPath + "[]", k, $"{itemPath}{Separator}f:{k}", builtIn, result);
                    }
                }

                break;
            default:
                result.Add(path);
                break;
        }
    }

    private static JsonNode? ValueAt(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var segment in path.Split(Separator))
        {
            node = Step(node, segment);
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private static JsonNode? Step(JsonNode? node, string segment)
    {
        if (segment.StartsWith("f:", StringComparison.Ordinal))
        {
            return (node as JsonObject)?[segment[2..]];
        }

        if (node is not JsonArray array)
        {
            return null;
        }

        if (segment.StartsWith("k:", StringComparison.Ordinal) && JsonNode.Parse(segment[2..]) is JsonObject keys)
        {
            return array.OfType<JsonObject>().FirstOrDefault(e => keys.All(kv => JsonNode.DeepEquals(e[kv.Key], kv.Value)));
        }

        var value = JsonNode.Parse(segment[2..]);
        return array.FirstOrDefault(e => JsonNode.DeepEquals(e, value));
    }

    private static void RemoveAt(JsonObject obj, string[] segments)
    {
        JsonNode? parent = obj;
        foreach (var segment in segments[..^1])
        {
            parent = Step(parent, segment);
        }

        var last = segments[^1];
        if (last.StartsWith("f:", StringComparison.Ordinal))
        {
            (parent as JsonObject)?.Remove(last[2..]);
        }
        else if (parent is JsonArray array && Step(array, last) is { } element)
        {
            array.Remove(element);
        }
    }

    /// <summary>Each manager's field set, read from the object's managedFields (FieldsV1).</summary>
    private static Dictionary<(string Manager, string Operation), HashSet<string>> Read(JsonObject obj)
    {
        var owners = new Dictionary<(string, string), HashSet<string>>();
        foreach (var entry in (obj["metadata"]?["managedFields"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = (entry["manager"]?.GetValue<string>() ?? "", entry["operation"]?.GetValue<string>() ?? "Update");
            var fields = new HashSet<string>(StringComparer.Ordinal);
            Flatten(entry["fieldsV1"] as JsonObject, "", fields);
            owners[key] = fields;
        }

        return owners;
    }

    private static void Flatten(JsonObject? node, string prefix, HashSet<string> fields)
    {
        foreach (var (key, value) in node ?? [])
        {
            if (key == ".")
            {
                continue;
            }

            var path = prefix.Length == 0 ? key : $"{prefix}{Separator}{key}";
            if (value is JsonObject { Count: > 0 } child && child.Any(kv => kv.Key != "."))
            {
                Flatten(child, path, fields);
            }
            else
            {
                fields.Add(path);
            }
        }
    }

    /// <summary>Writes the field sets back as managedFields entries; <paramref name="touched"/> gets <paramref name="now"/> as its time.</summary>
    private static void Write(JsonObject obj, Dictionary<(string Manager, string Operation), HashSet<string>> owners, (string Manager, string Operation) touched, string now)
    {
        var previous = (obj["metadata"]?["managedFields"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var entries = new JsonArray();
        foreach (var ((manager, operation), fields) in owners)
        {
            if (fields.Count == 0 && (manager, operation) != touched)
            {
                continue;
            }

            var old = previous.FirstOrDefault(e => e["manager"]?.GetValue<string>() == manager && e["operation"]?.GetValue<string>() == operation);
            var fieldsV1 = new JsonObject();
            foreach (var path in fields.Order(StringComparer.Ordinal))
            {
                var node = fieldsV1;
                foreach (var segment in path.Split(Separator))
                {
                    node = node[segment] as JsonObject ?? (JsonObject)(node[segment] = new JsonObject());
                }
            }

            entries.Add(new JsonObject
            {
                ["manager"] = manager,
                ["operation"] = operation,
                ["apiVersion"] = (manager, operation) == touched ? obj["apiVersion"]?.DeepClone() : old?["apiVersion"]?.DeepClone() ?? obj["apiVersion"]?.DeepClone(),
                ["time"] = (manager, operation) == touched ? now : old?["time"]?.DeepClone(),
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = fieldsV1,
            });
        }

        FakeObjectStore.Meta(obj)["managedFields"] = entries;
    }
}
