using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Engine.Handlers;

/// <summary>
/// Decides a stage's status from its tasks and synthetic stages (Orca's CompleteStageHandler): plans after stages
/// on success, on-failure stages on failure, then moves the run on — downstream, to the parent, or to the end.
/// </summary>
public sealed class CompleteStageHandler(StagePlanner planner, EngineMetrics metrics) : MessageHandler<CompleteStage>
{
    public override string Kind => "completeStage";

    protected override Task HandleAsync(HandlerContext context, CompleteStage message, CancellationToken cancellationToken)
    {
        var execution = context.Execution;
        if (execution.StageById(message.StageId) is not { Status: ExecutionStatus.Running or ExecutionStatus.NotStarted } stage)
        {
            return Task.CompletedTask;
        }

        // An on-failure or after chain still running: its end completes the stage again.
        if (execution.Children(stage, SyntheticStageOwner.StageAfter).Any(c => c.Status is ExecutionStatus.Running or ExecutionStatus.Paused))
        {
            return Task.CompletedTask;
        }

        var status = StageStatusRules.Determine(execution, stage);
        if (status is null)
        {
            return Task.CompletedTask;
        }

        var summary = stage.Context[StageContextEvaluator.SummaryKey] as JsonObject;
        if (summary is { Count: > 0 } && stage.ContextFlag("failOnFailedExpressions") && !status.Value.IsHalt())
        {
            status = ExecutionStatus.Terminal;
        }

        if (status is ExecutionStatus.Succeeded or ExecutionStatus.FailedContinue or ExecutionStatus.Skipped)
        {
            var after = PlanSafely(stage, () => planner.PlanAfter(execution, stage));
            if (after is { Count: > 0 })
            {
                after.ForEach(s => context.Push(new StartStage(execution.Id, s.Id)));
                return Task.CompletedTask;
            }

            if (after is null)
            {
                status = StageStatusRules.FailureStatus(stage);
            }
        }

        if (status.Value.IsFailure() && PlanSafely(stage, () => planner.PlanOnFailure(execution, stage) is { } first ? [first] : []) is [var firstFailureStage])
        {
            context.Push(new StartStage(execution.Id, firstFailureStage.Id));
            return Task.CompletedTask;
        }

        stage.Status = status.Value;
        stage.EndTime = context.Now;
        LifecycleEvents.StageEnded(context, stage, status.Value);
        var (type, final, duration) = (stage.Type, status.Value.ToWireName(), TimeSpan.FromMilliseconds(context.Now - (stage.StartTime ?? context.Now)));
        context.AfterCommit(_ =>
        {
            metrics.RecordStage(type, final, duration);
            return Task.CompletedTask;
        });
        AppendExpressionErrors(stage, summary);
        if (status == ExecutionStatus.FailedContinue && stage.ParentStageId is not null
            && !stage.ContextFlag("allowSiblingStagesToContinueOnFailure"))
        {
            context.Push(new CompleteStage(execution.Id, stage.ParentStageId));
        }
        else if (status is ExecutionStatus.Succeeded or ExecutionStatus.FailedContinue or ExecutionStatus.Skipped)
        {
            ExecutionTransitions.StartNext(context, stage);
        }
        else
        {
            context.Push(new CancelStage(execution.Id, stage.Id));
            context.Push(stage.ParentStageId is null
                ? new CompleteExecution(execution.Id)
                : new CompleteStage(execution.Id, stage.ParentStageId));
        }

        return Task.CompletedTask;
    }

    private static List<StageExecution>? PlanSafely(StageExecution stage, Func<List<StageExecution>> plan)
    {
        try
        {
            return plan();
        }
        catch (Exception e)
        {
            stage.Context["exception"] = TaskFailure.ExceptionJson("Stage planning failed", [e.Message], e.GetType().Name, "plan");
            return null;
        }
    }

    /// <summary>Orca appends expression failures to <c>context.exception.details.errors</c> when the stage ends.</summary>
    private static void AppendExpressionErrors(StageExecution stage, JsonObject? summary)
    {
        if (summary is not { Count: > 0 })
        {
            return;
        }

        var descriptions = summary.SelectMany(p => p.Value as JsonArray ?? [])
            .Select(f => f?["description"].AsString()).OfType<string>().ToList();
        if (stage.Context["exception"] is not JsonObject exception)
        {
            stage.Context["exception"] = TaskFailure.ExceptionJson("Failed Expression Evaluation", descriptions);
            return;
        }

        if (exception["details"] is JsonObject details && details["errors"] is JsonArray errors)
        {
            foreach (var description in descriptions.Where(d => !errors.Any(e => e.AsString() == d)))
            {
                errors.Add(description);
            }
        }
    }
}
