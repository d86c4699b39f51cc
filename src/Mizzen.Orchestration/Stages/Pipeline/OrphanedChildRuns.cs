using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Executions;

namespace Mizzen.Orchestration.Stages.Pipeline;

/// <summary>
/// Cancels child runs whose parent stage has stopped. A parent's cancel reaches its child after the parent's change is
/// committed (<see cref="PipelineStage.CancelAsync"/>, an after-commit action); if the process dies in between, nothing in the
/// queue would ever cancel the child. This sweep finds such children (at start-up, then every <see cref="Interval"/>) and
/// cancels them the same way, so a crash cannot leave a zombie child run behind.
/// </summary>
public sealed partial class OrphanedChildRuns(IExecutionStore executions, PipelineStage stage, ILogger<OrphanedChildRuns> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>Most active runs looked at per sweep (the newest first).</summary>
    public const int MaxRunsPerSweep = 1_000;

    private static readonly ExecutionStatus[] Active = [ExecutionStatus.NotStarted, ExecutionStatus.Running, ExecutionStatus.Paused];

    /// <summary>Cancels every active child run whose parent run or parent stage has ended; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var canceled = 0;
        var active = await executions.ListAsync(new ExecutionQuery { Statuses = Active, Type = ExecutionType.Pipeline, Limit = MaxRunsPerSweep }, cancellationToken);
        foreach (var child in active)
        {
            if (child.Trigger["type"].AsString() != "pipeline"
                || child.Trigger["parentPipelineId"].AsString() is not { Length: > 0 } parentId
                || await executions.GetAsync(parentId, cancellationToken) is not { } parent)
            {
                continue;
            }

            var parentStage = child.Trigger["parentPipelineStageId"].AsString() is { Length: > 0 } stageId ? parent.StageById(stageId) : null;
            var stopped = parent.Canceled || parentStage is { Status: var status } && status.IsComplete() && status != ExecutionStatus.Succeeded;
            if (!stopped || parentStage is null || parentStage.Context[StartPipelineTask.ExecutionIdKey].AsString() != child.Id)
            {
                continue;
            }

            LogOrphan(logger, child.Id, parent.Id, parentStage.Id);
            await stage.CancelAsync(parent, parentStage, cancellationToken);
            canceled++;
        }

        return canceled;
    }

    [LoggerMessage(EventId = 3205, Level = LogLevel.Warning,
        Message = "Child execution {ChildExecutionId} still ran after its parent stage {StageId} of execution {ExecutionId} stopped; canceling it")]
    private static partial void LogOrphan(ILogger logger, string childExecutionId, string executionId, string stageId);
}

/// <summary>
/// Runs <see cref="OrphanedChildRuns"/> at start-up and then every minute, on one node of those sharing the store (the
/// leader of <c>orphaned-children</c>): two nodes sweeping at once would cancel the same child twice.
/// </summary>
public sealed partial class OrphanedChildRunsService(
    OrphanedChildRuns sweep,
    INodeCoordination coordination,
    TimeProvider time,
    ILogger<OrphanedChildRunsService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        coordination.RunAsLeaderAsync("orphaned-children", async leading =>
        {
            using var timer = new PeriodicTimer(OrphanedChildRuns.Interval, time);
            do
            {
                try
                {
                    await sweep.SweepAsync(leading);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(leading));
        }, TimeSpan.FromSeconds(30), stoppingToken);

    [LoggerMessage(EventId = 3206, Level = LogLevel.Error, Message = "The sweep for orphaned child executions failed; it runs again in a minute")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
