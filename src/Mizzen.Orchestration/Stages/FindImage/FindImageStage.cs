using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.FindImage;

/// <summary>
/// <c>findImage</c> ("Find Image from Cluster"): <c>cluster</c> (or moniker), <c>credentials</c>/<c>account</c>, <c>cloudProvider</c>,
/// <c>onlyEnabled</c> (default true), <c>selectionStrategy</c> NEWEST (default) | OLDEST | LARGEST | FAIL (fail when more than one
/// candidate). Outputs <c>deploymentDetails[{imageId, imageName, ami, cloudProvider, account, sourceServerGroup, refId, artifact}]</c> and
/// <c>artifacts</c> (the chosen server group's artifact): a downstream deploy without an artifact deploys it.
/// </summary>
public sealed class FindImageStage : IStageDefinition
{
    public const string StageType = "findImage";

    public static readonly IReadOnlyList<string> Strategies = ["NEWEST", "OLDEST", "LARGEST", "FAIL"];

    public string Type => StageType;

    public IReadOnlyList<string> Aliases => ["findImageFromCluster"];

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<FindImageFromClusterTask>("findImage");

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        foreach (var problem in TargetStageValidation.Cluster(stageConfig, path, StageType))
        {
            yield return problem;
        }

        var strategy = stageConfig["selectionStrategy"];
        if (strategy is not null && !StageConfigChecks.IsExpression(strategy) && !Strategies.Contains((strategy.AsString() ?? "").ToUpperInvariant()))
        {
            yield return new ValidationProblem($"{path}.selectionStrategy", $"unknown selectionStrategy '{strategy.AsString()}' (one of: {string.Join(", ", Strategies)})");
        }
    }
}
