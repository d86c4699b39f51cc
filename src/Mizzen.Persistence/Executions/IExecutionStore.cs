using Mizzen.Core.Model;

namespace Mizzen.Persistence.Executions;

/// <summary>Reads of stored executions. Writes happen only inside an <see cref="IStoreTransaction"/>.</summary>
public interface IExecutionStore
{
    Task<PipelineExecution?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Newest first (by start, then build time), filtered and paged on the server side.</summary>
    Task<IReadOnlyList<PipelineExecution>> ListAsync(ExecutionQuery query, CancellationToken cancellationToken);

    Task<int> CountAsync(CancellationToken cancellationToken);

    /// <summary>How many executions are in each status (for <c>/metrics</c>).</summary>
    Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Retention: deletes up to <paramref name="max"/> finished executions (with their stages) that ended before
    /// <paramref name="endedBefore"/> (epoch ms), always keeping the newest <paramref name="keepPerPipeline"/> of each pipeline
    /// (of each application's orchestrations). One short write transaction; returns how many were deleted.
    /// </summary>
    Task<int> DeleteFinishedAsync(long endedBefore, int keepPerPipeline, int max, CancellationToken cancellationToken);
}

public sealed record ExecutionQuery
{
    public string? Application { get; init; }
    public IReadOnlyCollection<string>? PipelineConfigIds { get; init; }
    public string? PipelineName { get; init; }
    public IReadOnlyCollection<ExecutionStatus>? Statuses { get; init; }
    public ExecutionType? Type { get; init; }
    public int Limit { get; init; } = 10;

    /// <summary>
    /// With <see cref="Application"/>: <see cref="Limit"/> counts per pipeline, the newest runs of each of the application's
    /// pipeline configs (Gate's <c>/applications/{app}/pipelines</c>, so one busy pipeline does not push the others out).
    /// </summary>
    public bool LimitPerPipeline { get; init; }

    /// <summary>Opaque: the id of the last execution of the previous page.</summary>
    public string? Before { get; init; }

    /// <summary>
    /// False: stages come without their <see cref="StageExecution.Context"/>, <see cref="StageExecution.Outputs"/> and
    /// <see cref="StageExecution.Tasks"/> (all empty), as Gate's <c>expand=false</c>. A list of runs (Deck's executions view)
    /// needs each stage's name, type, status, times and graph links only, and the context is most of a stage's size: the store
    /// drops it before the rows are parsed. Read one run with <see cref="IExecutionStore.GetAsync"/> for its full stages.
    /// </summary>
    public bool Expand { get; init; } = true;
}
