using System.Text.Json.Nodes;
using Mizzen.Core.Errors;

namespace Mizzen.Canary.Stage;

/// <summary>Save-time checks of a <c>kayentaCanary</c> stage; fields holding <c>${}</c> expressions are checked when the stage runs.</summary>
public static class KayentaCanaryValidation
{
    public static IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        ArgumentNullException.ThrowIfNull(stageConfig);
        if (stageConfig.ToJsonString().Contains("${", StringComparison.Ordinal))
        {
            return [];
        }

        var problems = new List<ValidationProblem>();
        try
        {
            var canary = KayentaCanaryContext.Read(stageConfig);
            if (canary.ConfigId is null && canary.ConfigName is null)
            {
                problems.Add(new ValidationProblem($"{path}.canaryConfig.canaryConfigId", "required for a 'kayentaCanary' stage"));
            }

            if (canary.Settings.EndTime is null && canary.Settings.LifetimeDuration is null)
            {
                problems.Add(new ValidationProblem($"{path}.canaryConfig.lifetimeDuration", "a canary needs either scopes[0].endTimeIso (retrospective) or lifetimeDuration (real time)"));
            }

            var deployments = CanaryDeployments.Read(stageConfig);
            if (canary.Scopes.Count == 0 && deployments is null)
            {
                problems.Add(new ValidationProblem($"{path}.canaryConfig.scopes", "at least one scope is required unless the stage has a 'deployments' block"));
            }
        }
        catch (CanaryConfigException e)
        {
            problems.AddRange(e.Issues.Select(i => new ValidationProblem($"{path}.{i.Path}", i.Message)));
        }

        return problems;
    }
}
