using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Engine.Handlers;

/// <summary>
/// Starts a stage once every upstream stage let it: evaluates its context, checks <c>stageEnabled</c>, plans tasks
/// and before stages, then starts the first of them. A stage whose upstream halted never starts.
/// </summary>
public sealed class StartStageHandler(StagePlanner planner, StageContextEvaluator contexts) : MessageHandler<StartStage>
{
    public override string Kind => "startStage";

    protected override Task HandleAsync(HandlerContext context, StartStage message, CancellationToken cancellationToken)
    {
        var execution = context.Execution;
        if (execution.StageById(message.StageId) is not { Status: ExecutionStatus.NotStarted } stage)
        {
            return Task.CompletedTask;
        }

        if (execution.Canceled || execution.Status.IsComplete())
        {
            context.Push(new CompleteExecution(execution.Id));
            return Task.CompletedTask;
        }

        if (StageStatusRules.IsBlocked(execution, stage))
        {
            if (!stage.IsSynthetic)
            {
                context.Push(new CompleteExecution(execution.Id));
            }

            return Task.CompletedTask;
        }

        if (!StageStatusRules.IsStartable(execution, stage))
        {
            // Every upstream stage pushes this message when it finishes; the last one finds the stage startable.
            return Task.CompletedTask;
        }

        if (!contexts.IsEnabled(execution, stage, out var warning) || (stage.StartTimeExpiry is { } expiry && context.Now > expiry))
        {
            if (warning is not null)
            {
                stage.Context["stageEnabledWarning"] = warning;
            }

            context.Push(new SkipStage(execution.Id, stage.Id));
            return Task.CompletedTask;
        }

        stage.StartTime = context.Now;
        stage.PausedMsAtStart = execution.PausedDurationMs(context.Now);
        stage.Status = ExecutionStatus.Running;
        List<StageExecution> beforeStages;
        try
        {
            if (!stage.IsSynthetic)
            {
                contexts.EvaluateInPlace(execution, stage, planner.Definition(stage).UnevaluatedContextKeys);
            }

            beforeStages = planner.PlanStart(execution, stage);
        }
        catch (Exception e)
        {
            stage.Context["exception"] = TaskFailure.ExceptionJson("Stage planning failed", [e.Message], e.GetType().Name, "plan");
            stage.Context["beforeStagePlanningFailed"] = true;
            context.Push(new CompleteStage(execution.Id, stage.Id));
            return Task.CompletedTask;
        }

        if (beforeStages.Count > 0)
        {
            foreach (var before in beforeStages)
            {
                context.Push(new StartStage(execution.Id, before.Id));
            }
        }
        else if (ExecutionTransitions.FirstTask(stage) is { } first)
        {
            context.Push(new StartTask(execution.Id, stage.Id, first.Id));
        }
        else
        {
            context.Push(new CompleteStage(execution.Id, stage.Id));
        }

        return Task.CompletedTask;
    }
}
