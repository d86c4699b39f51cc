using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Retention;
using Mizzen.Testing;
using Mizzen.Testing.Stores;

namespace Mizzen.Persistence.Tests;

public abstract class RetentionTests(StoreBackend backend) : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private StoreServices services = null!;

    public async Task InitializeAsync() => services = await StoreServices.CreateAsync(backend, clock);

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task Old_finished_runs_are_deleted_but_the_newest_five_of_each_pipeline_stay()
    {
        var store = services.Get<IStore>();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var transaction = await store.BeginAsync(CancellationToken.None))
        {
            for (var i = 0; i < 8; i++)
            {
                transaction.AddExecution(Run($"old-a-{i}", "a", now - TimeSpan.FromDays(40 - i).Ticks / TimeSpan.TicksPerMillisecond, finished: true));
            }

            transaction.AddExecution(Run("old-b", "b", now - TimeSpan.FromDays(60).Ticks / TimeSpan.TicksPerMillisecond, finished: true));
            transaction.AddExecution(Run("recent-a", "a", now - 1000, finished: true));
            transaction.AddExecution(Run("old-running-c", "c", now - TimeSpan.FromDays(90).Ticks / TimeSpan.TicksPerMillisecond, finished: false));
            await transaction.CommitAsync(CancellationToken.None);
        }

        var retention = services.Get<ExecutionRetention>();
        (await retention.RunOnceAsync(CancellationToken.None)).ShouldBe(4);

        var executions = services.Get<IExecutionStore>();
        var left = (await executions.ListAsync(new ExecutionQuery { Application = "app", Limit = 100 }, CancellationToken.None)).Select(e => e.Id).ToList();
        left.ShouldBe(["recent-a", "old-a-7", "old-a-6", "old-a-5", "old-a-4", "old-running-c", "old-b"], ignoreOrder: true);
        (await executions.GetAsync("old-a-0", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task A_backlog_larger_than_one_batch_is_deleted_in_several_short_transactions_in_one_pass()
    {
        var store = services.Get<IStore>();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var count = ExecutionRetention.BatchSize * 2 + 50;
        await using (var transaction = await store.BeginAsync(CancellationToken.None))
        {
            for (var i = 0; i < count; i++)
            {
                transaction.AddExecution(Run($"old-{i}", "a", now - TimeSpan.FromDays(40).Ticks / TimeSpan.TicksPerMillisecond + i, finished: true));
            }

            await transaction.CommitAsync(CancellationToken.None);
        }

        var retention = services.Get<ExecutionRetention>();
        (await retention.RunOnceAsync(CancellationToken.None)).ShouldBe(count - 5);

        var executions = services.Get<IExecutionStore>();
        (await executions.ListAsync(new ExecutionQuery { Application = "app", Limit = 100 }, CancellationToken.None)).Count.ShouldBe(5);
    }

    private static PipelineExecution Run(string id, string config, long at, bool finished) => new()
    {
        Id = id,
        Application = "app",
        PipelineConfigId = config,
        Status = finished ? ExecutionStatus.Succeeded : ExecutionStatus.Running,
        BuildTime = at,
        StartTime = at,
        EndTime = finished ? at + 1000 : null,
        Trigger = new JsonObject(),
        Stages = [new StageExecution { Id = id + "-s", RefId = "1", Type = "wait", Name = "w", Status = ExecutionStatus.Succeeded }],
    };
}

public sealed class RetentionTestsOnSqlite() : RetentionTests(StoreBackend.Sqlite);

public sealed class RetentionTestsOnPostgres() : RetentionTests(StoreBackend.Postgres);
