using Mizzen.Testing;

namespace Mizzen.Persistence.Tests;

/// <summary>
/// The SQLite store's single writer serves callers waiting for an answer before the engine's background writes
/// (<see cref="StoreWritePriority"/>), first come first served within each, and never starves the background.
/// </summary>
public sealed class WritePriorityTests : IDisposable
{
    private readonly SqliteTestStore sqlite = new();

    public void Dispose() => sqlite.Dispose();

    private IStore Store => sqlite.Get<IStore>();

    /// <summary>Begins a write transaction as <paramref name="name"/>, records the order it got the writer, and commits.</summary>
    private Task WriteAsync(string name, bool background, List<string> order, CancellationToken cancellationToken = default)
    {
        using var scope = background ? StoreWritePriority.Background() : null;
        return Run();

        async Task Run()
        {
            await using var transaction = await Store.BeginAsync(cancellationToken);
            lock (order)
            {
                order.Add(name);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }
    }

    private static async Task UntilWaitingAsync(IEnumerable<Task> writes)
    {
        // The writes are queued behind the held transaction: none can have finished.
        await Task.Yield();
        writes.ShouldAllBe(t => !t.IsCompleted);
    }

    [Fact]
    public async Task A_waiting_foreground_write_goes_before_background_writes_that_waited_longer()
    {
        var order = new List<string>();
        var holder = await Store.BeginAsync(CancellationToken.None);
        var writes = new List<Task>
        {
            WriteAsync("engine-1", background: true, order),
            WriteAsync("engine-2", background: true, order),
            WriteAsync("webhook-1", background: false, order),
            WriteAsync("engine-3", background: true, order),
            WriteAsync("webhook-2", background: false, order),
        };
        await UntilWaitingAsync(writes);

        await holder.DisposeAsync();
        await Task.WhenAll(writes);

        order.ShouldBe(["webhook-1", "webhook-2", "engine-1", "engine-2", "engine-3"]);
    }

    [Fact]
    public async Task Background_writes_are_not_starved_by_a_stream_of_foreground_writes()
    {
        var order = new List<string>();
        var holder = await Store.BeginAsync(CancellationToken.None);
        var writes = new List<Task> { WriteAsync("engine", background: true, order) };
        for (var i = 0; i < 20; i++)
        {
            writes.Add(WriteAsync($"api-{i}", background: false, order));
        }

        await UntilWaitingAsync(writes);
        await holder.DisposeAsync();
        await Task.WhenAll(writes);

        // The engine's write waited behind a bounded burst of foreground ones, not behind all twenty.
        order.IndexOf("engine").ShouldBeInRange(1, 10);
        order.Where(n => n.StartsWith("api-", StringComparison.Ordinal)).ShouldBe(Enumerable.Range(0, 20).Select(i => $"api-{i}"));
    }

    [Fact]
    public async Task A_canceled_waiter_gives_up_its_place_and_the_writer_still_passes_to_the_next()
    {
        var order = new List<string>();
        var holder = await Store.BeginAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var canceled = WriteAsync("canceled", background: false, order, cancel.Token);
        var next = WriteAsync("next", background: true, order);
        await UntilWaitingAsync([canceled, next]);

        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(canceled);
        await holder.DisposeAsync();
        await next;

        order.ShouldBe(["next"]);
        await using var after = await Store.BeginAsync(CancellationToken.None); // the writer is free again
        await after.CommitAsync(CancellationToken.None);
    }
}
