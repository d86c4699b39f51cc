using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Model;
using Mizzen.Testing;
using Mizzen.Testing.Postgres;

namespace Mizzen.Persistence.Tests.Postgres;

/// <summary>Handler transactions on different nodes: one execution at a time, and no start past a concurrency limit.</summary>
public sealed class PostgresTransactionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private string database = "";
    private PostgresNode a = null!;
    private PostgresNode b = null!;

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task InitializeAsync()
    {
        database = await TestPostgres.CreateDatabaseAsync("tx");
        a = PostgresNode.Start(database, "node-a", clock);
        b = PostgresNode.Start(database, "node-b", clock);
    }

    public async Task DisposeAsync()
    {
        await a.DisposeAsync();
        await b.DisposeAsync();
    }

    [Fact]
    public async Task Two_nodes_loading_the_same_execution_take_turns_and_the_second_sees_the_first_ones_commit()
    {
        await a.AddExecutionAsync(PostgresNode.Execution("e1", "config", ExecutionStatus.NotStarted, Now));

        await using var first = await a.Store.BeginAsync(CancellationToken.None);
        var mine = (await first.LoadExecutionAsync("e1", CancellationToken.None))!;

        await using var second = await b.Store.BeginAsync(CancellationToken.None);
        var waiting = second.LoadExecutionAsync("e1", CancellationToken.None);
        await PostgresNode.WaitForLockWaitersAsync(database, 1, "node b's load to wait for node a's row lock");
        waiting.IsCompleted.ShouldBeFalse();

        mine.Status = ExecutionStatus.Running;
        mine.StartTime = Now;
        await first.CommitAsync(CancellationToken.None);

        var theirs = (await waiting)!;
        theirs.Status.ShouldBe(ExecutionStatus.Running);
        theirs.StartTime.ShouldBe(Now);
    }

    [Fact]
    public async Task Reads_outside_a_transaction_do_not_wait_for_a_locked_execution()
    {
        await a.AddExecutionAsync(PostgresNode.Execution("e1", "config", ExecutionStatus.Running, Now));
        await using var holder = await a.Store.BeginAsync(CancellationToken.None);
        await holder.LoadExecutionAsync("e1", CancellationToken.None);

        (await b.Executions.GetAsync("e1", CancellationToken.None))!.Status.ShouldBe(ExecutionStatus.Running);
    }

    [Fact]
    public async Task Transactions_racing_to_start_runs_of_a_pipeline_limited_to_one_start_exactly_one()
    {
        const int racers = 8;
        var started = 0;
        await Task.WhenAll(Enumerable.Range(0, racers).Select(async i =>
        {
            var node = i % 2 == 0 ? a : b;
            await using var transaction = await node.Store.BeginAsync(CancellationToken.None);
            var execution = PostgresNode.Execution($"run-{i}", "limited", ExecutionStatus.NotStarted, Now + i);
            transaction.AddExecution(execution);
            if (await transaction.CountActiveAsync("limited", execution.Id, CancellationToken.None) == 0)
            {
                execution.Status = ExecutionStatus.Running;
                Interlocked.Increment(ref started);
            }
            else
            {
                transaction.EnqueuePending("limited", execution.Id, "startExecution", $"{{\"id\":\"{execution.Id}\"}}");
            }

            await transaction.CommitAsync(CancellationToken.None);
        }));

        started.ShouldBe(1);
        var running = await a.Executions.ListAsync(
            new Executions.ExecutionQuery { PipelineConfigIds = ["limited"], Statuses = [ExecutionStatus.Running] }, CancellationToken.None);
        running.Count.ShouldBe(1);

        await using var drain = await b.Store.BeginAsync(CancellationToken.None);
        var pending = await drain.TakePendingAsync("limited", all: true, CancellationToken.None);
        pending.Count.ShouldBe(racers - 1);
        pending.Select(p => p.Id).ShouldBeInOrder(SortDirection.Descending);
        await drain.CommitAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_second_limit_check_waits_until_the_first_transaction_ends_then_counts_its_start()
    {
        await using var first = await a.Store.BeginAsync(CancellationToken.None);
        (await first.CountActiveAsync("limited", "run-1", CancellationToken.None)).ShouldBe(0);

        await using var second = await b.Store.BeginAsync(CancellationToken.None);
        var count = second.CountActiveAsync("limited", "run-2", CancellationToken.None);
        await PostgresNode.WaitForLockWaitersAsync(database, 1, "node b's limit check to wait for node a's config lock");
        count.IsCompleted.ShouldBeFalse();

        first.AddExecution(PostgresNode.Execution("run-1", "limited", ExecutionStatus.Running, Now));
        await first.CommitAsync(CancellationToken.None);

        (await count).ShouldBe(1);
    }
}
