using System.Text.Json.Nodes;

namespace Mizzen.Testing.Kubernetes;

/// <summary>
/// Deletion as the API server and its garbage collector do it, done at once instead of asynchronously: Background deletes
/// the object, then every dependent (an object whose ownerReferences name its uid) that has no other owner left; Foreground
/// marks the object (deletionTimestamp, the foregroundDeletion finalizer), deletes the dependents first, then the object;
/// Orphan removes the owner reference from the dependents and deletes only the object. An object with other finalizers is
/// only marked, and goes when its last finalizer is removed. A namespace takes everything in it along.
/// </summary>
internal static class FakeGarbageCollector
{
    public static JsonObject? Delete(FakeKubernetesApiServer server, FakeResourceType type, string? ns, string name, string policy)
    {
        lock (server.Controller.Gate)
        {
            return DeleteLocked(server, type, ns, name, policy);
        }
    }

    private static JsonObject? DeleteLocked(FakeKubernetesApiServer server, FakeResourceType type, string? ns, string name, string policy)
    {
        var store = server.Store;
        var obj = store.Get(type, ns, name);
        if (obj is null)
        {
            return null;
        }

        var uid = FakeObjectStore.Uid(obj) ?? "";
        var now = store.Now();
        var otherFinalizers = (obj["metadata"]?["finalizers"] as JsonArray ?? [])
            .Select(f => f?.GetValue<string>())
            .Where(f => f is not ("foregroundDeletion" or "orphan"))
            .ToList();
        if (type.Kind == "Namespace")
        {
            store.Write(type, ns, name, current => current is null ? null : Marked(current, now, null));
            foreach (var (key, dependentName) in store.AllInNamespace(name))
            {
                DeleteLocked(server, TypeByKey(key), name, dependentName, "Background");
            }

            return store.Write(type, ns, name, _ => null);
        }

        if (otherFinalizers.Count > 0)
        {
            return store.Write(type, ns, name, current => current is null ? null : Marked(current, now, null));
        }

        switch (policy)
        {
            case "Orphan":
                foreach (var (key, dns, dname) in store.Dependents(uid))
                {
                    store.Write(TypeByKey(key), dns, dname, current => current is null ? null : WithoutOwner(current, uid));
                }

                return store.Write(type, ns, name, _ => null);
            case "Foreground":
                var marked = store.Write(type, ns, name, current => current is null ? null : Marked(current, now, "foregroundDeletion"));
                Release(server, uid, "Foreground");
                store.Write(type, ns, name, _ => null);
                return marked;
            default:
                var deleted = store.Write(type, ns, name, _ => null);
                Release(server, uid, "Background");
                return deleted;
        }
    }

    /// <summary>Dependents of a deleted owner: each loses the reference, and goes too when no owner of it is left.</summary>
    private static void Release(FakeKubernetesApiServer server, string ownerUid, string policy)
    {
        var store = server.Store;
        foreach (var (key, dns, dname) in store.Dependents(ownerUid))
        {
            var type = TypeByKey(key);
            var dependent = store.Get(type, dns, dname);
            if (dependent is null)
            {
                continue;
            }

            var others = (dependent["metadata"]?["ownerReferences"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .Where(r => r["uid"]?.GetValue<string>() != ownerUid && OwnerExists(server, r, dns))
                .ToList();
            if (others.Count > 0)
            {
                store.Write(type, dns, dname, current => current is null ? null : WithoutOwner(current, ownerUid));
            }
            else
            {
                DeleteLocked(server, type, dns, dname, policy);
            }
        }
    }

    private static bool OwnerExists(FakeKubernetesApiServer server, JsonObject reference, string? ns)
    {
        var apiVersion = reference["apiVersion"]?.GetValue<string>() ?? "";
        var kind = reference["kind"]?.GetValue<string>() ?? "";
        var type = FakeResourceTypes.FindByKind(apiVersion, kind);
        var owner = type is null ? null : server.Store.Get(type, type.Namespaced ? ns : null, reference["name"]?.GetValue<string>() ?? "");
        return owner is not null && FakeObjectStore.Uid(owner) == reference["uid"]?.GetValue<string>();
    }

    private static JsonObject Marked(JsonObject obj, string now, string? finalizer)
    {
        var metadata = FakeObjectStore.Meta(obj);
        metadata["deletionTimestamp"] ??= now;
        metadata["deletionGracePeriodSeconds"] ??= 0;
        if (finalizer is not null)
        {
            var finalizers = metadata["finalizers"] as JsonArray ?? (JsonArray)(metadata["finalizers"] = new JsonArray());
            if (!finalizers.Any(f => f?.GetValue<string>() == finalizer))
            {
                finalizers.Add(finalizer);
            }
        }

        return obj;
    }

    private static JsonObject WithoutOwner(JsonObject obj, string ownerUid)
    {
        if (obj["metadata"]?["ownerReferences"] is JsonArray references)
        {
            foreach (var reference in references.Where(r => r?["uid"]?.GetValue<string>() == ownerUid).ToList())
            {
                references.Remove(reference);
            }

            if (references.Count == 0)
            {
                FakeObjectStore.Meta(obj).Remove("ownerReferences");
            }
        }

        return obj;
    }

    internal static FakeResourceType TypeByKey(string storageKey) =>
        FakeResourceTypes.All.First(t => t.StorageKey == storageKey);
}
