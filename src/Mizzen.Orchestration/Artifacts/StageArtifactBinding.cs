using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Artifacts;

/// <summary>
/// How a stage gets the artifact it works on (Orca's <c>ArtifactUtils.getBoundArtifactForStage</c>): an id field
/// (<c>expectedArtifactId</c>, <c>artifactId</c>, or a stage's own such as <c>manifestArtifactId</c>) names an expected artifact, and the
/// artifact bound to it is taken from the nearest upstream stage's <c>outputs.resolvedExpectedArtifacts</c> (findArtifactFromExecution
/// writes them), then from the trigger's <c>resolvedExpectedArtifacts</c>; without an id, an inline artifact object (<c>artifact</c>, or a
/// stage's own such as <c>manifestArtifact</c>) is used as it is. An id with no binding fails the stage, naming the id, rather than
/// deploying nothing or something else.
/// </summary>
public static class StageArtifactBinding
{
    /// <summary>The id fields every stage accepts, in the order they are read.</summary>
    public static readonly IReadOnlyList<string> CommonIdFields = ["expectedArtifactId", "artifactId"];

    public const string ResolvedExpectedArtifactsKey = "resolvedExpectedArtifacts";

    /// <summary>
    /// The stage's artifact: the one bound to the first id field present (<paramref name="idFields"/>, default
    /// <see cref="CommonIdFields"/>), else the inline object in <paramref name="inlineField"/>; null when the stage names neither.
    /// </summary>
    public static JsonObject? Resolve(TaskContext task, IReadOnlyList<string>? idFields = null, string inlineField = "artifact")
    {
        foreach (var field in idFields ?? CommonIdFields)
        {
            if (task.Context[field].AsString() is { Length: > 0 } id)
            {
                return BoundArtifactForId(task.Execution, task.Stage, id)
                       ?? throw new ArtifactException(
                           $"Stage '{task.Stage.Name}': {field} '{id}' is not bound to an artifact: no expected artifact with that id was resolved by the trigger " +
                           "(its expectedArtifactIds) or an upstream stage (e.g. findArtifactFromExecution)");
            }
        }

        return task.Context[inlineField] as JsonObject;
    }

    /// <summary>The artifact bound to expected artifact <paramref name="id"/>, as <paramref name="stage"/> sees it; null when unbound.</summary>
    public static JsonObject? BoundArtifactForId(PipelineExecution execution, StageExecution stage, string id)
    {
        foreach (var ancestor in execution.Ancestors(stage))
        {
            if (Find(ancestor.Outputs[ResolvedExpectedArtifactsKey], id) is { } fromStage)
            {
                return fromStage;
            }
        }

        return Find(execution.Trigger[ResolvedExpectedArtifactsKey], id);
    }

    private static JsonObject? Find(JsonNode? resolved, string id) =>
        (resolved as JsonArray ?? [])
        .OfType<JsonObject>()
        .Where(e => e["id"].AsString() == id)
        .Select(e => e["boundArtifact"] as JsonObject)
        .FirstOrDefault(a => a is not null);
}
