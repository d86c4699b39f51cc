using System.Collections.Concurrent;
using Mizzen.Persistence.Coordination;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Task work in flight on this node, by execution, so a cancel can interrupt a task mid-call. A cancel goes through
/// <see cref="INodeCoordination"/>: it interrupts the execution's task work on this node at once and on every other node when
/// the signal arrives there, wherever the task happens to run.
/// </summary>
public sealed class RunningTaskRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<CancellationTokenSource, byte>> byExecution = new(StringComparer.Ordinal);
    private readonly INodeCoordination coordination;
    private readonly IDisposable cancels;

    public RunningTaskRegistry(INodeCoordination coordination)
    {
        this.coordination = coordination;
        cancels = coordination.OnCancel(CancelHere);
    }

    public Registration Register(string executionId, CancellationToken outer)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        byExecution.GetOrAdd(executionId, _ => new()).TryAdd(source, 0);
        return new Registration(this, executionId, source);
    }

    /// <summary>Interrupts the task work of <paramref name="executionId"/> on every node.</summary>
    public void Cancel(string executionId) => coordination.PublishCancel(executionId);

    public void Dispose() => cancels.Dispose();

    private void CancelHere(string executionId)
    {
        if (byExecution.TryGetValue(executionId, out var sources))
        {
            foreach (var source in sources.Keys)
            {
                try
                {
                    source.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The task finished between the lookup and the cancel.
                }
            }
        }
    }

    public sealed class Registration(RunningTaskRegistry registry, string executionId, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            if (registry.byExecution.TryGetValue(executionId, out var sources))
            {
                sources.TryRemove(source, out _);
                if (sources.IsEmpty)
                {
                    registry.byExecution.TryRemove(executionId, out _);
                }
            }

            source.Dispose();
        }
    }
}
