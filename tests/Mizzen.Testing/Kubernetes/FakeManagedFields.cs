using System.Text.Json.Nodes;

namespace Mizzen.Testing.Kubernetes;

/// <summary>
/// Server-side apply and metadata.managedFields, simplified: each manager's entry records when and how (Apply or Update)
/// it last wrote. An apply merges the configuration into the object the way a strategic merge patch does (lists with
/// merge keys by key, others replaced).
/// </summary>
internal static class FakeManagedFields
{
    public static void Record(JsonObject next, JsonObject? current, string manager, string operation, string now)
    {
        if (current is null || !SameIgnoringBookkeeping(next, current))
        {
            Upsert(next, manager, operation, now);
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

    public static JsonObject Apply(JsonObject target, JsonObject? current, JsonObject config, string manager, bool force, string now, FakeResourceType type)
    {
        _ = force;
        var patch = (JsonObject)config.DeepClone();
        patch.Remove("status");
        var merged = FakePatches.StrategicMerge(target, patch);
        merged["apiVersion"] = type.ApiVersion;
        merged["kind"] = type.Kind;
        if (current is null || !SameIgnoringBookkeeping(merged, current))
        {
            Upsert(merged, manager, "Apply", now);
        }

        return merged;
    }

    private static void Upsert(JsonObject obj, string manager, string operation, string now)
    {
        var metadata = FakeObjectStore.Meta(obj);
        var entries = metadata["managedFields"] as JsonArray ?? (JsonArray)(metadata["managedFields"] = new JsonArray());
        var existing = entries.OfType<JsonObject>().FirstOrDefault(e =>
            e["manager"]?.GetValue<string>() == manager && e["operation"]?.GetValue<string>() == operation);
        if (existing is null)
        {
            existing = new JsonObject
            {
                ["manager"] = manager,
                ["operation"] = operation,
                ["apiVersion"] = obj["apiVersion"]?.DeepClone(),
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = new JsonObject(),
            };
            entries.Add(existing);
        }

        existing["time"] = now;
    }
}
