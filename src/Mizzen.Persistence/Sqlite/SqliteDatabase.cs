using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Mizzen.Persistence.Sqlite;

/// <summary>
/// The SQLite file (WAL). Writers are serialized in-process by an async lock (SQLite has one writer anyway, and
/// waiting on a lock is far cheaper than SQLite's sleep-and-retry busy handler), foreground writes before the engine's
/// (<see cref="StoreWritePriority"/>); readers open pooled connections.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    private readonly PriorityWriteLock writeLock = new();
    private readonly string connectionString;
    private readonly string synchronous;
    private SqliteConnection? writer;

    public SqliteDatabase(IOptions<StorageOptions> options)
    {
        var storage = options.Value;
        Directory.CreateDirectory(storage.DataFolder);
        synchronous = storage.Synchronous.ToUpperInvariant() is "FULL" or "EXTRA" or "OFF" ? storage.Synchronous.ToUpperInvariant() : "NORMAL";
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = storage.DatabasePath,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
        using var connection = Open();
        Exec(connection, "PRAGMA journal_mode=WAL;");
        SqliteSchema.Migrate(connection);
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        Exec(connection, $"PRAGMA synchronous={synchronous}; PRAGMA busy_timeout=10000; PRAGMA temp_store=MEMORY;");
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> holding the single writer connection inside BEGIN IMMEDIATE.</summary>
    public async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(StoreWritePriority.IsBackground, cancellationToken);
        try
        {
            writer ??= Open();
            var transaction = writer.BeginTransaction(deferred: false);
            return new WriteScope(writer, transaction, writeLock);
        }
        catch
        {
            writeLock.Release();
            throw;
        }
    }

    public void Dispose()
    {
        writer?.Dispose();
    }

    internal static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>An open write transaction on the writer connection; disposing rolls back unless committed, and releases the lock.</summary>
internal sealed class WriteScope(SqliteConnection connection, SqliteTransaction transaction, PriorityWriteLock writeLock) : IAsyncDisposable
{
    private bool done;

    public SqliteConnection Connection { get; } = connection;

    public SqliteTransaction Transaction { get; } = transaction;

    public SqliteCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }

    public void Commit()
    {
        Transaction.Commit();
        done = true;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            if (!done)
            {
                Transaction.Rollback();
            }

            Transaction.Dispose();
        }
        finally
        {
            writeLock.Release();
        }

        return ValueTask.CompletedTask;
    }
}
