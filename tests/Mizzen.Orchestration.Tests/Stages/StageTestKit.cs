using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Tasks;
using Mizzen.Testing;

namespace Mizzen.Orchestration.Tests.Stages;

/// <summary>Builds executions, stages and task contexts the way the engine hands them to a task.</summary>
internal static class StageTestKit
{
    public static StageExecution Stage(string type, string contextJson = "{}", long? startTime = null, string? id = null, string? name = null) => new()
    {
        Id = id ?? "01STAGE" + type.ToUpperInvariant(),
        RefId = "1",
        Type = type,
        Name = name ?? type,
        Status = ExecutionStatus.Running,
        StartTime = startTime,
        Context = MizzenJson.ParseObject(contextJson),
    };

    public static PipelineExecution Execution(params StageExecution[] stages) => new()
    {
        Id = "01PARENT",
        Application = "shop",
        Name = "deploy shop",
        PipelineConfigId = "cfg-parent",
        Status = ExecutionStatus.Running,
        StartTime = 1_700_000_000_000,
        Trigger = new JsonObject { ["type"] = "manual", ["user"] = "alice" },
        Authentication = new AuthenticationDetails { User = "alice" },
        Stages = [.. stages],
    };

    /// <summary>
    /// The task's view of <paramref name="stage"/>: the engine would evaluate expressions first; these tests give
    /// contexts without <c>${}</c> (or test the raw text on purpose), so the evaluated context is a copy.
    /// </summary>
    public static TaskContext For(StageExecution stage, TimeProvider clock, PipelineExecution? execution = null, long? taskStartTime = null)
    {
        execution ??= Execution(stage);
        if (!execution.Stages.Contains(stage))
        {
            execution.Stages.Add(stage);
        }

        var task = new TaskExecution { Id = "1", Name = "task", Status = ExecutionStatus.Running, StartTime = taskStartTime };
        return new TaskContext(execution, stage, task, (JsonObject)stage.Context.DeepClone(), clock);
    }

    /// <summary>What the engine does with a RUNNING result: merge its context into the stage.</summary>
    public static void Apply(StageExecution stage, TaskResult result)
    {
        foreach (var (key, value) in result.Context ?? [])
        {
            stage.Context[key] = value?.DeepClone();
        }

        foreach (var (key, value) in result.Outputs ?? [])
        {
            stage.Outputs[key] = value?.DeepClone();
        }
    }

    public static long Ms(this FakeTimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public static string? ErrorOf(TaskResult result) =>
        result.Context?["exception"]?["details"]?["errors"]?[0]?.GetValue<string>();
}
