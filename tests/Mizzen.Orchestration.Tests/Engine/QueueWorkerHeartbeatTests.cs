using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Tasks;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Queue;
using Mizzen.Testing.Stores;
using Npgsql;
using Shouldly;

namespace Mizzen.Orchestration.Tests.Engine;

/// <summary>
/// The worker renews the leases of messages it is still handling every third of the lease, so a handler that runs for many
/// leases keeps its message (no other worker takes it over), and the lease itself can stay short.
/// </summary>
public abstract class QueueWorkerHeartbeatTests(StoreBackend backend)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_task_running_for_many_leases_keeps_its_message_through_heartbeats_and_runs_once()
    {
        var gated = new GatedTask();
        await using var harness = await EngineHarness.CreateAsync(backend, services =>
        {
            services.AddSingleton<IStageDefinition>(new GatedStage());
            services.AddSingleton(gated);
        });
        var worker = new QueueWorker(
            harness.Services.GetRequiredService<IMessageQueue>(),
            harness.Services.GetRequiredService<INodeCoordination>(),
            harness.Services.GetRequiredService<MessageProcessor>(),
            Options.Create(new EngineOptions { Lease = Lease, ReleaseLeasesOnStart = false }),
            harness.Clock,
            NullLogger<QueueWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var execution = await harness.StartAsync("""{"stages":[{"refId":"1","type":"test.gated","name":"long"}]}""");
            await gated.Entered.Task.WaitAsync(TimeSpan.FromSeconds(15));
            var claimedUntil = await RunTaskLeaseAsync(harness) ?? throw new InvalidOperationException("the runTask message is not leased");

            // Nine heartbeats cover three leases: after each, the lease runs a full lease past the clock.
            for (var beat = 1; beat <= 9; beat++)
            {
                harness.Clock.Advance(Lease / 3);
                var expected = harness.Clock.GetUtcNow().ToUnixTimeMilliseconds() + (long)Lease.TotalMilliseconds;
                await Until(async () => await RunTaskLeaseAsync(harness) == expected, $"heartbeat {beat} to renew the lease to {expected}");
            }

            var now = harness.Clock.GetUtcNow().ToUnixTimeMilliseconds();
            now.ShouldBeGreaterThanOrEqualTo(claimedUntil + 2 * (long)Lease.TotalMilliseconds); // the first lease ran out long ago
            (await RunTaskLeaseAsync(harness) ?? 0).ShouldBeGreaterThan(now);
            gated.Gate.TrySetResult();
            await Until(async () => (await harness.GetAsync(execution.Id)).Status == ExecutionStatus.Succeeded, "the run to succeed");
            gated.Runs.ShouldBe(1);
        }
        finally
        {
            gated.Gate.TrySetResult();
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }
    }

    /// <summary>lease_until of the leased runTask message, read from the database itself.</summary>
    private static async Task<long?> RunTaskLeaseAsync(EngineHarness harness)
    {
        const string query = "SELECT lease_until FROM queue WHERE kind = 'runTask' AND lease_token IS NOT NULL";
        if (harness.Store.Backend == StoreBackend.Postgres)
        {
            await using var postgres = new NpgsqlConnection(harness.Store.ConnectionString);
            await postgres.OpenAsync();
            await using var read = new NpgsqlCommand(query, postgres);
            return await read.ExecuteScalarAsync() is long leased ? leased : null;
        }

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(harness.Folder, "mizzen.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = query;
        return await command.ExecuteScalarAsync() is long until ? until : null;
    }

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(15);
        while (!await condition())
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"gave up waiting for {what}");
            }

#pragma warning disable RS0030 // the worker runs on real threads; polling the store is the only way to see its heartbeat land
            await Task.Delay(TimeSpan.FromMilliseconds(10));
#pragma warning restore RS0030
        }
    }

    private sealed class GatedStage : IStageDefinition
    {
        public string Type => "test.gated";

        public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<GatedTask>("gated");
    }

    /// <summary>Runs until the test opens <see cref="Gate"/>, however far the clock moves.</summary>
    private sealed class GatedTask : ITask
    {
        private int runs;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Runs => Volatile.Read(ref runs);

        public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref runs);
            Entered.TrySetResult();
            await Gate.Task.WaitAsync(cancellationToken);
            return TaskResult.Succeeded();
        }
    }
}

public sealed class QueueWorkerHeartbeatTestsOnSqlite() : QueueWorkerHeartbeatTests(StoreBackend.Sqlite);

public sealed class QueueWorkerHeartbeatTestsOnPostgres() : QueueWorkerHeartbeatTests(StoreBackend.Postgres);
