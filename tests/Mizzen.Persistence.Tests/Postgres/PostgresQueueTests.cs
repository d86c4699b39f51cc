using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Persistence.Queue;
using Mizzen.Testing;
using Mizzen.Testing.Postgres;

namespace Mizzen.Persistence.Tests.Postgres;

/// <summary>The queue shared by several nodes: leases belong to nodes, and a message is never handled by two at once.</summary>
public sealed class PostgresQueueTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private PostgresNode a = null!;
    private PostgresNode b = null!;

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task InitializeAsync()
    {
        var database = await TestPostgres.CreateDatabaseAsync("queue");
        a = PostgresNode.Start(database, "node-a", clock);
        b = PostgresNode.Start(database, "node-b", clock);
    }

    public async Task DisposeAsync()
    {
        await a.DisposeAsync();
        await b.DisposeAsync();
    }

    [Fact]
    public async Task Two_nodes_claiming_at_once_never_get_the_same_message_and_together_get_all()
    {
        const int messages = 300;
        for (var i = 0; i < messages; i += 50)
        {
            await using var transaction = await a.Store.BeginAsync(CancellationToken.None);
            for (var j = i; j < i + 50; j++)
            {
                transaction.Push(new OutgoingMessage("test", $"{{\"n\":{j}}}", Now));
            }

            await transaction.CommitAsync(CancellationToken.None);
        }

        // Both nodes' pools are open before the start signal, so neither gets a head start.
        (await b.Queue.DepthAsync(CancellationToken.None)).ShouldBe(messages);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var byNode = new ConcurrentDictionary<string, ConcurrentBag<long>>();
        async Task ClaimUntilEmpty(string name, PostgresNode node)
        {
            var bag = byNode.GetOrAdd(name, _ => []);
            await go.Task;
            while (await node.Queue.ClaimAsync(3, Lease, CancellationToken.None) is { Count: > 0 } claimed)
            {
                foreach (var message in claimed)
                {
                    bag.Add(message.Id);
                }
            }
        }

        // Four claimers per node, all racing for the same rows.
        var claimers = Enumerable.Range(0, 4).SelectMany(_ => new[] { ClaimUntilEmpty("a", a), ClaimUntilEmpty("b", b) }).ToList();
        go.SetResult();
        await Task.WhenAll(claimers);

        var all = byNode.Values.SelectMany(bag => bag).ToList();
        all.Count.ShouldBe(messages);
        all.Distinct().Count().ShouldBe(messages, "no message was handed out twice");
        byNode["a"].ShouldNotBeEmpty();
        byNode["b"].ShouldNotBeEmpty();
    }

    [Fact]
    public async Task A_message_bound_to_a_node_is_claimed_only_by_that_node()
    {
        await a.PushAsync("{\"local\":1}", Now, node: "node-b");

        (await a.Queue.NextDeliveryAsync(CancellationToken.None)).ShouldBeNull();
        (await a.Queue.ClaimAsync(10, Lease, CancellationToken.None)).ShouldBeEmpty();
        (await b.Queue.NextDeliveryAsync(CancellationToken.None)).ShouldBe(Now);

        var claimed = (await b.Queue.ClaimAsync(10, Lease, CancellationToken.None)).Single();
        claimed.Payload.ShouldBe("{\"local\":1}");
        await b.AckAsync(claimed);
        (await a.Queue.DepthAsync(CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task Releasing_a_nodes_leases_at_its_restart_leaves_the_other_nodes_leases_alone()
    {
        await a.PushAsync("{\"m\":1}", Now);
        var ofA = (await a.Queue.ClaimAsync(1, Lease, CancellationToken.None)).Single();
        await a.PushAsync("{\"m\":2}", Now);
        var ofB = (await b.Queue.ClaimAsync(1, Lease, CancellationToken.None)).Single();

        await a.Queue.ReleaseNodeLeasesAsync(CancellationToken.None);

        // A's message is deliverable again (to anyone); B's is still B's.
        var again = (await b.Queue.ClaimAsync(10, Lease, CancellationToken.None)).Single();
        again.Id.ShouldBe(ofA.Id);
        await Should.ThrowAsync<LeaseLostException>(() => a.AckAsync(ofA));
        await b.AckAsync(ofB);
        await b.AckAsync(again);
        (await a.Queue.DepthAsync(CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task Releasing_a_lease_whose_twin_is_already_waiting_drops_the_leased_copy()
    {
        await a.PushAsync("{\"twin\":1}", Now);
        var leased = (await a.Queue.ClaimAsync(1, Lease, CancellationToken.None)).Single();
        await a.PushAsync("{\"twin\":1}", Now);
        var second = (await a.Queue.ClaimAsync(1, Lease, CancellationToken.None)).Single();
        await a.PushAsync("{\"twin\":1}", Now);
        (await a.Queue.DepthAsync(CancellationToken.None)).ShouldBe(3);

        await a.Queue.ReleaseNodeLeasesAsync(CancellationToken.None);

        (await a.Queue.DepthAsync(CancellationToken.None)).ShouldBe(1);
        var waiting = (await b.Queue.ClaimAsync(10, Lease, CancellationToken.None)).Single();
        waiting.Id.ShouldNotBe(leased.Id);
        waiting.Id.ShouldNotBe(second.Id);
    }

    [Fact]
    public async Task An_expired_lease_is_claimed_by_another_node_and_the_first_nodes_ack_then_fails()
    {
        await a.PushAsync("{\"slow\":1}", Now);
        var first = (await a.Queue.ClaimAsync(10, Lease, CancellationToken.None)).Single();
        (await b.Queue.ClaimAsync(10, Lease, CancellationToken.None)).ShouldBeEmpty();

        clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var taken = (await b.Queue.ClaimAsync(10, Lease, CancellationToken.None)).Single();
        taken.Id.ShouldBe(first.Id);
        taken.Attempts.ShouldBe(2);

        // The first node's handler commits its changes with the ack: all of it is rolled back.
        await using (var transaction = await a.Store.BeginAsync(CancellationToken.None))
        {
            transaction.Ack(first);
            transaction.Push(new OutgoingMessage("test", "{\"from\":\"a\"}", Now));
            var lost = await Should.ThrowAsync<LeaseLostException>(() => transaction.CommitAsync(CancellationToken.None));
            lost.QueueMessage.Id.ShouldBe(first.Id);
        }

        (await a.Queue.DepthAsync(CancellationToken.None)).ShouldBe(1, "the lost handler's push was rolled back");
        await b.AckAsync(taken);
        (await a.Queue.DepthAsync(CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task Extending_a_lease_keeps_the_message_past_its_first_expiry_and_reports_a_lease_already_lost()
    {
        await a.PushAsync("{\"long\":1}", Now);
        await a.PushAsync("{\"long\":2}", Now);
        var held = await a.Queue.ClaimAsync(10, Lease, CancellationToken.None);
        held.Count.ShouldBe(2);

        clock.Advance(TimeSpan.FromSeconds(20));
        (await a.Queue.ExtendLeasesAsync([held[0]], Lease, CancellationToken.None)).ShouldBeEmpty();
        clock.Advance(TimeSpan.FromSeconds(20));

        // 40 s after the claim: the extended lease holds, the other one ran out and goes to B.
        var taken = (await b.Queue.ClaimAsync(10, Lease, CancellationToken.None)).Single();
        taken.Id.ShouldBe(held[1].Id);
        var lost = await a.Queue.ExtendLeasesAsync(held, Lease, CancellationToken.None);
        lost.Single().Id.ShouldBe(held[1].Id);

        await a.AckAsync(held[0]);
        await b.AckAsync(taken);
        (await a.Queue.DepthAsync(CancellationToken.None)).ShouldBe(0);
    }
}
