using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;
using Mizzen.Providers.Kubernetes.Api;

namespace Mizzen.Providers.Kubernetes.Stages.Operations;

/// <summary>
/// <c>patchManifest</c>: <c>manifestName</c> in <c>location</c> gets <c>patchBody</c> (or the manifest file of <c>source: artifact</c>)
/// with <c>options.mergeStrategy</c> <c>strategic</c> (default), <c>merge</c> or <c>json</c> (a list of RFC 6902 operations). For
/// strategic and merge the body is a partial manifest whose images, ConfigMaps and Secrets are bound to the run's artifacts, and
/// <c>requiredArtifactIds</c>/<c>requiredArtifacts</c> must bind; a JSON patch is applied as written. Then waits until stable.
/// </summary>
public sealed class PatchManifestStage : IStageDefinition
{
    public const string StageType = "patchManifest";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks)
    {
        tasks.Add<PatchManifestTask>("patchManifest");
        ManifestStability.Add(tasks);
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        foreach (var problem in ManifestTarget.Validate(stageConfig, path, StageType))
        {
            yield return problem;
        }

        var strategy = stageConfig["options"]?["mergeStrategy"].AsString();
        if (PatchTypes.FromMergeStrategy(strategy) is not { } type)
        {
            yield return new ValidationProblem($"{path}.options.mergeStrategy", $"'{strategy}' is not a merge strategy: strategic, merge or json");
            yield break;
        }

        if (string.Equals(stageConfig["source"].AsString(), "artifact", StringComparison.OrdinalIgnoreCase))
        {
            if (type == PatchType.Json)
            {
                yield return new ValidationProblem($"{path}.source", "a json patch is a list of operations given in patchBody, not a manifest artifact");
            }
            else if (stageConfig["manifestArtifactId"] is null && stageConfig["manifestArtifact"] is not JsonObject)
            {
                yield return new ValidationProblem($"{path}.manifestArtifactId", "required when source is 'artifact'");
            }

            yield break;
        }

        var body = stageConfig["patchBody"];
        if (body is null)
        {
            yield return new ValidationProblem($"{path}.patchBody", $"required for a '{StageType}' stage: the patch to apply");
        }
        else if (type == PatchType.Json && body is not JsonArray)
        {
            yield return new ValidationProblem($"{path}.patchBody", "mergeStrategy 'json' needs a list of RFC 6902 operations ([{op, path, value}])");
        }
        else if (type != PatchType.Json && body is not JsonObject && body is not JsonArray { Count: 1 })
        {
            yield return new ValidationProblem($"{path}.patchBody", $"mergeStrategy '{strategy ?? "strategic"}' needs a partial manifest (an object)");
        }
    }
}
