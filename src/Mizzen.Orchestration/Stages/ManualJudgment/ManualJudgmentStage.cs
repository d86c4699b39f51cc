using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Stages.ManualJudgment;

/// <summary>
/// <c>manualJudgment</c>: waits until someone PATCHes <c>{judgmentStatus: "continue"|"stop", judgmentInput}</c> into the
/// stage. Context: <c>instructions</c>, <c>judgmentInputs: [{value}]</c>, <c>notifications</c>, <c>propagateAuthenticationContext</c>,
/// <c>selectedStageRoles</c> / <c>requiredJudgmentRoles</c> (who may judge: checked by the server before a judgment is stored).
/// </summary>
public sealed class ManualJudgmentStage : IStageDefinition
{
    public const string StageType = "manualJudgment";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<WaitForJudgmentTask>("waitForJudgment");

    /// <summary>A restarted judgment asks again: the previous decision, input and judge are forgotten.</summary>
    public void PrepareForRestart(StageExecution stage)
    {
        stage.Context.Remove(WaitForJudgmentTask.JudgmentStatusKey);
        stage.Context.Remove(WaitForJudgmentTask.JudgmentInputKey);
        stage.Context.Remove(WaitForJudgmentTask.LastModifiedByKey);
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        var inputs = stageConfig["judgmentInputs"];
        if (inputs is null)
        {
            yield break;
        }

        if (inputs is not JsonArray array)
        {
            yield return new ValidationProblem($"{path}.judgmentInputs", "must be a list of {\"value\": \"...\"}");
            yield break;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject entry || StageConfigChecks.IsMissing(entry["value"]))
            {
                yield return new ValidationProblem($"{path}.judgmentInputs[{i}].value", "required: the option shown to the judge");
            }
        }
    }
}
