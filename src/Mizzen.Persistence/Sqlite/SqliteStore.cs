namespace Mizzen.Persistence.Sqlite;

internal sealed class SqliteStore(SqliteDatabase database, SqliteMessageQueue queue, TimeProvider time) : IStore
{
    public async Task<IStoreTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        var scope = await database.BeginWriteAsync(cancellationToken);
        return new SqliteStoreTransaction(scope, queue, time);
    }
}
