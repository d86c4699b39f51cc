using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Validation;

namespace Mizzen.Server.Clusters;

/// <summary>
/// Starts an ad-hoc orchestration (Gate's "task") after checking its stages as a pipeline would be checked, so an operation
/// from the API has the same audit trail and the same validation as the stage in a pipeline.
/// </summary>
internal static class OrchestrationLauncher
{
    public static async Task<string> StartAsync(
        PipelineValidator validator, IExecutionRunner runner, string application, string description, JsonArray stages, string user, CancellationToken ct)
    {
        var asPipeline = new JsonObject { ["application"] = application, ["name"] = description, ["stages"] = stages.DeepClone() };
        var problems = validator.Validate(asPipeline);
        if (problems.Count > 0)
        {
            throw new ValidationException([.. problems.Select(p => p with { Location = p.Location.Replace("stages[", "job[", StringComparison.Ordinal) })]);
        }

        var execution = await runner.StartOrchestrationAsync(application, description, stages, user, ct);
        return execution.Id;
    }
}
