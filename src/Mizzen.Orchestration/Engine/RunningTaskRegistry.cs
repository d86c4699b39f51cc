using System.Collections.Concurrent;

namespace Mizzen.Orchestration.Engine;

/// <summary>Task work in flight on this node, by execution, so a cancel can interrupt a task mid-call.</summary>
public sealed class RunningTaskRegistry
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<CancellationTokenSource, byte>> byExecution = new(StringComparer.Ordinal);

    public Registration Register(string executionId, CancellationToken outer)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        byExecution.GetOrAdd(executionId, _ => new()).TryAdd(source, 0);
        return new Registration(this, executionId, source);
    }

    public void Cancel(string executionId)
    {
        if (byExecution.TryGetValue(executionId, out var sources))
        {
            foreach (var source in sources.Keys)
            {
                source.Cancel();
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
