using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Told when a pipeline run has ended, after the end is stored and outside any transaction (Orca's execution listeners, e.g. the
/// one that starts pipelines with a <c>pipeline</c> trigger). Durable: the telling is a queued message removed only after every
/// listener returned, so a crash or an exception tells them again later — a listener must be idempotent (a run it starts carries
/// a correlation id). An exception is retried with backoff.
/// </summary>
public interface IExecutionFinishedListener
{
    Task OnFinishedAsync(PipelineExecution execution, CancellationToken cancellationToken);
}
