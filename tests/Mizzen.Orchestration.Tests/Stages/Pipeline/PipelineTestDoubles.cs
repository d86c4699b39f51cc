using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;

namespace Mizzen.Orchestration.Tests.Stages.Pipeline;

/// <summary>Test double: stores executions in a dictionary; the pipeline tasks only read by id.</summary>
internal sealed class InMemoryExecutionStore : IExecutionStore
{
    public Dictionary<string, PipelineExecution> Executions { get; } = [];

    public Task<PipelineExecution?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(Executions.GetValueOrDefault(id));

    public Task<IReadOnlyList<PipelineExecution>> ListAsync(ExecutionQuery query, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<int> CountAsync(CancellationToken cancellationToken) => Task.FromResult(Executions.Count);

    public Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(Executions.Values.GroupBy(e => e.Status.ToWireName()).ToDictionary(g => g.Key, g => g.Count()));

    public Task<int> DeleteFinishedAsync(long endedBefore, int keepPerPipeline, int max, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}

/// <summary>Test double: configs by id; name lookup is case-insensitive within the application, as Gate does.</summary>
internal sealed class InMemoryPipelineConfigStore : IPipelineConfigStore
{
    public List<PipelineConfig> Configs { get; } = [];

    public Task<PipelineConfig?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(Configs.Find(c => c.Id == id));

    public Task<PipelineConfig?> FindByNameAsync(string application, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Configs.Find(c => c.Application == application && string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)));

    public Task<IReadOnlyList<PipelineConfig>> ListAsync(string application, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<PipelineConfig>> ListWithTriggersAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> ChangeStampAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> SaveAsync(PipelineConfig config, string user, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<PipelineConfigRevision>> HistoryAsync(string id, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<PipelineConfigRevision?> GetRevisionAsync(string id, int revision, CancellationToken cancellationToken) => throw new NotSupportedException();
}

/// <summary>Test double: records starts and cancels; a started run goes into the <see cref="InMemoryExecutionStore"/> as RUNNING.</summary>
internal sealed class RecordingExecutionRunner(InMemoryExecutionStore store) : IExecutionRunner
{
    public List<(PipelineConfig Config, JsonObject Trigger, string User)> Started { get; } = [];

    public List<(string ExecutionId, string User, string? Reason)> Canceled { get; } = [];

    public MizzenException? FailStartWith { get; set; }

    public Task<PipelineExecution> StartAsync(
        PipelineConfig config, JsonObject trigger, string user, Action<Mizzen.Persistence.IStoreTransaction, PipelineExecution, bool> alongside, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the pipeline stage's tests start runs without writing alongside");

    public Task<PipelineExecution> StartAsync(PipelineConfig config, JsonObject trigger, string user, CancellationToken cancellationToken)
    {
        if (FailStartWith is not null)
        {
            throw FailStartWith;
        }

        Started.Add((config, trigger, user));
        var execution = new PipelineExecution
        {
            Id = $"01CHILD{Started.Count}", Application = config.Application, Name = config.Name, Status = ExecutionStatus.Running, Trigger = trigger,
        };
        store.Executions[execution.Id] = execution;
        return Task.FromResult(execution);
    }

    public Task CancelAsync(string executionId, string user, string? reason, CancellationToken cancellationToken)
    {
        Canceled.Add((executionId, user, reason));
        return Task.CompletedTask;
    }

    public Task<PipelineExecution> StartOrchestrationAsync(string application, string description, JsonArray stages, string user, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task PauseAsync(string executionId, string user, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task ResumeAsync(string executionId, string user, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RestartStageAsync(string executionId, string stageId, string user, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<StageExecution> UpdateStageAsync(string executionId, string stageId, JsonObject patch, string user, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
