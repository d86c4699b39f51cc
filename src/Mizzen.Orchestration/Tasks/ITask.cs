using System.Text.Json.Nodes;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Tasks;

/// <summary>
/// One step of a stage. <see cref="ExecuteAsync"/> is called again and again while it returns RUNNING, after
/// <see cref="Backoff"/>; a task must therefore keep its progress in the stage context, never in fields.
/// Tasks are singletons resolved from DI by type.
/// </summary>
public interface ITask
{
    Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken);

    /// <summary>How long to wait before the next call when the task returned RUNNING (Orca: 1 s for plain tasks).</summary>
    TimeSpan Backoff(TaskContext context) => TimeSpan.FromSeconds(1);

    /// <summary>Task timeout (paused time excluded); null = none. A stage's <c>stageTimeoutMs</c> applies on top.</summary>
    TimeSpan? Timeout(TaskContext context) => null;

    /// <summary>When true the stage's <c>stageTimeoutMs</c> replaces <see cref="Timeout"/> (Orca's OverridableTimeoutRetryableTask).</summary>
    bool TimeoutOverridableByStage => false;

    /// <summary>Called once when the task times out; may return a result (e.g. FAILED_CONTINUE) instead of failing.</summary>
    Task<TaskResult?> OnTimeoutAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<TaskResult?>(null);

    /// <summary>Called when the execution is cancelled while this task is running; outputs are merged into the stage.</summary>
    Task<TaskResult?> OnCancelAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<TaskResult?>(null);
}

/// <summary>What a task returns: its status and what it adds to the stage's context and outputs.</summary>
public sealed record TaskResult(ExecutionStatus Status, JsonObject? Context = null, JsonObject? Outputs = null)
{
    /// <summary>Overrides <see cref="ITask.Backoff"/> for this one RUNNING result (e.g. a wait's remaining time).</summary>
    public TimeSpan? BackoffOverride { get; init; }

    public static TaskResult Succeeded(JsonObject? context = null, JsonObject? outputs = null) => new(ExecutionStatus.Succeeded, context, outputs);

    public static TaskResult Running(JsonObject? context = null) => new(ExecutionStatus.Running, context);

    /// <summary>A failure with a message a user can act on; stored as <c>context.exception.details.errors</c>.</summary>
    public static TaskResult Terminal(string error, JsonObject? context = null)
    {
        var ctx = context ?? [];
        ctx["exception"] = TaskFailure.ExceptionJson("Task failed", [error]);
        return new(ExecutionStatus.Terminal, ctx);
    }
}

/// <summary>Orca's <c>context.exception</c> shape.</summary>
public static class TaskFailure
{
    public static JsonObject ExceptionJson(string error, IEnumerable<string> errors, string? exceptionType = null, string? operation = null)
    {
        var json = new JsonObject
        {
            ["details"] = new JsonObject
            {
                ["error"] = error,
                ["errors"] = new JsonArray(errors.Select(e => (JsonNode?)e).ToArray()),
            },
            ["shouldRetry"] = false,
        };
        if (exceptionType is not null)
        {
            json["exceptionType"] = exceptionType;
        }

        if (operation is not null)
        {
            json["operation"] = operation;
        }

        return json;
    }
}
