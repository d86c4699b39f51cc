using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Tasks;
using Mizzen.Persistence.Executions;

namespace Mizzen.Orchestration.Stages.Pipeline;

/// <summary>
/// Follows the child run: SUCCEEDED (or another non-halting end) → SUCCEEDED with the child's outputs copied into this
/// stage's outputs (unless <c>skipDownstreamOutput</c>); TERMINAL/STOPPED → TERMINAL naming the failed child stages;
/// CANCELED → CANCELED; otherwise RUNNING with the child's <c>status</c> in the context.
/// Backoff: 2 s for the first two minutes, then 15 s (Orca: always 15 s). Most child runs are short and users watch
/// them; a short early poll makes the parent move on seconds after the child ends, and the later 15 s keeps a
/// long child from costing more than Orca's polling.
/// </summary>
public sealed class MonitorPipelineTask(IExecutionStore executions) : ITask
{
    public const string StatusKey = "status";

    public static readonly TimeSpan EarlyBackoff = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan LateBackoff = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan EarlyPhase = TimeSpan.FromMinutes(2);

    public bool TimeoutOverridableByStage => true;

    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromHours(12);

    public TimeSpan Backoff(TaskContext context)
    {
        var started = context.Task.StartTime ?? context.NowMs;
        return context.NowMs - started < EarlyPhase.TotalMilliseconds ? EarlyBackoff : LateBackoff;
    }

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (context.Context[StartPipelineTask.WaitForCompletionKey].AsBool() == false)
        {
            return TaskResult.Succeeded();
        }

        if (context.Context[StartPipelineTask.ExecutionIdKey].AsString() is not { Length: > 0 } childId)
        {
            return TaskResult.Terminal("No child execution to monitor: 'executionId' is missing (did startPipeline run?)");
        }

        var child = await executions.GetAsync(childId, cancellationToken);
        if (child is null)
        {
            return TaskResult.Terminal($"The child execution {childId} no longer exists");
        }

        var statusContext = new JsonObject { [StatusKey] = child.Status.ToWireName() };
        if (child.Status == ExecutionStatus.Canceled)
        {
            return new TaskResult(ExecutionStatus.Canceled, statusContext);
        }

        if (child.Status.IsHalt())
        {
            statusContext["exception"] = TaskFailure.ExceptionJson("Exception in child pipeline", ChildErrors(child));
            return new TaskResult(ExecutionStatus.Terminal, statusContext);
        }

        if (!child.Status.IsComplete())
        {
            return TaskResult.Running(statusContext);
        }

        var outputs = context.Context["skipDownstreamOutput"].AsBool() == true ? null : ChildExecutionOutputs.Merge(child);
        return TaskResult.Succeeded(statusContext, outputs);
    }

    /// <summary>"Exception in child pipeline stage (&lt;child name&gt;: &lt;stage name&gt;): &lt;error&gt;" for each failed child stage.</summary>
    public static List<string> ChildErrors(PipelineExecution child)
    {
        var childName = child.Name ?? child.Id;
        var errors = new List<string>();
        foreach (var stage in child.Stages.Where(s => s.Status is ExecutionStatus.Terminal or ExecutionStatus.Stopped))
        {
            var message = StageError(stage);
            if (message is not null)
            {
                errors.Add($"Exception in child pipeline stage ({childName}: {(stage.Name.Length > 0 ? stage.Name : stage.Type)}): {message}");
            }
        }

        if (errors.Count == 0)
        {
            errors.Add($"Child pipeline {childName} ({child.Id}) ended {child.Status.ToWireName()}");
        }

        return errors;
    }

    private static string? StageError(StageExecution stage)
    {
        if (stage.Context["exception"] is JsonObject exception && exception["details"] is JsonObject details)
        {
            if (details["errors"] is JsonArray { Count: > 0 } list)
            {
                return string.Join(", ", list.Select(e => e.AsString() ?? e?.ToJsonString()).Where(e => !string.IsNullOrEmpty(e)));
            }

            if (details["error"].AsString() is { Length: > 0 } error)
            {
                return error;
            }
        }

        return stage.Context["failureReason"].AsString();
    }
}
