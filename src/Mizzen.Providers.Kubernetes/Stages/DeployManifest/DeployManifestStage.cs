using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;

namespace Mizzen.Providers.Kubernetes.Stages.DeployManifest;

/// <summary>
/// <c>deployManifest</c> (Orca's DeployManifestStage on clouddriver's deploy operation): deploys manifests given inline, in one YAML
/// text, or in an artifact; waits until each is stable by its kind's rules; applies the traffic strategy; removes versions beyond
/// <c>max-version-history</c>. Tasks: <c>deployManifest</c>, <c>waitForManifestToStabilize</c>, <c>applyTrafficStrategy</c>,
/// <c>cleanupArtifacts</c>. The manifests are evaluated by the deploy task itself, so <c>skipExpressionEvaluation</c> can leave them as written.
/// </summary>
public sealed class DeployManifestStage : IStageDefinition
{
    public const string StageType = "deployManifest";

    private static readonly IReadOnlySet<string> Fields = new HashSet<string>(StringComparer.Ordinal)
    {
        "manifests", "manifest", "manifestArtifactId", "manifestArtifact", "manifestArtifactAccount", "source", "skipExpressionEvaluation",
        "namespaceOverride", "trafficManagement", "versioned", "cluster", "kinds", "labelSelectors", "enableTraffic", "services", "strategy",
    };

    private static readonly string[] Strategies = ["none", "redblack", "bluegreen", "highlander"];

    public string Type => StageType;

    public IReadOnlyCollection<string> UnevaluatedContextKeys => ManifestSource.RawKeys;

    public void BuildTasks(StageExecution stage, TaskGraph tasks)
    {
        tasks.Add<DeployManifestTask>("deployManifest");
        tasks.Add<WaitForManifestStableTask>("waitForManifestToStabilize");
        tasks.Add<TrafficStrategyTask>("applyTrafficStrategy");
        tasks.Add<CleanupArtifactsTask>("cleanupArtifacts");
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        var problems = new List<ValidationProblem>();
        problems.AddRange(Stages.ManifestValidation.Account(stageConfig, path, StageType));
        problems.AddRange(Stages.ManifestValidation.UnknownFields(stageConfig, path, StageType, Fields));
        if (ManifestSource.IsArtifactSource(stageConfig))
        {
            if (Stages.ManifestValidation.IsMissing(stageConfig["manifestArtifactId"]) && stageConfig["manifestArtifact"] is not JsonObject)
            {
                problems.Add(new ValidationProblem($"{path}.manifestArtifactId", "required when 'source' is 'artifact': the id of the expected artifact holding the manifests"));
            }
        }
        else
        {
            switch (stageConfig["manifests"] ?? stageConfig["manifest"])
            {
                case null:
                    problems.Add(new ValidationProblem($"{path}.manifests", $"required for a '{StageType}' stage: the manifests to deploy (or 'source': 'artifact' with 'manifestArtifactId')"));
                    break;
                case JsonArray { Count: 0 }:
                    problems.Add(new ValidationProblem($"{path}.manifests", "is empty: give at least one manifest"));
                    break;
                case JsonArray list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        problems.AddRange(Stages.ManifestValidation.Manifest(list[i], $"{path}.manifests[{i}]"));
                    }

                    break;
                case JsonObject single:
                    problems.AddRange(Stages.ManifestValidation.Manifest(single, $"{path}.manifest"));
                    break;
                case var other when !Stages.ManifestValidation.IsExpression(other) && other.AsString() is null:
                    problems.Add(new ValidationProblem($"{path}.manifests", "must be a list of manifests"));
                    break;
            }
        }

        if (stageConfig["requiredArtifactIds"] is { } ids && ids is not JsonArray && !Stages.ManifestValidation.IsExpression(ids))
        {
            problems.Add(new ValidationProblem($"{path}.requiredArtifactIds", "must be a list of expected artifact ids"));
        }

        problems.AddRange(Traffic(stageConfig["trafficManagement"], $"{path}.trafficManagement"));
        return problems;
    }

    private static IEnumerable<ValidationProblem> Traffic(JsonNode? node, string at)
    {
        if (node is null)
        {
            yield break;
        }

        if (node is not JsonObject traffic)
        {
            yield return new ValidationProblem(at, "must be an object {enabled, options: {services, enableTraffic, strategy}}");
            yield break;
        }

        if (traffic["enabled"].AsBool() != true)
        {
            yield break;
        }

        var options = traffic["options"] as JsonObject ?? [];
        if (options["strategy"].AsString() is { } strategy && !Stages.ManifestValidation.IsExpression(options["strategy"])
            && !Strategies.Contains(strategy, StringComparer.OrdinalIgnoreCase))
        {
            yield return new ValidationProblem($"{at}.options.strategy", $"unknown strategy '{strategy}' (one of: {string.Join(", ", Strategies)})");
        }

        var services = options["services"] as JsonArray ?? [];
        for (var i = 0; i < services.Count; i++)
        {
            var service = services[i].AsString() ?? "";
            if (!Stages.ManifestValidation.IsExpression(services[i]) && !service.StartsWith("service ", StringComparison.OrdinalIgnoreCase))
            {
                yield return new ValidationProblem($"{at}.options.services[{i}]", $"must be \"service <name>\", got '{service}'");
            }
        }
    }
}
