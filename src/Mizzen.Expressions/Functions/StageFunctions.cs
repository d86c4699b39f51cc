using Mizzen.Core.Model;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;
using static Mizzen.Expressions.Functions.FunctionArguments;

namespace Mizzen.Expressions.Functions;

/// <summary><c>#stage</c>, <c>#stageByRefId</c>, <c>#stageExists</c>, <c>#currentStage</c>, <c>#judgment</c>/<c>#judgement</c>, <c>#currentUser</c>.</summary>
internal static class StageFunctions
{
    public static void Register(ExpressionFunctionRegistry registry)
    {
        registry.Add("stage", Stage, executionAware: true);
        registry.Add("stageByRefId", StageByRefId, executionAware: true);
        registry.Add("stageExists", StageExists, executionAware: true);
        registry.Add("currentStage", CurrentStage, executionAware: true);
        registry.Add("judgment", Judgment, executionAware: true);
        registry.Add("judgement", Judgment, executionAware: true);
        registry.Add("currentUser", CurrentUser);
    }

    private static object? Stage(object?[] args, EvaluationState state)
    {
        Count(args, 1, "#stage(idOrName)");
        var execution = Execution(state, "#stage(idOrName)");
        var wanted = Text(args, 0, "#stage(idOrName)");
        var stage = execution.Stages.Find(s => s.Name == wanted || s.Id == wanted)
                    ?? throw new ExpressionFunctionException(
                        $"Unable to locate [{wanted}] using #stage({wanted}) in execution {execution.Id}{Hint(wanted, execution)}");
        return state.Root.ExecutionView!.View(stage);
    }

    private static object? StageByRefId(object?[] args, EvaluationState state)
    {
        Count(args, 1, "#stageByRefId(refId)");
        var execution = Execution(state, "#stageByRefId(refId)");
        if (args[0] is null)
        {
            throw new ExpressionFunctionException("#stageByRefId(refId): refId is null");
        }

        var wanted = Text(args, 0, "#stageByRefId(refId)");
        var stage = execution.Stages.Find(s => s.RefId == wanted)
                    ?? throw new ExpressionFunctionException($"Unable to locate [{wanted}] using #stageByRefId({wanted}) in execution {execution.Id}");
        return state.Root.ExecutionView!.View(stage);
    }

    private static object? StageExists(object?[] args, EvaluationState state)
    {
        Count(args, 1, "#stageExists(idOrName)");
        var wanted = Text(args, 0, "#stageExists(idOrName)");
        return JsonValues.Box(Execution(state, "#stageExists(idOrName)").Stages.Exists(s => s.Name == wanted || s.Id == wanted));
    }

    private static object? CurrentStage(object?[] args, EvaluationState state)
    {
        Count(args, 0, "#currentStage()");
        var stage = state.CurrentStage ?? throw new ExpressionFunctionException("#currentStage() is only available while a stage is evaluated");
        return state.Root.ExecutionView is { } view ? view.View(stage) : throw new ExpressionFunctionException("#currentStage() needs a pipeline execution");
    }

    private static object? Judgment(object?[] args, EvaluationState state)
    {
        Count(args, 1, "#judgment(stageName)");
        var execution = Execution(state, "#judgment(stageName)");
        var wanted = Text(args, 0, "#judgment(stageName)");
        var stage = execution.Stages.Find(s => s.Name == wanted && s.Type == "manualJudgment" && s.Context["judgmentInput"] is not null)
                    ?? throw new ExpressionFunctionException(
                        $"Unable to locate manual Judgment stage [{wanted}] using #judgment({wanted}) in execution {execution.Id}. " +
                        "Stage doesn't exist or doesn't contain judgmentInput in its context");
        return JsonValues.FromNode(stage.Context["judgmentInput"]);
    }

    private static object? CurrentUser(object?[] args, EvaluationState state) =>
        state.Root.Scope.User ?? state.Execution?.Authentication.User ?? Users.Anonymous;

    private static string Hint(string wanted, PipelineExecution execution)
    {
        var names = NameSuggestions.Nearest(wanted, execution.Stages.Select(s => s.Name));
        return names.Count > 0 ? $"; did you mean '{string.Join("' or '", names)}'?" : "";
    }
}
