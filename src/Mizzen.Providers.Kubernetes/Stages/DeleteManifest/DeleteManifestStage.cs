using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;

namespace Mizzen.Providers.Kubernetes.Stages.DeleteManifest;

/// <summary><c>deleteManifest</c>: by <c>manifestName</c>, by <c>cluster</c> + <c>criteria</c>, or by <c>kinds</c> + <c>labelSelectors</c>; cascading per <c>options</c>.</summary>
public sealed class DeleteManifestStage : IStageDefinition
{
    public const string StageType = "deleteManifest";

    private static readonly IReadOnlySet<string> Fields = new HashSet<string>(StringComparer.Ordinal)
    {
        "manifestName", "mode", "cluster", "criteria", "kind", "kinds", "labelSelectors", "manifests", "source",
    };

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<DeleteManifestTask>("deleteManifest");

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        var problems = new List<ValidationProblem>();
        problems.AddRange(ManifestValidation.Account(stageConfig, path, StageType));
        problems.AddRange(ManifestValidation.UnknownFields(stageConfig, path, StageType, Fields));
        var byLabel = stageConfig["labelSelectors"]?["selectors"] is JsonArray { Count: > 0 } || stageConfig["labelSelectors"].AsString() is { Length: > 0 };
        var dynamic = string.Equals(stageConfig["mode"].AsString(), "dynamic", StringComparison.OrdinalIgnoreCase);
        if (byLabel)
        {
            if (stageConfig["kinds"] is not JsonArray { Count: > 0 } kinds)
            {
                problems.Add(new ValidationProblem($"{path}.kinds", "required when deleting by label: the kinds to delete"));
            }
            else
            {
                for (var i = 0; i < kinds.Count; i++)
                {
                    if (kinds[i].AsString() is not { } kind || (!ManifestValidation.IsExpression(kinds[i]) && Manifests.KubernetesKinds.Find(kind) is null))
                    {
                        problems.Add(new ValidationProblem($"{path}.kinds[{i}]", $"unknown kind '{kinds[i]?.ToString()}'"));
                    }
                }
            }
        }
        else if (dynamic)
        {
            if (ManifestValidation.IsMissing(stageConfig["cluster"]))
            {
                problems.Add(new ValidationProblem($"{path}.cluster", "required with mode 'dynamic': e.g. \"replicaSet frontend\""));
            }

            if (stageConfig["criteria"].AsString() is { } criteria && !ManifestValidation.IsExpression(stageConfig["criteria"]) && !ManifestTargets.Criteria.Contains(criteria))
            {
                problems.Add(new ValidationProblem($"{path}.criteria", $"unknown criteria '{criteria}' (one of: {string.Join(", ", ManifestTargets.Criteria)})"));
            }
        }
        else if (ManifestValidation.IsMissing(stageConfig["manifestName"]))
        {
            problems.Add(new ValidationProblem($"{path}.manifestName", $"required for a '{StageType}' stage: \"<kind> <name>\" (or 'labelSelectors' with 'kinds', or mode 'dynamic')"));
        }
        else if (!ManifestValidation.IsExpression(stageConfig["manifestName"]))
        {
            try
            {
                ManifestStageContext.ParseManifestName(stageConfig["manifestName"].AsString(), "manifestName");
            }
            catch (ValidationException e)
            {
                problems.Add(new ValidationProblem($"{path}.manifestName", e.Problems[0].Message));
            }
        }

        if (stageConfig["options"] is JsonObject options && options["cascading"] is { } cascading && !ManifestValidation.IsExpression(cascading)
            && cascading.ToString().ToLowerInvariant() is not ("true" or "false" or "foreground" or "background" or "orphan"))
        {
            problems.Add(new ValidationProblem($"{path}.options.cascading", $"must be true, false, foreground, background or orphan, got '{cascading}'"));
        }

        return problems;
    }
}
