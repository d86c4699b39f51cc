using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.CheckPreconditions;

/// <summary>
/// <c>{type: "stageStatus", context: {stageName, stageStatus}}</c>: holds when the one stage of this execution named
/// <c>stageName</c> has the status <c>stageStatus</c> (a wire name such as <c>SUCCEEDED</c>).
/// </summary>
public sealed class StageStatusPrecondition : IPrecondition
{
    public string Type => "stageStatus";

    public Task<TaskResult> CheckAsync(TaskContext context, JsonObject preconditionContext, CancellationToken cancellationToken) =>
        Task.FromResult(Check(context.Execution, preconditionContext));

    private static TaskResult Check(PipelineExecution execution, JsonObject preconditionContext)
    {
        var stageName = preconditionContext["stageName"].AsString();
        var asserted = preconditionContext["stageStatus"].AsString();
        if (string.IsNullOrWhiteSpace(stageName) || string.IsNullOrWhiteSpace(asserted))
        {
            return TaskResult.Terminal("A stageStatus precondition needs both 'stageName' and 'stageStatus'");
        }

        var matching = execution.Stages.Where(s => s.Name == stageName).ToList();
        if (matching.Count == 0)
        {
            return TaskResult.Terminal($"No stage found with name '{stageName}'");
        }

        if (matching.Count > 1)
        {
            return TaskResult.Terminal($"Multiple stages found with name '{stageName}'; stage names must be unique for a stageStatus precondition");
        }

        var actual = matching[0].Status.ToWireName();
        return string.Equals(actual, asserted.Trim(), StringComparison.OrdinalIgnoreCase)
            ? TaskResult.Succeeded()
            : TaskResult.Terminal($"The status of stage '{stageName}' was asserted to be {asserted}, but was actually {actual}");
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject preconditionContext, string path)
    {
        if (StageConfigChecks.IsMissing(preconditionContext["stageName"]))
        {
            yield return new ValidationProblem($"{path}.stageName", "required for a 'stageStatus' precondition");
        }

        var status = preconditionContext["stageStatus"];
        if (StageConfigChecks.IsMissing(status))
        {
            yield return new ValidationProblem($"{path}.stageStatus", "required for a 'stageStatus' precondition");
        }
        else if (!StageConfigChecks.IsExpression(status) && !ExecutionStatusExtensions.TryParseWireName(status.AsString(), out _))
        {
            yield return new ValidationProblem($"{path}.stageStatus", $"'{status.AsString()}' is not a status (e.g. SUCCEEDED, TERMINAL, SKIPPED)");
        }
    }
}
