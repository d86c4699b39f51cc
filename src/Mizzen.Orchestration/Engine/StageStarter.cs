using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Starting a stage, in two halves. <see cref="Evaluate"/> works on a snapshot outside any transaction: it evaluates
/// <c>stageEnabled</c> and the stage context, whose expressions may fetch URLs or read files. <see cref="Start"/> runs
/// inside the transaction: it applies that evaluation, plans tasks and before stages and starts the first of them.
/// A stage with nothing to evaluate is started in one go by <c>startStage</c>; any other goes through
/// <see cref="EvaluateStage"/> (see <see cref="StageEvaluationProcessor"/>).
/// </summary>
public sealed class StageStarter(StagePlanner planner, StageContextEvaluator contexts)
{
    /// <summary>
    /// The stage named by a start message, when it may start now. Otherwise null, after pushing what the situation
    /// needs (the run's completion when it was cancelled or the stage can never run).
    /// </summary>
    public static StageExecution? StartableStage(HandlerContext context, string stageId)
    {
        var execution = context.Execution;
        if (execution.StageById(stageId) is not { Status: ExecutionStatus.NotStarted } stage)
        {
            return null;
        }

        if (execution.Canceled || execution.Status.IsComplete())
        {
            context.Push(new CompleteExecution(execution.Id));
            return null;
        }

        if (StageStatusRules.IsBlocked(execution, stage))
        {
            if (!stage.IsSynthetic)
            {
                context.Push(new CompleteExecution(execution.Id));
            }

            return null;
        }

        // Every upstream stage pushes startStage when it finishes; the last one finds the stage startable.
        return StageStatusRules.IsStartable(execution, stage) ? stage : null;
    }

    /// <summary>True when starting the stage evaluates expressions (context of a non-synthetic stage, or a <c>stageEnabled</c> condition).</summary>
    public static bool NeedsEvaluation(StageExecution stage) =>
        StageContextEvaluator.HasEnabledCondition(stage) || (!stage.IsSynthetic && StageContextEvaluator.ContainsExpression(stage.Context));

    /// <summary>
    /// Evaluates what starting <paramref name="stage"/> needs. Call it outside any transaction: it may block on the
    /// network. Never throws: a failure is carried in the result and fails the stage when applied.
    /// </summary>
    public StageEvaluation Evaluate(PipelineExecution execution, StageExecution stage)
    {
        try
        {
            if (!contexts.IsEnabled(execution, stage, out var warning))
            {
                return new StageEvaluation(Enabled: false, warning, null, null, null);
            }

            if (stage.IsSynthetic || !StageContextEvaluator.ContainsExpression(stage.Context))
            {
                return StageEvaluation.Unchanged;
            }

            var result = contexts.Evaluate(execution, stage, planner.Definition(stage).UnevaluatedContextKeys);
            return new StageEvaluation(Enabled: true, null, result.Value as JsonObject, result.Summary, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new StageEvaluation(Enabled: true, null, null, null, e);
        }
    }

    /// <summary>Applies <paramref name="evaluation"/> to a startable stage and starts it (or skips it when disabled or past its start expiry).</summary>
    public void Start(HandlerContext context, StageExecution stage, StageEvaluation evaluation)
    {
        var execution = context.Execution;
        if (!evaluation.Enabled || (stage.StartTimeExpiry is { } expiry && context.Now > expiry))
        {
            if (evaluation.EnabledWarning is not null)
            {
                stage.Context["stageEnabledWarning"] = evaluation.EnabledWarning;
            }

            context.Push(new SkipStage(execution.Id, stage.Id));
            return;
        }

        stage.StartTime = context.Now;
        stage.PausedMsAtStart = execution.PausedDurationMs(context.Now);
        stage.Status = ExecutionStatus.Running;
        LifecycleEvents.StageStarted(context, stage);
        if (evaluation.Failure is { } failure)
        {
            FailPlanning(context, stage, failure);
            return;
        }

        List<StageExecution> beforeStages;
        try
        {
            if (evaluation.Summary is { } summary)
            {
                if (evaluation.Context is { } evaluated)
                {
                    stage.Context = evaluated;
                }

                StageContextEvaluator.RecordSummary(stage.Context, summary);
            }

            beforeStages = planner.PlanStart(execution, stage);
        }
        catch (Exception e)
        {
            FailPlanning(context, stage, e);
            return;
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
    }

    private static void FailPlanning(HandlerContext context, StageExecution stage, Exception e)
    {
        stage.Context["exception"] = TaskFailure.ExceptionJson("Stage planning failed", [e.Message], e.GetType().Name, "plan");
        stage.Context["beforeStagePlanningFailed"] = true;
        context.Push(new CompleteStage(context.Execution.Id, stage.Id));
    }
}

/// <summary>
/// What evaluating a stage before its start produced: whether it is enabled (and why not, when its condition failed),
/// its evaluated context with the evaluation's summary (null: nothing to evaluate), or the failure that stopped it.
/// </summary>
public sealed record StageEvaluation(bool Enabled, string? EnabledWarning, JsonObject? Context, ExpressionEvaluationSummary? Summary, Exception? Failure)
{
    /// <summary>Enabled, nothing to evaluate.</summary>
    public static StageEvaluation Unchanged { get; } = new(true, null, null, null, null);
}
