using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Stages.ExecutionWindow;

/// <summary>
/// <c>restrictExecutionDuringTimeWindow</c>: the engine plans it as the first STAGE_BEFORE stage of any stage with
/// <c>restrictExecutionDuringTimeWindow: true</c>, with a copy of that stage's context. Tasks:
/// suspendExecutionDuringTimeWindow, then waitForJitter when jitter is enabled.
/// <see cref="Validate"/> checks a stage's <c>restrictedExecutionWindow</c>: the validator calls it for every stage that has the flag.
/// </summary>
public sealed class ExecutionWindowStage : IStageDefinition
{
    public const string StageType = "restrictExecutionDuringTimeWindow";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks)
    {
        tasks.Add<SuspendExecutionDuringTimeWindowTask>("suspendExecutionDuringTimeWindow");
        var jitter = (stage.Context[SuspendExecutionDuringTimeWindowTask.WindowKey] as JsonObject)?["jitter"] as JsonObject;
        if (jitter?["enabled"].AsBool() == true && (jitter["maxDelay"].AsLong() ?? 0) > 0)
        {
            tasks.Add<WaitForJitterTask>("waitForJitter");
        }
    }

    /// <summary>A restarted window waits for its window again, with a fresh jitter.</summary>
    public void PrepareForRestart(StageExecution stage)
    {
        stage.Context.Remove(SuspendExecutionDuringTimeWindowTask.SkipRemainingWaitKey);
        stage.Context.Remove(SuspendExecutionDuringTimeWindowTask.ScheduledTimeKey);
        stage.Context.Remove(WaitForJitterTask.WaitTimeKey);
        stage.Context.Remove(WaitForJitterTask.StartTimeKey);
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        if (stageConfig["restrictExecutionDuringTimeWindow"].AsBool() != true)
        {
            yield break;
        }

        var window = stageConfig[SuspendExecutionDuringTimeWindowTask.WindowKey];
        var problem = Check(window);
        if (problem is not null)
        {
            yield return new ValidationProblem($"{path}.{SuspendExecutionDuringTimeWindowTask.WindowKey}", problem);
        }

        var jitter = (window as JsonObject)?["jitter"] as JsonObject;
        if (jitter?["enabled"].AsBool() == true && jitter["minDelay"].AsLong() > jitter["maxDelay"].AsLong())
        {
            yield return new ValidationProblem($"{path}.{SuspendExecutionDuringTimeWindowTask.WindowKey}.jitter", "minDelay must not be greater than maxDelay");
        }
    }

    private static string? Check(JsonNode? window)
    {
        try
        {
            TimeWindowSchedule.Parse(window);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }
}
