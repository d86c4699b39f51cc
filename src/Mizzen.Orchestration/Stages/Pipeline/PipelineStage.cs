using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence.Executions;

namespace Mizzen.Orchestration.Stages.Pipeline;

/// <summary>
/// <c>pipeline</c>: runs another pipeline as a child. Context: <c>application</c> (or <c>pipelineApplication</c>),
/// <c>pipeline</c> (config id), <c>pipelineParameters</c>, <c>waitForCompletion</c> (default true), <c>skippable</c>,
/// <c>skipDownstreamOutput</c>; written by the tasks: <c>executionId</c>, <c>executionName</c>, <c>status</c>.
/// Cancelling this stage cancels the child run. The runner and the execution store are resolved when a child is
/// cancelled, not when the definition is built: the stage catalogue is also built where no store exists (offline
/// <c>pipeline validate</c>), and the runner itself reaches this definition through the catalogue.
/// </summary>
public sealed partial class PipelineStage(IServiceProvider services, ILogger<PipelineStage> logger) : IStageDefinition
{
    public const string StageType = "pipeline";
    public const string SkipPipelineRestartKey = "_skipPipelineRestart";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks)
    {
        tasks.Add<StartPipelineTask>("startPipeline");
        if (stage.Context[StartPipelineTask.WaitForCompletionKey].AsBool() != false)
        {
            tasks.Add<MonitorPipelineTask>("monitorPipeline");
        }
    }

    public bool CanManuallySkip(StageExecution stage) => stage.Context["skippable"].AsBool() == true;

    /// <summary>A restart starts a new child unless the restart came from the child itself (<c>_skipPipelineRestart</c>).</summary>
    public void PrepareForRestart(StageExecution stage)
    {
        if (stage.Context[SkipPipelineRestartKey].AsBool() != true)
        {
            stage.Context.Remove(StartPipelineTask.ExecutionIdKey);
            stage.Context.Remove(StartPipelineTask.ExecutionNameKey);
            stage.Context.Remove(MonitorPipelineTask.StatusKey);
        }

        stage.Context.Remove(SkipPipelineRestartKey);
    }

    public async Task CancelAsync(PipelineExecution execution, StageExecution stage, CancellationToken cancellationToken)
    {
        if (stage.Context[StartPipelineTask.ExecutionIdKey].AsString() is not { Length: > 0 } childId)
        {
            return;
        }

        var child = await services.GetRequiredService<IExecutionStore>().GetAsync(childId, cancellationToken);
        if (child is null || child.Status.IsComplete())
        {
            return;
        }

        var user = execution.CanceledBy ?? execution.Authentication.User;
        var reason = execution.Canceled
            ? $"The parent pipeline {execution.Name ?? execution.Id} was canceled"
            : $"The parent stage '{stage.Name}' of pipeline {execution.Name ?? execution.Id} was canceled";
        try
        {
            await services.GetRequiredService<IExecutionRunner>().CancelAsync(childId, user, reason, cancellationToken);
            LogChildCanceled(logger, execution.Id, stage.Id, childId);
        }
        catch (MizzenException e) when (e is NotFoundException or ConflictException)
        {
            // Finished or deleted in the meantime: nothing left to cancel.
            LogChildNotCanceled(logger, execution.Id, stage.Id, childId, e.Message);
        }
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        if (StageConfigChecks.IsMissing(stageConfig["application"]) && StageConfigChecks.IsMissing(stageConfig["pipelineApplication"]))
        {
            yield return StageConfigChecks.Required(path, "application", StageType);
        }

        if (StageConfigChecks.IsMissing(stageConfig["pipeline"]) && StageConfigChecks.IsMissing(stageConfig["pipelineId"]))
        {
            yield return StageConfigChecks.Required(path, "pipeline", StageType);
        }

        foreach (var problem in StageConfigChecks.OptionalObject(stageConfig, path, "pipelineParameters"))
        {
            yield return problem;
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information,
        Message = "Canceled child execution {ChildExecutionId} of stage {StageId} in execution {ExecutionId}")]
    private static partial void LogChildCanceled(ILogger logger, string executionId, string stageId, string childExecutionId);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information,
        Message = "Child execution {ChildExecutionId} of stage {StageId} in execution {ExecutionId} was not canceled: {Reason}")]
    private static partial void LogChildNotCanceled(ILogger logger, string executionId, string stageId, string childExecutionId, string reason);
}
