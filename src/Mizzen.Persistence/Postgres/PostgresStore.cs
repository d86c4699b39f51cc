using System.Data;
using Mizzen.Persistence.Coordination;

namespace Mizzen.Persistence.Postgres;

/// <summary>
/// Write transactions on PostgreSQL (READ COMMITTED). Unlike SQLite's, they run side by side, on this node and others:
/// an execution loaded in one is row-locked until it ends, and the concurrency-limit reads of a pipeline config take a
/// per-config advisory lock, so two transactions never act on the same execution or start past a limit at once.
/// </summary>
internal sealed class PostgresStore(PostgresDatabase database, INodeCoordination coordination, TimeProvider time) : IStore
{
    public async Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            return new PostgresStoreTransaction(connection, transaction, coordination, time);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
