using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mizzen.Persistence;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Postgres;
using Mizzen.Testing.Postgres;
using Shouldly;

namespace Mizzen.Orchestration.Tests.Engine;

/// <summary>
/// The engine's cancel registry and change feed go through <see cref="INodeCoordination"/>: what another node publishes
/// reaches this node's running tasks and live streams, and what this node publishes goes out to the others.
/// </summary>
public sealed class NodeCoordinationWiringTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public void A_cancel_arriving_from_another_node_interrupts_only_that_executions_task_work_here()
    {
        var coordination = new InProcessCoordination(Options.Create(new NodeOptions { Id = "here" }));
        using var registry = new Orchestration.Engine.RunningTaskRegistry(coordination);
        var published = new List<string>();
        using var outbound = coordination.OnCancel(published.Add);
        using var first = registry.Register("exec-1", CancellationToken.None);
        using var second = registry.Register("exec-2", CancellationToken.None);

        coordination.PublishCancel("exec-1"); // what the listener does when another node cancels exec-1

        first.Token.IsCancellationRequested.ShouldBeTrue();
        second.Token.IsCancellationRequested.ShouldBeFalse();

        registry.Cancel("exec-2");

        second.Token.IsCancellationRequested.ShouldBeTrue();
        published.ShouldBe(["exec-1", "exec-2"]); // the registry's own cancel goes out through the coordination too
    }

    [Fact]
    public void Changes_from_other_nodes_reach_matching_subscribers_and_missed_signals_make_single_run_streams_reread()
    {
        var coordination = new InProcessCoordination(Options.Create(new NodeOptions { Id = "here" }));
        using var events = new Orchestration.Engine.ExecutionEvents(coordination);
        using var run = events.Subscribe("exec-1", null);
        using var application = events.Subscribe(null, "shop");
        var published = new List<string>();
        using var outbound = coordination.OnExecutionChanged((id, _) => published.Add(id));

        coordination.PublishExecutionChanged("exec-1", "shop"); // arriving from another node
        coordination.PublishExecutionChanged("exec-2", "other");
        events.Publish("exec-3", "SHOP");
        coordination.PublishExecutionChanged("", ""); // the listener reconnected: signals may have been missed

        Drain(run).ShouldBe(["exec-1", "exec-1"]);
        Drain(application).ShouldBe(["exec-1", "exec-3"]);
        published.ShouldBe(["exec-1", "exec-2", "exec-3", ""]);
    }

    [Fact]
    public async Task On_postgresql_a_cancel_on_one_node_stops_task_work_on_another_and_a_stream_sees_another_nodes_run()
    {
        var database = await TestPostgres.CreateDatabaseAsync("wiring");
        await using var nodeA = await StartAsync(database, "node-a");
        await using var nodeB = await StartAsync(database, "node-b");
        using var registryA = new Orchestration.Engine.RunningTaskRegistry(nodeA);
        using var registryB = new Orchestration.Engine.RunningTaskRegistry(nodeB);
        using var eventsA = new Orchestration.Engine.ExecutionEvents(nodeA);
        using var eventsB = new Orchestration.Engine.ExecutionEvents(nodeB);
        using var streamOnA = eventsA.Subscribe("exec-on-b", null);
        using var taskOnB = registryB.Register("exec-on-b", CancellationToken.None);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStop = taskOnB.Token.Register(() => stopped.TrySetResult());

        eventsB.Publish("exec-on-b", "shop");
        using (var wait = new CancellationTokenSource(Deadline))
        {
            (await streamOnA.Changes.ReadAsync(wait.Token)).ShouldBe("exec-on-b");
        }

        registryA.Cancel("exec-on-b");
        await stopped.Task.WaitAsync(Deadline);
    }

    private static List<string> Drain(Orchestration.Engine.ExecutionEvents.Subscription subscription)
    {
        var ids = new List<string>();
        while (subscription.Changes.TryRead(out var id))
        {
            ids.Add(id);
        }

        return ids;
    }

    private static async Task<PostgresCoordination> StartAsync(string database, string id)
    {
        var node = new PostgresCoordination(
            Options.Create(new StorageOptions { Provider = "postgres", ConnectionString = database }),
            Options.Create(new NodeOptions { Id = id, ConnectionCheckInterval = TimeSpan.FromMilliseconds(200) }),
            TimeProvider.System,
            NullLogger<PostgresCoordination>.Instance);
        await node.StartAsync(CancellationToken.None).WaitAsync(Deadline);
        return node;
    }
}
