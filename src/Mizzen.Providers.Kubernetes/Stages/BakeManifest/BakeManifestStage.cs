using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Validation;
using Mizzen.Providers.Kubernetes.Bake;

namespace Mizzen.Providers.Kubernetes.Stages.BakeManifest;

/// <summary>
/// <c>bakeManifest</c> (orca's BakeManifestStage, rendered by rosco): <c>templateRenderer</c> KUSTOMIZE (or KUSTOMIZE4) with one
/// <c>inputArtifact</c> (<c>{id, account}</c> of an expected artifact, or <c>{artifact}</c> inline; a <c>git/repo</c>) and
/// <c>kustomizeFilePath</c>; HELM2/HELM3 with <c>inputArtifacts</c> (the chart, then values files), <c>helmChartFilePath</c>,
/// <c>overrides</c>, <c>rawOverrides</c>, <c>namespace</c>, <c>includeCRDs</c> — only when a helm binary is configured. Produces one
/// <c>embedded/base64</c> artifact named <c>outputName</c>, bound to the stage's <c>expectedArtifacts</c> for a later deployManifest.
/// A HELM bake without a configured helm is an error on the server, and a warning in offline validation (<paramref name="offline"/>),
/// which cannot see the server's configuration.
/// </summary>
public sealed class BakeManifestStage(HelmRenderer helm, OfflineValidation? offline = null) : IStageDefinition
{
    public const string StageType = "bakeManifest";

    private static readonly string[] Renderers = ["KUSTOMIZE", "KUSTOMIZE4", "HELM2", "HELM3"];

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<BakeManifestTask>("createBake");

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        var renderer = stageConfig["templateRenderer"].AsString()?.ToUpperInvariant();
        if (string.IsNullOrWhiteSpace(renderer))
        {
            yield return new ValidationProblem($"{path}.templateRenderer", $"required for a '{StageType}' stage: one of {string.Join(", ", Renderers)}");
            yield break;
        }

        if (renderer.Contains("${", StringComparison.Ordinal))
        {
            yield break;
        }

        if (!Renderers.Contains(renderer))
        {
            yield return new ValidationProblem($"{path}.templateRenderer", $"'{renderer}' is not a template renderer: one of {string.Join(", ", Renderers)}");
            yield break;
        }

        if (renderer.StartsWith("HELM", StringComparison.Ordinal) && !helm.IsAvailable)
        {
            yield return offline is null
                ? new ValidationProblem($"{path}.templateRenderer", HelmRenderer.NotAvailableMessage(renderer))
                : ValidationProblem.Warning($"{path}.templateRenderer", HelmRenderer.UnknownOfflineMessage(renderer));
        }

        var inputs = BakeInputs.Declared(stageConfig);
        if (inputs.Count == 0)
        {
            yield return new ValidationProblem($"{path}.inputArtifact", $"required for a '{StageType}' stage: the {(renderer.StartsWith("HELM", StringComparison.Ordinal) ? "chart" : "kustomization")} to render ({{id}} of an expected artifact, or {{artifact}})");
        }
        else if (renderer.StartsWith("KUSTOMIZE", StringComparison.Ordinal) && inputs.Count > 1)
        {
            yield return new ValidationProblem($"{path}.inputArtifacts", "KUSTOMIZE renders exactly one input artifact (a git/repo holding the kustomization)");
        }

        if (stageConfig["expectedArtifacts"] is not JsonArray { Count: > 0 } && string.IsNullOrWhiteSpace(stageConfig["outputName"].AsString()))
        {
            yield return new ValidationProblem($"{path}.expectedArtifacts", "a bake produces one embedded/base64 artifact: give expectedArtifacts [{id, matchArtifact}] (or at least outputName) so later stages can use it");
        }
    }
}
