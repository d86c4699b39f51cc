using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Providers.Kubernetes.Operations;

/// <summary>
/// A StatefulSet's or DaemonSet's rollout history as <c>kubectl rollout history</c> reads it: Kubernetes keeps it in
/// <c>ControllerRevision</c>s (apps/v1) that the workload controls, each with <c>.revision</c> and <c>.data</c> — a strategic
/// merge patch that puts the pod template back (<c>{"spec":{"template":{…,"$patch":"replace"}}}</c>). kubectl's rollback for
/// these kinds sends that data unchanged as a strategic merge patch, and so does Mizzen.
/// </summary>
internal static class ControllerRevisionHistory
{
    public const string ApiVersion = "apps/v1";
    public const string Kind = "ControllerRevision";

    /// <summary>The kinds whose history is kept in ControllerRevisions.</summary>
    public static bool Keeps(string kind) => kind is "StatefulSet" or "DaemonSet";

    /// <summary>A ControllerRevision's <c>.revision</c>, or null when it has none.</summary>
    public static long? Of(JsonObject controllerRevision) => controllerRevision["revision"].AsLong();

    /// <summary>The revisions among <paramref name="listed"/> that <paramref name="ownerUid"/> controls (the LIST by selector can match others').</summary>
    public static List<JsonObject> ControlledBy(IEnumerable<JsonObject> listed, string? ownerUid) =>
        [.. listed.Where(r => Of(r) is not null
            && (r["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(o => o?["uid"].AsString() == ownerUid && o?["controller"]?.GetValue<bool>() == true))];

    /// <summary>
    /// The patch that restores the workload to <paramref name="controllerRevision"/>: its <c>.data</c>, which must replace
    /// <c>spec.template</c>. Fails naming the revision when the data is not such a patch (nothing is sent then).
    /// </summary>
    public static JsonObject RestorePatch(JsonObject controllerRevision, string what)
    {
        if (controllerRevision["data"] is JsonObject data && data["spec"]?["template"] is JsonObject)
        {
            return (JsonObject)data.DeepClone();
        }

        throw new ValidationException("revision", $"{what}: ControllerRevision {controllerRevision["metadata"]?["name"].AsString()} has no pod template in its data");
    }
}
