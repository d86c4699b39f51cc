using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.ManualJudgment;

/// <summary>
/// <c>judgmentStatus</c> "continue" → SUCCEEDED, "stop" → TERMINAL (the engine turns it into STOPPED/FAILED_CONTINUE from
/// failPipeline/continuePipeline), anything else → RUNNING. The decision's input and judge are copied to the outputs
/// (<c>judgmentInput</c>, <c>judgedBy</c>) so later stages and <c>#judgment</c> can read them.
/// The backoff is long on purpose: the engine re-runs the task at once when the stage is PATCHed.
/// </summary>
public sealed class WaitForJudgmentTask : ITask
{
    public const string JudgmentStatusKey = "judgmentStatus";
    public const string JudgmentInputKey = "judgmentInput";
    public const string LastModifiedByKey = "lastModifiedBy";
    public const string JudgedByKey = "judgedBy";

    public TimeSpan Backoff(TaskContext context) => TimeSpan.FromSeconds(15);

    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromDays(3);

    public bool TimeoutOverridableByStage => true;

    public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        // Only the stage's own context counts (never TaskContext.Get): an upstream judgment's outputs must not decide this one.
        var judgment = context.Context[JudgmentStatusKey].AsString()?.Trim().ToLowerInvariant();
        if (judgment is not ("continue" or "stop"))
        {
            return Task.FromResult(TaskResult.Running());
        }

        // selectedStageRoles / requiredJudgmentRoles are checked by the server before a judgment is stored (with authentication on), so
        // the judgment here was made by someone allowed to make it.
        var outputs = new JsonObject
        {
            [JudgmentInputKey] = context.Context[JudgmentInputKey]?.DeepClone(),
        };
        if (context.Context[LastModifiedByKey].AsString() is { } judge)
        {
            outputs[JudgedByKey] = judge;
        }

        var status = judgment == "continue" ? ExecutionStatus.Succeeded : ExecutionStatus.Terminal;
        return Task.FromResult(new TaskResult(status, Outputs: outputs));
    }
}
