using Microsoft.Extensions.Time.Testing;
using Mizzen.Persistence.Queue;
using Mizzen.Testing;
using Mizzen.Testing.Stores;

namespace Mizzen.Persistence.Tests;

public abstract class MessageQueueTests(StoreBackend backend) : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private StoreServices services = null!;
    private IMessageQueue queue = null!;
    private IStore store = null!;

    public async Task InitializeAsync()
    {
        services = await StoreServices.CreateAsync(backend, clock);
        queue = services.Get<IMessageQueue>();
        store = services.Get<IStore>();
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task PushAsync(string payload, long at)
    {
        await using var transaction = await store.BeginAsync(CancellationToken.None);
        transaction.Push(new OutgoingMessage("test", payload, at));
        await transaction.CommitAsync(CancellationToken.None);
    }

    [Fact]
    public async Task An_identical_waiting_message_is_stored_once_and_pushing_again_moves_its_delivery_time()
    {
        await PushAsync("{\"a\":1}", Now + 60_000);
        await PushAsync("{\"a\":1}", Now);

        (await queue.DepthAsync(CancellationToken.None)).ShouldBe(1);
        (await queue.ClaimAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_message_is_not_delivered_before_its_time()
    {
        await PushAsync("{\"later\":1}", Now + 5_000);
        (await queue.ClaimAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None)).ShouldBeEmpty();
        clock.Advance(TimeSpan.FromSeconds(5));
        (await queue.ClaimAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_leased_message_comes_back_when_its_worker_dies_and_the_lease_runs_out()
    {
        await PushAsync("{\"x\":1}", Now);
        var first = (await queue.ClaimAsync(10, TimeSpan.FromSeconds(30), CancellationToken.None)).Single();
        (await queue.ClaimAsync(10, TimeSpan.FromSeconds(30), CancellationToken.None)).ShouldBeEmpty();

        clock.Advance(TimeSpan.FromSeconds(31));
        var again = (await queue.ClaimAsync(10, TimeSpan.FromSeconds(30), CancellationToken.None)).Single();
        again.Id.ShouldBe(first.Id);
        again.Attempts.ShouldBe(2);
        again.LeaseToken.ShouldNotBe(first.LeaseToken);
    }

    [Fact]
    public async Task Acknowledging_with_a_lost_lease_rolls_back_the_whole_transaction()
    {
        await PushAsync("{\"x\":1}", Now);
        var stale = (await queue.ClaimAsync(10, TimeSpan.FromSeconds(1), CancellationToken.None)).Single();
        clock.Advance(TimeSpan.FromSeconds(2));
        _ = await queue.ClaimAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None);

        await using (var transaction = await store.BeginAsync(CancellationToken.None))
        {
            transaction.Ack(stale);
            transaction.Push(new OutgoingMessage("test", "{\"follow\":1}", Now));
            await Should.ThrowAsync<LeaseLostException>(() => transaction.CommitAsync(CancellationToken.None));
        }

        (await queue.DepthAsync(CancellationToken.None)).ShouldBe(1, "neither the ack nor the push may survive");
    }

    [Fact]
    public async Task Releasing_all_leases_at_start_makes_claimed_messages_deliverable_at_once()
    {
        await PushAsync("{\"x\":1}", Now);
        _ = await queue.ClaimAsync(10, TimeSpan.FromMinutes(5), CancellationToken.None);
        await queue.ReleaseNodeLeasesAsync(CancellationToken.None);
        (await queue.ClaimAsync(10, TimeSpan.FromMinutes(5), CancellationToken.None)).Count.ShouldBe(1);
    }
}

public sealed class MessageQueueTestsOnSqlite() : MessageQueueTests(StoreBackend.Sqlite);

public sealed class MessageQueueTestsOnPostgres() : MessageQueueTests(StoreBackend.Postgres);
