using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ExecutionWindow;
using Mizzen.Orchestration.Stages.Wait;

namespace Mizzen.Server.Ui.Shared;

/// <summary>
/// Which run and stage actions the UI offers, and what they send. The states are the engine's own rules
/// (<c>ExecutionRunner</c>): a button appears only where the engine would accept it, and when the run changed meanwhile the
/// engine still decides and its message is shown. Every action goes through <c>IExecutionRunner</c>, the service behind
/// the REST routes, with <see cref="User"/> — what those routes record for a caller that names no user.
/// </summary>
public static class RunActions
{
    /// <summary>Who the UI acts as: <c>anonymous</c> until authentication exists, like an API call without <c>X-Mizzen-User</c>.</summary>
    public const string User = Users.Anonymous;

    public static bool CanCancel(PipelineExecution run) => !run.Status.IsComplete();

    public static bool CanPause(PipelineExecution run) => run.Status == ExecutionStatus.Running;

    public static bool CanResume(PipelineExecution run) => run.Status == ExecutionStatus.Paused;

    /// <summary>A finished top-level stage (restarting a synthetic stage restarts its top-level owner, so only those offer it).</summary>
    public static bool CanRestart(StageExecution stage) => !stage.IsSynthetic && stage.Status.IsComplete();

    /// <summary>A running <c>wait</c> (or execution window) that nobody has skipped yet.</summary>
    public static bool CanSkipWait(StageExecution stage) =>
        stage.Type is WaitStage.StageType or ExecutionWindowStage.StageType
        && stage.Status == ExecutionStatus.Running
        && stage.Context[WaitTask.SkipRemainingWaitKey].AsBool() != true;

    /// <summary>The stage PATCH body that ends a wait now (the body <c>mizzen stage skip</c> sends).</summary>
    public static JsonObject SkipWait() => new() { [WaitTask.SkipRemainingWaitKey] = true };

    /// <summary>A reason as the cancel route stores it: what was typed, or none.</summary>
    public static string? Reason(string? typed) => string.IsNullOrWhiteSpace(typed) ? null : typed.Trim();
}
