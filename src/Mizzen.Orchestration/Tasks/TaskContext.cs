using System.Text.Json.Nodes;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Tasks;

/// <summary>
/// What a task sees: the execution, its stage, and the stage context with expressions evaluated and
/// ancestors' outputs reachable through <see cref="Get"/>. Read-only: a task changes the stage only through its result.
/// </summary>
public sealed class TaskContext(PipelineExecution execution, StageExecution stage, TaskExecution task, JsonObject evaluatedContext, TimeProvider time)
{
    public PipelineExecution Execution { get; } = execution;

    public StageExecution Stage { get; } = stage;

    public TaskExecution Task { get; } = task;

    /// <summary>The stage context after expression evaluation.</summary>
    public JsonObject Context { get; } = evaluatedContext;

    public TimeProvider Time { get; } = time;

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Who the stage runs as: the user who triggered the run (or the last judge when the stage propagates authentication).</summary>
    public string User => Execution.Authentication.User;

    /// <summary>A value as the stage sees it: its evaluated context first, then upstream stages' outputs.</summary>
    public JsonNode? Get(string key) =>
        Context.TryGetPropertyValue(key, out var own) ? own : Execution.ResolveContextValue(Stage, key);
}
