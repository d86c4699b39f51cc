using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;

namespace Mizzen.Orchestration.Engine.Handlers;

/// <summary>
/// Runs a finished stage again, and everything downstream of it that had finished: they are reset to NOT_STARTED
/// (synthetic stages and tasks dropped) and <c>restartDetails</c> records who restarted and the previous failure.
/// </summary>
public sealed class RestartStageHandler(StagePlanner planner, ConcurrencyGate gate) : MessageHandler<RestartStage>
{
    private static readonly string[] EngineKeys =
        ["afterStagesPlanned", "onFailureStagesPlanned", "beforeStagePlanningFailed", StageContextEvaluator.SummaryKey, "manualSkip", "skipRemainingWait"];

    public override string Kind => "restartStage";

    protected override async Task HandleAsync(HandlerContext context, RestartStage message, CancellationToken cancellationToken)
    {
        var execution = context.Execution;
        if (execution.StageById(message.StageId) is not { } found)
        {
            return;
        }

        var stage = execution.TopLevel(found);
        if (!(stage.Status.IsComplete() || stage.Status == ExecutionStatus.NotStarted))
        {
            return;
        }

        stage.Context["restartDetails"] = new JsonObject
        {
            ["restartedBy"] = message.User,
            ["restartTime"] = context.Now,
            ["previousException"] = stage.Context["exception"]?.DeepClone(),
        };
        foreach (var target in execution.AllDownstream(stage).Where(s => s.Status.IsComplete()).Prepend(stage).ToList())
        {
            Reset(execution, target);
        }

        execution.Status = ExecutionStatus.Running;
        execution.EndTime = null;
        execution.Canceled = false;
        execution.CanceledBy = null;
        execution.CancellationReason = null;
        if (await gate.ShouldQueueAsync(context, cancellationToken))
        {
            execution.Status = ExecutionStatus.NotStarted;
            gate.Enqueue(context, message);
            return;
        }

        context.Push(new StartStage(execution.Id, stage.Id));
    }

    private void Reset(PipelineExecution execution, StageExecution stage)
    {
        var descendants = execution.Descendants(stage).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        execution.Stages.RemoveAll(s => descendants.Contains(s.Id));
        stage.Status = ExecutionStatus.NotStarted;
        stage.StartTime = null;
        stage.EndTime = null;
        stage.ScheduledTime = null;
        stage.Tasks = [];
        stage.Context.Remove("exception");
        foreach (var key in EngineKeys)
        {
            stage.Context.Remove(key);
        }

        try
        {
            planner.Definition(stage).PrepareForRestart(stage);
        }
        catch (InvalidOperationException)
        {
            // Unknown type: nothing type-specific to clear; starting it will report the problem.
        }
    }
}
