using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Expressions.Conditions;

/// <summary>
/// Orca's <c>stageEnabled</c> rule (OptionalStageSupport): a stage whose <c>stageEnabled</c> is an expression runs only when it
/// evaluates to <c>true</c>; anything else (false, a failure, a non-boolean) skips it. A synthetic stage without its own
/// <c>stageEnabled</c> follows its parent.
/// </summary>
public static class StageEnabledCondition
{
    public static bool ShouldSkip(IExpressionEvaluator evaluator, PipelineExecution execution, StageExecution stage)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(stage);
        if (stage.Context["stageEnabled"] is not JsonObject enabled
            || !string.Equals(enabled["type"].AsString(), "expression", StringComparison.OrdinalIgnoreCase))
        {
            return stage.ParentStageId is not null
                   && stage.Context["stageEnabled"] is null
                   && execution.StageById(stage.ParentStageId) is { } parent
                   && ShouldSkip(evaluator, execution, parent);
        }

        var expression = enabled["expression"].AsString();
        if (string.IsNullOrWhiteSpace(expression))
        {
            return false;
        }

        var scope = new ExpressionScope(execution, stage) { AllowUnknownKeys = true };
        var processed = evaluator.Process(JsonValue.Create("${" + expression + "}"), scope).Value;
        var text = processed.AsString()?.ToLowerInvariant();
        return text != "true";
    }
}
