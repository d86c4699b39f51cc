using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages.Operations;

/// <summary>
/// The artifacts a patch (or a run job) binds, as clouddriver takes them: <c>requiredArtifactIds</c> and <c>requiredArtifacts</c>
/// (<c>{id}</c> or <c>{artifact}</c>) must each bind something; every other artifact of the run may. De-duplicated by
/// <c>type-name-location</c>, required ones first.
/// </summary>
internal static class RequiredArtifacts
{
    public static (IReadOnlyList<JsonObject> Required, IReadOnlyList<JsonObject> All) Of(TaskContext context)
    {
        var required = new List<JsonObject>();
        foreach (var id in (context.Context["requiredArtifactIds"] as JsonArray ?? []).Select(n => n.AsString()).OfType<string>())
        {
            required.Add(Bound(context, id, "requiredArtifactIds"));
        }

        foreach (var (entry, i) in (context.Context["requiredArtifacts"] as JsonArray ?? []).OfType<JsonObject>().Select((e, i) => (e, i)))
        {
            if (entry["artifact"] is JsonObject inline)
            {
                required.Add(inline);
            }
            else if ((entry["id"] ?? entry["expectedArtifactId"]).AsString() is { Length: > 0 } id)
            {
                required.Add(Bound(context, id, $"requiredArtifacts[{i}]"));
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var all = required.Concat(ExecutionArtifacts.Of(context.Execution)).Where(a => seen.Add(ArtifactBinder.Key(a))).ToList();
        return (required, all);
    }

    /// <summary>Spinnaker's message when a required artifact bound nothing; null when every one did.</summary>
    public static string? Unbound(IReadOnlyList<JsonObject> required, IReadOnlyList<JsonObject> bound)
    {
        var keys = bound.Select(ArtifactBinder.Key).ToHashSet(StringComparer.Ordinal);
        var missing = required.Where(r => !keys.Contains(ArtifactBinder.Key(r))).ToList();
        return missing.Count == 0
            ? null
            : "The following required artifacts could not be bound: " + string.Join(", ", missing.Select(m => $"{m["type"].AsString()} '{m["name"].AsString()}'"))
              + ". Check that the Docker image name above matches the name used in the image field of your manifest.";
    }

    private static JsonObject Bound(TaskContext context, string id, string field) =>
        StageArtifactBinding.BoundArtifactForId(context.Execution, context.Stage, id)
        ?? throw new ValidationException(field, $"expected artifact '{id}' is not bound: the trigger or an upstream stage must resolve it");
}
