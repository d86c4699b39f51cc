using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Documents;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Postgres;
using Mizzen.Persistence.Queue;
using Npgsql;

namespace Mizzen.Persistence.Tests.Postgres;

/// <summary>
/// One Mizzen "node" for tests: the PostgreSQL store registered as the server registers it, under its own node id, on a
/// shared database and a shared test clock. Coordination is in-process (each node hears only itself): these tests are
/// about the store, and signals are hints anyway.
/// </summary>
internal sealed class PostgresNode : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    private PostgresNode(ServiceProvider provider) => this.provider = provider;

    public IStore Store => provider.GetRequiredService<IStore>();

    public IMessageQueue Queue => provider.GetRequiredService<IMessageQueue>();

    public IExecutionStore Executions => provider.GetRequiredService<IExecutionStore>();

    public IDocumentStore Documents => provider.GetRequiredService<IDocumentStore>();

    public static PostgresNode Start(string connectionString, string nodeId, TimeProvider clock)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(clock);
        services.Configure<StorageOptions>(o =>
        {
            o.Provider = "postgres";
            o.ConnectionString = connectionString;
        });
        services.Configure<NodeOptions>(o => o.Id = nodeId);
        services.AddSingleton<INodeCoordination, InProcessCoordination>();
        services.AddPostgresStore();
        return new PostgresNode(services.BuildServiceProvider());
    }

    public async Task PushAsync(string payload, long deliverAt, string? node = null)
    {
        await using var transaction = await Store.BeginAsync(CancellationToken.None);
        transaction.Push(new OutgoingMessage("test", payload, deliverAt, node));
        await transaction.CommitAsync(CancellationToken.None);
    }

    public async Task AckAsync(QueueMessage message)
    {
        await using var transaction = await Store.BeginAsync(CancellationToken.None);
        transaction.Ack(message);
        await transaction.CommitAsync(CancellationToken.None);
    }

    public async Task AddExecutionAsync(PipelineExecution execution)
    {
        await using var transaction = await Store.BeginAsync(CancellationToken.None);
        transaction.AddExecution(execution);
        await transaction.CommitAsync(CancellationToken.None);
    }

    public ValueTask DisposeAsync() => provider.DisposeAsync();

    public static PipelineExecution Execution(string id, string configId, ExecutionStatus status, long buildTime) => new()
    {
        Id = id,
        Application = "app",
        Name = "deploy",
        PipelineConfigId = configId,
        Status = status,
        BuildTime = buildTime,
    };

    /// <summary>
    /// Waits until <paramref name="count"/> sessions on the database wait for a lock: the evidence that a statement is blocked
    /// (rather than merely slow). Fails naming <paramref name="what"/> after 30 s.
    /// </summary>
    public static async Task WaitForLockWaitersAsync(string connectionString, int count, string what)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT COUNT(*)::int FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while ((int)(await command.ExecuteScalarAsync())! < count)
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }
    }
}
