using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Mizzen.Persistence.Coordination;

/// <summary>One node (SQLite): signals are callbacks in this process and a leader lock is an in-process semaphore.</summary>
public sealed class InProcessCoordination(IOptions<NodeOptions> options) : INodeCoordination
{
    private readonly Callbacks<Action> wakeUps = new();
    private readonly Callbacks<Action<string>> cancels = new();
    private readonly Callbacks<Action<string, string>> changes = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new(StringComparer.Ordinal);

    public string NodeId { get; } = options.Value.Id;

    public void SignalMessagesAvailable()
    {
        foreach (var callback in wakeUps.Current)
        {
            callback();
        }
    }

    public IDisposable OnMessagesAvailable(Action callback) => wakeUps.Add(callback);

    public void PublishCancel(string executionId)
    {
        foreach (var callback in cancels.Current)
        {
            callback(executionId);
        }
    }

    public IDisposable OnCancel(Action<string> callback) => cancels.Add(callback);

    public void PublishExecutionChanged(string executionId, string application)
    {
        foreach (var callback in changes.Current)
        {
            callback(executionId, application);
        }
    }

    public IDisposable OnExecutionChanged(Action<string, string> callback) => changes.Add(callback);

    public async Task RunAsLeaderAsync(string name, Func<CancellationToken, Task> work, TimeSpan retryInterval, CancellationToken stoppingToken)
    {
        var gate = locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        try
        {
            await gate.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            await work(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A copy-on-write list of callbacks: publishing never takes a lock.</summary>
    internal sealed class Callbacks<T>
        where T : class
    {
        private readonly Lock gate = new();
        private T[] current = [];

        public T[] Current => Volatile.Read(ref current);

        public IDisposable Add(T callback)
        {
            lock (gate)
            {
                current = [.. current, callback];
            }

            return new Subscription(this, callback);
        }

        private void Remove(T callback)
        {
            lock (gate)
            {
                var index = Array.IndexOf(current, callback);
                if (index >= 0)
                {
                    current = [.. current[..index], .. current[(index + 1)..]];
                }
            }
        }

        private sealed class Subscription(Callbacks<T> owner, T callback) : IDisposable
        {
            private int disposed;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref disposed, 1) == 0)
                {
                    owner.Remove(callback);
                }
            }
        }
    }
}
