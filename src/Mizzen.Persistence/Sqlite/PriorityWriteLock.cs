namespace Mizzen.Persistence.Sqlite;

/// <summary>
/// The single SQLite writer's lock with two waiting lines: foreground writes (a caller waiting for an answer) are granted before
/// background ones (the engine's worker), each line first come first served. So that the engine is never starved, after
/// <see cref="ForegroundBurst"/> foreground grants in a row while background writes wait, one background write goes.
/// Small and hand-written: SemaphoreSlim has one line only.
/// </summary>
internal sealed class PriorityWriteLock
{
    internal const int ForegroundBurst = 8;

    private readonly Lock gate = new();
    private readonly Queue<TaskCompletionSource> foreground = new();
    private readonly Queue<TaskCompletionSource> background = new();
    private bool held;
    private int streak;

    public Task WaitAsync(bool isBackground, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource waiter;
        lock (gate)
        {
            if (!held)
            {
                held = true;
                return Task.CompletedTask;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (isBackground ? background : foreground).Enqueue(waiter);
        }

        if (!cancellationToken.CanBeCanceled)
        {
            return waiter.Task;
        }

        // A canceled waiter stays in its line, completed; Release skips it.
        var registration = cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
        return waiter.Task.ContinueWith(
            t =>
            {
                registration.Dispose();
                return t;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();
    }

    public void Release()
    {
        lock (gate)
        {
            while (Next() is { } waiter)
            {
                if (waiter.TrySetResult())
                {
                    return; // handed over: the lock stays held
                }
            }

            held = false;
            streak = 0;
        }
    }

    private TaskCompletionSource? Next()
    {
        if (foreground.Count > 0 && (background.Count == 0 || streak < ForegroundBurst))
        {
            streak = background.Count > 0 ? streak + 1 : 0;
            return foreground.Dequeue();
        }

        if (background.Count > 0)
        {
            streak = 0;
            return background.Dequeue();
        }

        return null;
    }
}
