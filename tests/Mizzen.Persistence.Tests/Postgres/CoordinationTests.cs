using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Postgres;
using Mizzen.Testing;
using Mizzen.Testing.Postgres;
using Npgsql;
using Shouldly;

namespace Mizzen.Persistence.Tests.Postgres;

/// <summary>
/// Two <see cref="PostgresCoordination"/> nodes on one real PostgreSQL database: signals cross between them, a node never hears
/// itself twice, leadership moves when the leader's lock connection is killed, node ids are exclusive, and the listener
/// survives losing its connection.
/// </summary>
public sealed class CoordinationTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_wake_up_a_cancel_and_a_change_published_on_one_node_reach_the_other()
    {
        var database = await TestPostgres.CreateDatabaseAsync("coord");
        await using var a = await StartAsync(database, "node-a");
        await using var b = await StartAsync(database, "node-b");
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var canceled = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var changed = new TaskCompletionSource<(string, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onWake = b.OnMessagesAvailable(() => woken.TrySetResult());
        using var onCancel = b.OnCancel(id => canceled.TrySetResult(id));
        using var onChange = b.OnExecutionChanged((id, app) => changed.TrySetResult((id, app)));

        a.SignalMessagesAvailable();
        a.PublishCancel("01JEXECUTION0000000000001");
        a.PublishExecutionChanged("01JEXECUTION0000000000002", "checkout");

        await woken.Task.WaitAsync(Deadline);
        (await canceled.Task.WaitAsync(Deadline)).ShouldBe("01JEXECUTION0000000000001");
        (await changed.Task.WaitAsync(Deadline)).ShouldBe(("01JEXECUTION0000000000002", "checkout"));
    }

    [Fact]
    public async Task A_node_runs_its_own_signals_once_at_once_and_skips_its_own_notifications()
    {
        var database = await TestPostgres.CreateDatabaseAsync("coord");
        await using var a = await StartAsync(database, "node-a");
        await using var b = await StartAsync(database, "node-b");
        var seenByA = new ConcurrentQueue<string>();
        var seenByB = new ConcurrentQueue<string>();
        using var onA = a.OnExecutionChanged((id, _) => seenByA.Enqueue(id));
        using var onB = b.OnExecutionChanged((id, _) => seenByB.Enqueue(id));
        var cancelsOnA = 0;
        using var onCancelA = a.OnCancel(_ => Interlocked.Increment(ref cancelsOnA));

        a.PublishExecutionChanged("mine", "app");
        a.PublishCancel("mine");
        seenByA.ShouldBe(["mine"]); // local subscribers run before Publish returns
        cancelsOnA.ShouldBe(1);

        // Once B heard A's notification it is committed; B's reply is committed after it, so A has read its own by the time
        // the reply arrives (a listener gets notifications in commit order).
        await Until(() => seenByB.Contains("mine"), "node-b to hear node-a's change");
        b.PublishExecutionChanged("reply", "app");
        await Until(() => seenByA.Contains("reply"), "node-a to hear node-b's reply");

        seenByA.ShouldBe(["mine", "reply"]);
        cancelsOnA.ShouldBe(1);
        seenByB.ShouldBe(["mine", "reply"]);
    }

    [Fact]
    public async Task A_burst_of_changes_larger_than_one_notification_payload_arrives_whole()
    {
        var database = await TestPostgres.CreateDatabaseAsync("coord");
        await using var a = await StartAsync(database, "node-a");
        await using var b = await StartAsync(database, "node-b");
        var seen = new ConcurrentDictionary<string, int>();
        using var onB = b.OnExecutionChanged((id, _) => seen.AddOrUpdate(id, 1, (_, n) => n + 1));
        var ids = Enumerable.Range(0, 3_000).Select(i => $"01JBURST{i:D18}").ToList();

        foreach (var id in ids)
        {
            a.PublishExecutionChanged(id, "application-with-a-long-name");
        }

        await Until(() => ids.All(seen.ContainsKey), "node-b to hear all 3000 changes (about 160 kB of ids, far above 8000 bytes)");
        seen.Count.ShouldBe(3_000);
        seen.Values.ShouldAllBe(n => n == 1);
    }

    [Fact]
    public async Task Only_one_node_leads_a_killed_lock_connection_cancels_its_work_and_another_node_takes_over_when_the_leader_is_gone()
    {
        var database = await TestPostgres.CreateDatabaseAsync("coord");
        await using var a = Node(database, "node-a", TimeProvider.System);
        var bClock = new RecordingTimeProvider();
        await using var b = Node(database, "node-b", bClock);
        var aLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aRuns = 0;
        using var stop = new CancellationTokenSource();
        using var aStop = new CancellationTokenSource();

        var aLoop = a.RunAsLeaderAsync("sweep", async leading =>
        {
            Interlocked.Increment(ref aRuns);
            aLeads.TrySetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, leading);
            }
            finally
            {
                aStopped.TrySetResult();
            }
        }, TimeSpan.FromMilliseconds(100), aStop.Token);
        await aLeads.Task.WaitAsync(Deadline);

        var bLoop = b.RunAsLeaderAsync("sweep", async leading =>
        {
            bLeads.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, leading);
        }, TimeSpan.FromSeconds(30), stop.Token);

        // Node b tries, finds the lock taken and waits its retry interval: three times over, it never runs the work.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            (await bClock.NextTimerAsync()).ShouldBe(TimeSpan.FromSeconds(30));
            bLeads.Task.IsCompleted.ShouldBeFalse();
            bClock.Advance(TimeSpan.FromSeconds(30));
        }

        // The leader's lock connection dies: its work is cancelled at once.
        (await TerminateAsync(database, "mizzen leader sweep node-a")).ShouldBe(1);
        await aStopped.Task.WaitAsync(Deadline);

        // Node a itself goes away (a live node whose connection merely dropped may take the lock again at once, which is fine):
        // node b takes over on its next retry.
        await aStop.CancelAsync();
        await aLoop.WaitAsync(Deadline);
        var takeOverBy = TimeProvider.System.GetUtcNow() + Deadline;
        while (!bLeads.Task.IsCompleted)
        {
            // Bounded: a test that cannot see the take-over fails instead of spinning until the run's hang timeout.
            TimeProvider.System.GetUtcNow().ShouldBeLessThan(takeOverBy, "node b should take over once node a is gone");
            await Task.WhenAny(bLeads.Task, bClock.NextTimerAsync()).WaitAsync(Deadline);
            bClock.Advance(TimeSpan.FromSeconds(30));
        }

        await stop.CancelAsync();
        await bLoop.WaitAsync(Deadline);
        aRuns.ShouldBeLessThanOrEqualTo(2, "a ran at most once more, in the moment between its connection's death and its stop");
    }

    [Fact]
    public async Task Work_that_returns_releases_the_lock_for_the_other_node()
    {
        var database = await TestPostgres.CreateDatabaseAsync("coord");
        await using var a = Node(database, "node-a", TimeProvider.System);
        await using var b = Node(database, "node-b", TimeProvider.System);
        var ran = new ConcurrentQueue<string>();

        await a.RunAsLeaderAsync("once", _ => { ran.Enqueue("a"); return Task.CompletedTask; }, TimeSpan.FromMilliseconds(50), CancellationToken.None)
            .WaitAsync(Deadline);
        await b.RunAsLeaderAsync("once", _ => { ran.Enqueue("b"); return Task.CompletedTask; }, TimeSpan.FromMilliseconds(50), CancellationToken.None)
            .WaitAsync(Deadline);

        ran.ShouldBe(["a", "b"]);
    }

    [Fact]
    public async Task A_second_node_with_the_same_id_is_refused_until_the_first_stops()
    {
        var database = await TestPostgres.CreateDatabaseAsync("coord");
        var first = await StartAsync(database, "same-node");

        await using (var second = Node(database, "same-node", TimeProvider.System))
        {
            var refused = await Should.ThrowAsync<ConflictException>(() => second.StartAsync(CancellationToken.None).WaitAsync(Deadline));
            refused.Message.ShouldContain("Mizzen:Node:Id");
            refused.Message.ShouldContain("'same-node'");
        }

        await using (var other = await StartAsync(database, "other-node"))
        {
            other.NodeId.ShouldBe("other-node");
        }

        await first.DisposeAsync();
        await using var again = await StartAsync(database, "same-node");
        again.NodeId.ShouldBe("same-node");
    }

    [Fact]
    public async Task The_listener_reconnects_after_its_connection_is_terminated_and_delivers_later_signals()
    {
        var database = await TestPostgres.CreateDatabaseAsync("coord");
        await using var a = await StartAsync(database, "node-a");
        await using var b = await StartAsync(database, "node-b");
        var resynced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var later = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onChange = b.OnExecutionChanged((id, _) =>
        {
            if (id.Length == 0)
            {
                resynced.TrySetResult();
            }
            else
            {
                later.TrySetResult(id);
            }
        });
        using var onWake = b.OnMessagesAvailable(() => woken.TrySetResult());

        (await TerminateAsync(database, "mizzen listen node-b")).ShouldBe(1);

        // Back on a new connection, b tells its subscribers that signals may have been missed, then hears new ones.
        await resynced.Task.WaitAsync(Deadline);
        await woken.Task.WaitAsync(Deadline);
        a.PublishExecutionChanged("after-the-drop", "app");
        (await later.Task.WaitAsync(Deadline)).ShouldBe("after-the-drop");
    }

    [Fact]
    public async Task A_missing_connection_string_or_a_bad_node_id_is_a_clear_error()
    {
        var noConnection = Should.Throw<ValidationException>(() => new PostgresCoordination(
            Options.Create(new StorageOptions { Provider = "postgres" }), Options.Create(new NodeOptions { Id = "n" }),
            TimeProvider.System, NullLogger<PostgresCoordination>.Instance));
        noConnection.Message.ShouldContain("Mizzen:Storage:ConnectionString");

        var database = await TestPostgres.CreateDatabaseAsync("coord");
        var badId = Should.Throw<ValidationException>(() => Node(database, "node\nwith a line break", TimeProvider.System));
        badId.Message.ShouldContain("Mizzen:Node:Id");
    }

    private static PostgresCoordination Node(string database, string id, TimeProvider time) => new(
        Options.Create(new StorageOptions { Provider = "postgres", ConnectionString = database }),
        Options.Create(new NodeOptions { Id = id, ConnectionCheckInterval = TimeSpan.FromMilliseconds(200) }),
        time,
        NullLogger<PostgresCoordination>.Instance);

    private static async Task<PostgresCoordination> StartAsync(string database, string id)
    {
        var node = Node(database, id, TimeProvider.System);
        await node.StartAsync(CancellationToken.None).WaitAsync(Deadline);
        return node;
    }

    /// <summary>Kills the sessions of one role (named by their application_name) from an admin connection; returns how many.</summary>
    private static async Task<int> TerminateAsync(string database, string applicationName)
    {
        await using var admin = new NpgsqlConnection(await TestPostgres.AdminConnectionStringAsync());
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2) killed",
            admin);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = new NpgsqlConnectionStringBuilder(database).Database });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = applicationName });
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    private static Task Until(Func<bool> condition, string what) => Until(() => Task.FromResult(condition()), what);

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Deadline;
        while (!await condition())
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"gave up after {Deadline.TotalSeconds} s waiting for {what}");
            }

#pragma warning disable RS0030 // polling a real PostgreSQL, which no test clock can advance
            await Task.Delay(TimeSpan.FromMilliseconds(20));
#pragma warning restore RS0030
        }
    }
}
