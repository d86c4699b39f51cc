using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Orchestration.Stages.ServerGroups;

/// <summary>Config checks shared by the server-group stages; messages name the field.</summary>
public static class TargetStageValidation
{
    public static IEnumerable<ValidationProblem> Account(JsonObject config, string path, string stageType)
    {
        if (CloudStageContext.Account(config) is null)
        {
            yield return StageConfigChecks.Required(path, "account", stageType);
        }
    }

    /// <summary><c>serverGroupName</c>/<c>asgName</c>, or <c>cluster</c> (or moniker) with a known <c>target</c>.</summary>
    public static IEnumerable<ValidationProblem> Target(JsonObject config, string path, string stageType)
    {
        foreach (var problem in Account(config, path, stageType))
        {
            yield return problem;
        }

        if (ServerGroupTargets.ExplicitName(config) is not null)
        {
            yield break;
        }

        if (CloudStageContext.Cluster(config) is null)
        {
            yield return new ValidationProblem($"{path}.cluster", $"required for a '{stageType}' stage unless 'serverGroupName' is given");
        }

        var target = config["target"];
        if (StageConfigChecks.IsMissing(target))
        {
            yield return new ValidationProblem($"{path}.target", $"required for a '{stageType}' stage unless 'serverGroupName' is given (one of: {string.Join(", ", ServerGroupTargets.Known)})");
        }
        else if (!StageConfigChecks.IsExpression(target) && !ServerGroupTargets.Known.Contains(target.AsString() ?? ""))
        {
            yield return new ValidationProblem($"{path}.target", $"unknown target '{target.AsString()}' (one of: {string.Join(", ", ServerGroupTargets.Known)})");
        }
    }

    /// <summary><c>cluster</c> (or moniker, or application + stack) and an account.</summary>
    public static IEnumerable<ValidationProblem> Cluster(JsonObject config, string path, string stageType)
    {
        foreach (var problem in Account(config, path, stageType))
        {
            yield return problem;
        }

        if (CloudStageContext.Cluster(config) is null)
        {
            yield return StageConfigChecks.Required(path, "cluster", stageType);
        }
    }
}
