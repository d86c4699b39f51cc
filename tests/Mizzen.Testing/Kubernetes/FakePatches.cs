using System.Globalization;
using System.Text.Json.Nodes;

namespace Mizzen.Testing.Kubernetes;

/// <summary>
/// The three patch formats of the Kubernetes API: JSON merge patch (RFC 7386, <c>application/merge-patch+json</c>),
/// JSON patch (RFC 6902, <c>application/json-patch+json</c>) and strategic merge patch
/// (<c>application/strategic-merge-patch+json</c>), where lists with a patch merge key (containers by name, container
/// ports by containerPort, env by name, volumes by name, volumeMounts by mountPath, service ports by port, conditions by
/// type, ownerReferences by uid) are merged element by element and finalizers as a set; other lists are replaced.
/// Directives: <c>$patch: replace|delete|merge</c>, <c>$retainKeys</c>, <c>$setElementOrder/field</c>,
/// <c>$deleteFromPrimitiveList/field</c>.
/// </summary>
public static class FakePatches
{
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = MergePatch(result[key], value);
            }
        }

        return result;
    }

    /// <summary>Applies an RFC 6902 patch; a failed <c>test</c> or a missing path throws a 422/500-style <see cref="FakeApiException"/>.</summary>
    public static JsonNode JsonPatch(JsonNode target, JsonArray operations)
    {
        var root = new JsonObject { ["r"] = target.DeepClone() };
        foreach (var op in operations.OfType<JsonObject>())
        {
            var kind = op["op"]?.GetValue<string>() ?? throw FakeApiException.BadRequest("json patch operation without \"op\"");
            var path = op["path"]?.GetValue<string>() ?? throw FakeApiException.BadRequest($"json patch \"{kind}\" without \"path\"");
            switch (kind)
            {
                case "add":
                    Add(root, path, op["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, op["value"]?.DeepClone());
                    break;
                case "move":
                    {
                        var from = op["from"]?.GetValue<string>() ?? throw FakeApiException.BadRequest("json patch \"move\" without \"from\"");
                        var value = Resolve(root, from)?.DeepClone();
                        Remove(root, from);
                        Add(root, path, value);
                        break;
                    }

                case "copy":
                    {
                        var from = op["from"]?.GetValue<string>() ?? throw FakeApiException.BadRequest("json patch \"copy\" without \"from\"");
                        Add(root, path, Resolve(root, from)?.DeepClone());
                        break;
                    }

                case "test":
                    if (!JsonNode.DeepEquals(Resolve(root, path), op["value"]))
                    {
                        throw new FakeApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    }

                    break;
                default:
                    throw FakeApiException.BadRequest($"Unexpected kind: {kind}");
            }
        }

        return root["r"]!;
    }

    private static List<string> Pointer(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (!path.StartsWith('/'))
        {
            throw FakeApiException.BadRequest($"json patch path \"{path}\" does not start with /");
        }

        return [.. path[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static (JsonNode Parent, string Last) Parent(JsonObject root, string path)
    {
        var segments = Pointer(path);
        segments.Insert(0, "r");
        JsonNode node = root;
        for (var i = 0; i < segments.Count - 1; i++)
        {
            node = Child(node, segments[i]) ?? throw new FakeApiException(422, "Invalid", $"the server rejected our request due to an error in our request: missing path {path}");
        }

        return (node, segments[^1]);
    }

    private static JsonNode? Child(JsonNode node, string segment) => node switch
    {
        JsonObject o => o[segment],
        JsonArray a when int.TryParse(segment, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < a.Count => a[i],
        _ => null,
    };

    private static JsonNode? Resolve(JsonObject root, string path)
    {
        var (parent, last) = Parent(root, path);
        return Child(parent, last);
    }

    private static void Add(JsonObject root, string path, JsonNode? value)
    {
        var (parent, last) = Parent(root, path);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, CultureInfo.InvariantCulture, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new FakeApiException(422, "Invalid", $"the server rejected our request due to an error in our request: add operation does not apply: doc is missing path: \"{path}\"");
        }
    }

    private static void Remove(JsonObject root, string path)
    {
        var (parent, last) = Parent(root, path);
        var removed = parent switch
        {
            JsonObject o => o.Remove(last),
            JsonArray a when int.TryParse(last, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < a.Count => RemoveAt(a, i),
            _ => false,
        };
        if (!removed)
        {
            throw new FakeApiException(422, "Invalid", $"the server rejected our request due to an error in our request: remove operation does not apply: doc is missing path: \"{path}\"");
        }
    }

    private static bool RemoveAt(JsonArray array, int index)
    {
        array.RemoveAt(index);
        return true;
    }

    /// <summary>Applies a strategic merge patch to <paramref name="target"/> (a built-in kind's object).</summary>
    /// <param name="mergeLists">False for a custom resource (server-side apply): every list is atomic.</param>
    public static JsonObject StrategicMerge(JsonObject target, JsonObject patch, bool mergeLists = true) =>
        MergeMap(target, patch, mergeLists ? "" : NoMerge) ?? new JsonObject();

    /// <summary>A path prefix no merge key matches: lists below it are replaced whole.</summary>
    private const string NoMerge = "\u0000";

    /// <summary>The patch merge key of list <paramref name="field"/> inside the object at <paramref name="parentPath"/>, "" for a set of primitives merged as a set, null for an atomic list.</summary>
    internal static string? MergeKey(string parentPath, string field)
    {
        var parent = parentPath.Split('.')[^1].TrimEnd(']').TrimEnd('[');
        var inContainer = parent is "containers" or "initContainers" or "ephemeralContainers";
        return field switch
        {
            "containers" or "initContainers" or "ephemeralContainers" or "volumes" or "imagePullSecrets" => "name",
            "resourceClaims" or "schedulingGates" => "name",
            "env" when inContainer => "name",
            "ports" when inContainer => "containerPort",
            "ports" when parent == "spec" => "port",
            "volumeMounts" when inContainer => "mountPath",
            "volumeDevices" when inContainer => "devicePath",
            "hostAliases" => "ip",
            "topologySpreadConstraints" => "topologyKey",
            "ownerReferences" when parent == "metadata" => "uid",
            "conditions" when parent == "status" => "type",
            "finalizers" when parent == "metadata" => "",
            _ => null,
        };
    }

    private static JsonObject? MergeMap(JsonObject? original, JsonObject patch, string path)
    {
        var directive = patch["$patch"]?.GetValue<string>();
        if (directive == "delete")
        {
            return null;
        }

        if (directive == "replace")
        {
            var replacement = (JsonObject)patch.DeepClone();
            replacement.Remove("$patch");
            return (JsonObject)StripDirectives(replacement)!;
        }

        var result = original is null ? new JsonObject() : (JsonObject)original.DeepClone();
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }

            var childPath = path.Length == 0 ? key : path.StartsWith(NoMerge, StringComparison.Ordinal) ? NoMerge : $"{path}.{key}";
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonObject patchChild)
            {
                var merged = MergeMap(result[key] as JsonObject, patchChild, childPath);
                if (merged is null)
                {
                    result.Remove(key);
                }
                else
                {
                    result[key] = merged;
                }
            }
            else if (value is JsonArray patchList && !path.StartsWith(NoMerge, StringComparison.Ordinal) && MergeKey(path, key) is { } mergeKey)
            {
                result[key] = MergeList(result[key] as JsonArray ?? [], patchList, mergeKey, childPath + "[]");
            }
            else
            {
                result[key] = StripDirectives(value.DeepClone());
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal) && value is JsonArray toDelete)
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (result[field] is JsonArray list)
                {
                    foreach (var item in list.Where(i => toDelete.Any(d => JsonNode.DeepEquals(d, i))).ToList())
                    {
                        list.Remove(item);
                    }
                }
            }
            else if (key.StartsWith("$setElementOrder/", StringComparison.Ordinal) && value is JsonArray order)
            {
                var field = key["$setElementOrder/".Length..];
                if (result[field] is JsonArray list && MergeKey(path, field) is { } mergeKey)
                {
                    result[field] = Reorder(list, order, mergeKey);
                }
            }
        }

        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.GetValue<string>()).ToHashSet();
            foreach (var key in result.Select(kv => kv.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray original, JsonArray patch, string mergeKey, string itemPath)
    {
        if (patch.OfType<JsonObject>().Any(e => e["$patch"]?.GetValue<string>() == "replace"))
        {
            return new JsonArray([.. patch.Where(e => !(e is JsonObject o && o["$patch"] is not null)).Select(e => StripDirectives(e?.DeepClone()))]);
        }

        var result = (JsonArray)original.DeepClone();
        if (mergeKey.Length == 0)
        {
            foreach (var item in patch)
            {
                if (!result.Any(r => JsonNode.DeepEquals(r, item)))
                {
                    result.Add(item?.DeepClone());
                }
            }

            return result;
        }

        foreach (var item in patch)
        {
            if (item is not JsonObject element)
            {
                result.Add(item?.DeepClone());
                continue;
            }

            var keyValue = element[mergeKey];
            var at = -1;
            for (var i = 0; i < result.Count; i++)
            {
                if (result[i] is JsonObject existing && JsonNode.DeepEquals(existing[mergeKey], keyValue))
                {
                    at = i;
                    break;
                }
            }

            if (element["$patch"]?.GetValue<string>() == "delete")
            {
                if (at >= 0)
                {
                    result.RemoveAt(at);
                }

                continue;
            }

            if (at >= 0)
            {
                result[at] = MergeMap((JsonObject)result[at]!, element, itemPath);
            }
            else
            {
                result.Add(MergeMap(null, element, itemPath));
            }
        }

        return result;
    }

    private static JsonArray Reorder(JsonArray list, JsonArray order, string mergeKey)
    {
        var items = list.Select(i => i?.DeepClone()).ToList();
        var ordered = new List<JsonNode?>();
        foreach (var entry in order)
        {
            var key = mergeKey.Length == 0 ? entry : (entry as JsonObject)?[mergeKey];
            var match = items.FirstOrDefault(i => JsonNode.DeepEquals(mergeKey.Length == 0 ? i : (i as JsonObject)?[mergeKey], key));
            if (match is not null)
            {
                ordered.Add(match);
                items.Remove(match);
            }
        }

        ordered.AddRange(items);
        return new JsonArray([.. ordered]);
    }

    private static JsonNode? StripDirectives(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(kv => kv.Key).Where(k => k.StartsWith('$')).ToList())
                {
                    o.Remove(key);
                }

                foreach (var (_, value) in o.ToList())
                {
                    StripDirectives(value);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    StripDirectives(item);
                }

                break;
        }

        return node;
    }
}
