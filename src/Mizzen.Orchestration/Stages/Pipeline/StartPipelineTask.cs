using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Tasks;
using Mizzen.Persistence.Pipelines;

namespace Mizzen.Orchestration.Stages.Pipeline;

/// <summary>
/// Starts the child run once (skipped when <c>executionId</c> is already set, e.g. after a restart that came from the
/// child). The child's trigger is Orca's <c>type: "pipeline"</c> trigger; its <c>correlationId</c> identifies this start
/// so the runner can recognise a repeated start after a crash.
/// </summary>
public sealed class StartPipelineTask(IPipelineConfigStore pipelines, IExecutionRunner runner) : ITask
{
    public const string ExecutionIdKey = "executionId";
    public const string ExecutionNameKey = "executionName";
    public const string WaitForCompletionKey = "waitForCompletion";

    public TimeSpan Backoff(TaskContext context) => TimeSpan.FromSeconds(5);

    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(5);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        if (context.Context[ExecutionIdKey].AsString() is { Length: > 0 })
        {
            return TaskResult.Succeeded();
        }

        var application = context.Context["pipelineApplication"].AsString() ?? context.Context["application"].AsString() ?? "";
        var pipelineRef = context.Context["pipeline"].AsString() ?? context.Context["pipelineId"].AsString() ?? "";
        if (application.Length == 0 || pipelineRef.Length == 0)
        {
            return TaskResult.Terminal("A pipeline stage needs 'application' and 'pipeline' (the id of the pipeline to run)");
        }

        var config = await pipelines.GetAsync(pipelineRef, cancellationToken)
                     ?? await pipelines.FindByNameAsync(application, pipelineRef, cancellationToken);
        if (config is null)
        {
            return TaskResult.Terminal($"Pipeline '{pipelineRef}' was not found in application '{application}'");
        }

        if (config.Disabled)
        {
            return TaskResult.Terminal($"Pipeline '{config.Name}' ({config.Id}) in application '{config.Application}' is disabled and cannot be started");
        }

        PipelineExecution child;
        try
        {
            child = await runner.StartAsync(config, ChildTrigger(context, config), context.User, cancellationToken);
        }
        catch (MizzenException e) when (e.IsTransient)
        {
            return TaskResult.Running();
        }
        catch (MizzenException e)
        {
            return TaskResult.Terminal($"Could not start pipeline '{config.Name}' in application '{config.Application}': {e.Message}");
        }

        var written = new JsonObject { [ExecutionIdKey] = child.Id, [ExecutionNameKey] = child.Name ?? config.Name };
        return TaskResult.Succeeded(written, (JsonObject)written.DeepClone());
    }

    /// <summary>Orca's child trigger, with a small <c>parentExecution</c> (id, application, name) instead of the whole parent run.</summary>
    public static JsonObject ChildTrigger(TaskContext context, PipelineConfig config)
    {
        var parent = context.Execution;
        var parameters = context.Context["pipelineParameters"] as JsonObject;
        var correlationId = string.Create(CultureInfo.InvariantCulture,
            $"{parent.Id}_{context.Stage.Id}_{config.Id}_{parent.StartTime ?? 0}");
        return new JsonObject
        {
            ["type"] = "pipeline",
            ["user"] = context.User,
            ["parentExecution"] = new JsonObject
            {
                ["id"] = parent.Id,
                ["application"] = parent.Application,
                ["name"] = parent.Name,
                ["pipelineConfigId"] = parent.PipelineConfigId,
            },
            ["parentPipelineId"] = parent.Id,
            ["parentPipelineApplication"] = parent.Application,
            ["parentPipelineName"] = parent.Name,
            ["parentPipelineStageId"] = context.Stage.Id,
            ["parameters"] = parameters?.DeepClone() ?? new JsonObject(),
            ["correlationId"] = correlationId,
        };
    }
}
