using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Expressions;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages.DeployManifest;

/// <summary>
/// Where a deployManifest stage's manifests come from (Orca's <c>ResolveDeploySourceManifestTask</c> and <c>ManifestEvaluator</c>):
/// <c>source: text</c> (default) → <c>manifests</c> (or the older <c>manifest</c>); <c>source: artifact</c> → the file bound to
/// <c>manifestArtifactId</c> (or the inline <c>manifestArtifact</c>), fetched with <c>manifestArtifactAccount</c>, parsed as YAML with
/// any number of documents. Expressions in the manifests are evaluated here, unless <c>skipExpressionEvaluation</c> is true, so a
/// manifest that contains <c>${</c> for another tool can be deployed as it is.
/// </summary>
public sealed class ManifestSource(IArtifactFetcher fetcher, IExpressionEvaluator evaluator)
{
    public static readonly IReadOnlyList<string> RawKeys = ["manifests", "manifest"];

    public async Task<IReadOnlyList<JsonObject>> ResolveAsync(TaskContext task, CancellationToken cancellationToken)
    {
        var raw = task.Stage.Context;
        var skip = task.Context["skipExpressionEvaluation"].AsBool() == true;
        List<JsonObject> manifests;
        if (IsArtifactSource(task.Context))
        {
            var artifact = StageArtifactBinding.Resolve(task, ["manifestArtifactId"], "manifestArtifact")
                           ?? throw new ValidationException("manifestArtifactId", $"stage '{task.Stage.Name}' has source 'artifact' but names no manifestArtifactId or manifestArtifact");
            artifact = (JsonObject)artifact.DeepClone();
            if (task.Context["manifestArtifactAccount"].AsString() is { Length: > 0 } account && artifact["artifactAccount"] is null)
            {
                artifact["artifactAccount"] = account;
            }

            var text = (await fetcher.FetchAsync(artifact, cancellationToken)).Text;
            manifests = [.. ManifestYaml.Parse(text, $"manifest artifact {artifact["reference"].AsString() ?? artifact["name"].AsString()}")];
        }
        else
        {
            var node = raw["manifests"] ?? (raw["manifest"] is JsonObject single ? new JsonArray(single.DeepClone()) : null);
            manifests = node switch
            {
                JsonArray list => [.. list.Select((m, i) => m as JsonObject ?? throw new ValidationException($"manifests[{i}]", "must be a Kubernetes object (a map with apiVersion and kind)"))
                    .Select(m => (JsonObject)m.DeepClone())
                    .SelectMany(ManifestYaml.Flatten)],
                JsonValue text when text.AsString() is { } yaml => [.. ManifestYaml.Parse(yaml, "manifests")],
                _ => throw new ValidationException("manifests", $"stage '{task.Stage.Name}' has no manifests: give 'manifests' (a list) or source 'artifact' with 'manifestArtifactId'"),
            };
        }

        if (manifests.Count == 0)
        {
            throw new ValidationException(IsArtifactSource(task.Context) ? "manifestArtifactId" : "manifests", "holds no manifests to deploy");
        }

        return skip ? manifests : Evaluate(task, manifests);
    }

    public static bool IsArtifactSource(JsonObject context) =>
        string.Equals(context["source"].AsString(), "artifact", StringComparison.OrdinalIgnoreCase)
        || (context["manifests"] is null && context["manifest"] is null && (context["manifestArtifactId"] is not null || context["manifestArtifact"] is JsonObject));

    private List<JsonObject> Evaluate(TaskContext task, List<JsonObject> manifests)
    {
        // As in Orca, an expression that fails keeps its text (a shell's ${VAR} in a command, say); skipExpressionEvaluation skips all.
        var result = evaluator.Process(new JsonArray([.. manifests]), new ExpressionScope(task.Execution, task.Stage, User: task.User));
        return [.. ((JsonArray)result.Value!).OfType<JsonObject>()];
    }
}
