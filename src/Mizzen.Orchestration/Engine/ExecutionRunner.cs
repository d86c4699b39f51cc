using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Queue;
using Mizzen.Persistence;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// The engine's front door. Each call is one transaction: the state change and the messages that carry it out
/// commit together, so a crash right after a call loses nothing.
/// </summary>
public sealed class ExecutionRunner(
    IStore store,
    ExecutionFactory factory,
    Artifacts.ExpectedArtifactResolver artifacts,
    IServiceProvider services,
    RunningTaskRegistry running,
    ExecutionEvents events,
    INodeAffinity affinity,
    TimeProvider time) : IExecutionRunner
{
    /// <summary>Stage fields a user may change on a running stage (Deck sends these).</summary>
    public static readonly IReadOnlySet<string> PatchableFields =
        new HashSet<string>(StringComparer.Ordinal) { "judgmentStatus", "judgmentInput", "manualSkip", "skipRemainingWait" };

    public Task<PipelineExecution> StartAsync(PipelineConfig config, JsonObject trigger, string user, CancellationToken cancellationToken) =>
        StartCoreAsync(config, trigger, user, null, cancellationToken);

    public Task<PipelineExecution> StartAsync(
        PipelineConfig config, JsonObject trigger, string user, Action<IStoreTransaction, PipelineExecution, bool> alongside, CancellationToken cancellationToken) =>
        StartCoreAsync(config, trigger, user, alongside, cancellationToken);

    private async Task<PipelineExecution> StartCoreAsync(
        PipelineConfig config, JsonObject trigger, string user, Action<IStoreTransaction, PipelineExecution, bool>? alongside, CancellationToken cancellationToken)
    {
        var execution = factory.Create(config, trigger, user);
        await artifacts.ResolveAsync(config, execution.Trigger, cancellationToken); // before anything is stored: an unbound artifact starts nothing
        return await StoreAndStartAsync(execution, cancellationToken, alongside);
    }

    public Task<PipelineExecution> StartOrchestrationAsync(string application, string description, JsonArray stages, string user, CancellationToken cancellationToken) =>
        StoreAndStartAsync(factory.CreateOrchestration(application, description, stages, user), cancellationToken);

    public Task<PipelineExecution> StartOrchestrationAsync(
        string application, string description, JsonArray stages, string user, Action<IStoreTransaction, PipelineExecution, bool> alongside,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alongside);
        return StoreAndStartAsync(factory.CreateOrchestration(application, description, stages, user), cancellationToken, alongside);
    }

    public Task CancelAsync(string executionId, string user, string? reason, CancellationToken cancellationToken) =>
        CancelCoreAsync(executionId, user, reason, null, cancellationToken);

    public Task CancelAsync(string executionId, string user, string? reason, Action<IStoreTransaction> alongside, CancellationToken cancellationToken) =>
        CancelCoreAsync(executionId, user, reason, alongside ?? throw new ArgumentNullException(nameof(alongside)), cancellationToken);

    public Task PauseAsync(string executionId, string user, CancellationToken cancellationToken) => PauseCoreAsync(executionId, user, null, cancellationToken);

    public Task PauseAsync(string executionId, string user, Action<IStoreTransaction> alongside, CancellationToken cancellationToken) =>
        PauseCoreAsync(executionId, user, alongside ?? throw new ArgumentNullException(nameof(alongside)), cancellationToken);

    public Task ResumeAsync(string executionId, string user, CancellationToken cancellationToken) => ResumeCoreAsync(executionId, user, null, cancellationToken);

    public Task ResumeAsync(string executionId, string user, Action<IStoreTransaction> alongside, CancellationToken cancellationToken) =>
        ResumeCoreAsync(executionId, user, alongside ?? throw new ArgumentNullException(nameof(alongside)), cancellationToken);

    public Task RestartStageAsync(string executionId, string stageId, string user, CancellationToken cancellationToken) =>
        RestartStageCoreAsync(executionId, stageId, user, null, cancellationToken);

    public Task RestartStageAsync(string executionId, string stageId, string user, Action<IStoreTransaction> alongside, CancellationToken cancellationToken) =>
        RestartStageCoreAsync(executionId, stageId, user, alongside ?? throw new ArgumentNullException(nameof(alongside)), cancellationToken);

    public Task<StageExecution> UpdateStageAsync(string executionId, string stageId, JsonObject patch, string user, CancellationToken cancellationToken) =>
        UpdateStageCoreAsync(executionId, stageId, patch, user, null, cancellationToken);

    public Task<StageExecution> UpdateStageAsync(
        string executionId, string stageId, JsonObject patch, string user, Action<IStoreTransaction> alongside, CancellationToken cancellationToken) =>
        UpdateStageCoreAsync(executionId, stageId, patch, user, alongside ?? throw new ArgumentNullException(nameof(alongside)), cancellationToken);

    private Task CancelCoreAsync(string executionId, string user, string? reason, Action<IStoreTransaction>? alongside, CancellationToken cancellationToken) =>
        ChangeAsync(executionId, alongside, context =>
        {
            var execution = context.Execution;
            if (execution.Status.IsComplete())
            {
                return;
            }

            execution.Canceled = true;
            execution.CanceledBy = user;
            execution.CancellationReason = reason;
            if (execution.Status == ExecutionStatus.NotStarted)
            {
                ExecutionTransitions.Finish(context, ExecutionStatus.Canceled);
                return;
            }

            if (execution.Status == ExecutionStatus.Paused)
            {
                Resume(context, user);
            }

            context.Push(new RescheduleExecution(execution.Id));
            context.Push(new CompleteExecution(execution.Id));
            context.AfterCommit(_ =>
            {
                running.Cancel(execution.Id);
                return Task.CompletedTask;
            });
        }, cancellationToken);

    private Task PauseCoreAsync(string executionId, string user, Action<IStoreTransaction>? alongside, CancellationToken cancellationToken) =>
        ChangeAsync(executionId, alongside, context =>
        {
            var execution = context.Execution;
            if (execution.Status != ExecutionStatus.Running)
            {
                throw new ConflictException($"execution {execution.Id} is {execution.Status.ToWireName()}; only a RUNNING execution can be paused");
            }

            execution.Status = ExecutionStatus.Paused;
            var pausedMs = execution.Paused?.PausedMs ?? 0;
            execution.Paused = new PausedDetails { PausedBy = user, PauseTime = context.Now, PausedMs = pausedMs };
            context.Push(new RescheduleExecution(execution.Id));
        }, cancellationToken);

    private Task ResumeCoreAsync(string executionId, string user, Action<IStoreTransaction>? alongside, CancellationToken cancellationToken) =>
        ChangeAsync(executionId, alongside, context =>
        {
            if (context.Execution.Status != ExecutionStatus.Paused)
            {
                throw new ConflictException($"execution {executionId} is {context.Execution.Status.ToWireName()}; only a PAUSED execution can be resumed");
            }

            Resume(context, user);
        }, cancellationToken);

    private Task RestartStageCoreAsync(string executionId, string stageId, string user, Action<IStoreTransaction>? alongside, CancellationToken cancellationToken) =>
        ChangeAsync(executionId, alongside, context =>
        {
            var stage = context.Execution.StageById(stageId)
                        ?? throw new NotFoundException($"execution {executionId} has no stage {stageId}");
            var top = context.Execution.TopLevel(stage);
            if (!(top.Status.IsComplete() || top.Status == ExecutionStatus.NotStarted))
            {
                throw new ConflictException($"stage '{top.Name}' is {top.Status.ToWireName()}; only a finished stage can be restarted");
            }

            context.Push(new RestartStage(executionId, top.Id, user));
        }, cancellationToken);

    private async Task<StageExecution> UpdateStageCoreAsync(
        string executionId, string stageId, JsonObject patch, string user, Action<IStoreTransaction>? alongside, CancellationToken cancellationToken)
    {
        StageExecution? updated = null;
        await ChangeAsync(executionId, alongside, context =>
        {
            var stage = context.Execution.StageById(stageId)
                        ?? throw new NotFoundException($"execution {executionId} has no stage {stageId}");
            var unknown = patch.Select(p => p.Key).Where(k => !PatchableFields.Contains(k)).ToList();
            if (unknown.Count > 0)
            {
                throw new ValidationException(unknown.Select(k => new ValidationProblem(k,
                    $"'{k}' cannot be changed on a running stage; allowed: {string.Join(", ", PatchableFields.Order(StringComparer.Ordinal))}")).ToList());
            }

            Stages.ManualJudgment.JudgmentRules.Check(stage, patch);
            if (stage.Status.IsComplete())
            {
                throw new ConflictException($"stage '{stage.Name}' is already {stage.Status.ToWireName()}");
            }

            if (patch["manualSkip"] is not null && !services.GetRequiredService<StagePlanner>().Definition(stage).CanManuallySkip(stage))
            {
                throw new ValidationException("manualSkip", $"stage '{stage.Name}' ({stage.Type}) cannot be skipped by hand");
            }

            foreach (var (key, value) in patch)
            {
                stage.Context[key] = value?.DeepClone();
            }

            stage.Context["lastModifiedBy"] = user;
            stage.LastModified = new LastModifiedDetails { User = user, LastModifiedTime = context.Now };
            context.Push(new RescheduleExecution(executionId));
            updated = stage;
        }, cancellationToken);
        return updated!;
    }

    private static void Resume(HandlerContext context, string user)
    {
        var execution = context.Execution;
        execution.Status = ExecutionStatus.Running;
        if (execution.Paused is { PauseTime: { } pausedAt } paused)
        {
            paused.PausedMs += context.Now - pausedAt;
            paused.ResumedBy = user;
            paused.ResumeTime = context.Now;
        }

        foreach (var stage in execution.Stages.Where(s => s.Status == ExecutionStatus.Paused))
        {
            stage.Status = ExecutionStatus.Running;
            foreach (var task in stage.Tasks.Where(t => t.Status == ExecutionStatus.Paused))
            {
                task.Status = ExecutionStatus.Running;
                context.Push(new RunTask(execution.Id, stage.Id, task.Id));
            }
        }
    }

    private async Task<PipelineExecution> StoreAndStartAsync(
        PipelineExecution execution, CancellationToken cancellationToken, Action<IStoreTransaction, PipelineExecution, bool>? alongside = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await store.BeginAsync(cancellationToken);

            // A trigger with a correlation id (a parent pipeline's stage, a webhook delivery) starts one run, however often it is retried.
            if (Core.Json.MizzenJson.AsString(execution.Trigger["correlationId"]) is { Length: > 0 } correlationId
                && await transaction.FindByCorrelationIdAsync(correlationId, cancellationToken) is { } existingId
                && await transaction.LoadExecutionAsync(existingId, cancellationToken) is { } existing)
            {
                if (alongside is not null)
                {
                    alongside(transaction, existing, false);
                    await transaction.CommitAsync(cancellationToken);
                }

                return existing;
            }

            transaction.AddExecution(execution);
            alongside?.Invoke(transaction, execution, true);
            transaction.Push(MessageCodec.ToOutgoing(new StartExecution(execution.Id), time.GetUtcNow().ToUnixTimeMilliseconds()));
            try
            {
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DuplicateCorrelationException) when (attempt == 1)
            {
                continue; // another node stored the same event's run between our look and our commit: the next look finds it
            }

            events.Publish(execution.Id, execution.Application);
            return execution;
        }
    }

    /// <summary>One transaction: load, <paramref name="change"/>, then <paramref name="alongside"/> (not reached when the change throws), commit.</summary>
    private async Task ChangeAsync(string executionId, Action<IStoreTransaction>? alongside, Action<HandlerContext> change, CancellationToken cancellationToken)
    {
        List<Func<CancellationToken, Task>> afterCommit;
        string application;
        await using (var transaction = await store.BeginAsync(cancellationToken))
        {
            var execution = await transaction.LoadExecutionAsync(executionId, cancellationToken)
                            ?? throw new NotFoundException($"execution {executionId} does not exist");
            var context = new HandlerContext(transaction, execution, time) { Affinity = affinity };
            change(context);
            alongside?.Invoke(transaction);
            await transaction.CommitAsync(cancellationToken);
            afterCommit = [.. context.AfterCommitActions];
            application = execution.Application;
        }

        foreach (var action in afterCommit)
        {
            await action(cancellationToken);
        }

        events.Publish(executionId, application);
    }
}
