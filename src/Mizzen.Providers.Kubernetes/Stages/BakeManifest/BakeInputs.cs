using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Providers.Kubernetes.Stages.BakeManifest;

/// <summary>
/// A bake's input artifacts (orca's <c>CreateBakeManifestTask.InputArtifact</c>): <c>inputArtifacts</c> or the single
/// <c>inputArtifact</c>, each <c>{id, account}</c> naming an expected artifact bound upstream, or <c>{artifact, account}</c> inline.
/// <c>account</c> becomes the artifact's <c>artifactAccount</c> (which credentials fetch it).
/// </summary>
internal static class BakeInputs
{
    public static IReadOnlyList<JsonObject> Declared(JsonObject context) =>
        context["inputArtifacts"] is JsonArray { Count: > 0 } list
            ? list.OfType<JsonObject>().ToList()
            : context["inputArtifact"] is JsonObject single ? [single] : [];

    /// <summary>The artifacts to render, in order; an id with no binding fails naming the id.</summary>
    public static IReadOnlyList<JsonObject> Resolve(TaskContext task)
    {
        var artifacts = new List<JsonObject>();
        foreach (var input in Declared(task.Context))
        {
            JsonObject artifact;
            if (input["id"].AsString() is { Length: > 0 } id)
            {
                artifact = StageArtifactBinding.BoundArtifactForId(task.Execution, task.Stage, id)
                           ?? throw new ArtifactException($"Stage '{task.Stage.Name}': inputArtifact id '{id}' is not bound to an artifact: the trigger or an upstream stage must resolve that expected artifact");
            }
            else
            {
                artifact = input["artifact"] as JsonObject
                           ?? throw new ArtifactException($"Stage '{task.Stage.Name}': each input artifact needs 'id' (an expected artifact) or 'artifact'");
            }

            artifact = (JsonObject)artifact.DeepClone();
            if (input["account"].AsString() is { Length: > 0 } account)
            {
                artifact["artifactAccount"] = account;
            }

            artifacts.Add(artifact);
        }

        return artifacts;
    }
}
