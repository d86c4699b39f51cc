using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Errors;
using Mizzen.Persistence.Sqlite;

namespace Mizzen.Persistence.Migration;

/// <summary>
/// The SQLite store a migration copies from, opened the way a server opens it (the data folder's lock, then the store's own
/// start-up, which brings the schema to this version), and read in one read transaction so every table comes from one snapshot.
/// </summary>
internal sealed class SqliteMigrationSource : IDisposable
{
    private readonly DataFolderLock folderLock;
    private readonly ServiceProvider services;
    private readonly SqliteConnection connection;
    private readonly SqliteTransaction snapshot;

    private SqliteMigrationSource(DataFolderLock folderLock, ServiceProvider services, SqliteConnection connection)
    {
        this.folderLock = folderLock;
        this.services = services;
        this.connection = connection;
        snapshot = connection.BeginTransaction(deferred: true);
    }

    public static SqliteMigrationSource Open(StoreLocation location)
    {
        var folder = location.DataFolder;
        if (File.Exists(location.Value) && Path.GetFileName(location.Value) != "mizzen.db")
        {
            throw new StoreMigrationException($"--from: {location.Value} is not a Mizzen store: give the data folder or the mizzen.db file in it");
        }

        if (!File.Exists(Path.Combine(folder, "mizzen.db")))
        {
            throw new StoreMigrationException($"--from: there is no Mizzen store at {location.Value} (no mizzen.db in {folder})", ErrorKind.NotFound);
        }

        DataFolderLock folderLock;
        try
        {
            folderLock = DataFolderLock.Acquire(folder);
        }
        catch (DataFolderInUseException e)
        {
            throw new StoreMigrationException(
                $"--from: the data folder {folder} is in use by a running Mizzen server{(e.Pid is { } pid ? $" (pid {pid})" : "")}: stop it before migrating its store",
                ErrorKind.Conflict);
        }

        ServiceProvider? services = null;
        try
        {
            services = new ServiceCollection()
                .AddSqliteStore()
                .Configure<StorageOptions>(o => o.DataFolder = folder)
                .BuildServiceProvider();
            var connection = services.GetRequiredService<SqliteDatabase>().Open();
            return new SqliteMigrationSource(folderLock, services, connection);
        }
        catch
        {
            services?.Dispose();
            folderLock.Dispose();
            throw;
        }
    }

    public IReadOnlyList<string> Columns(string table)
    {
        using var command = Command($"SELECT name FROM pragma_table_info('{table}') ORDER BY cid");
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns.Count > 0
            ? columns
            : throw new StoreMigrationException($"--from: the store has no table {table}: it was written by a Mizzen this version does not know", ErrorKind.Conflict);
    }

    public long Count(string table, string? where = null) => Scalar($"SELECT COUNT(*) FROM \"{table}\"{(where is null ? "" : $" WHERE {where}")}");

    public long Scalar(string sql)
    {
        using var command = Command(sql);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Streams the rows of <paramref name="table"/> in key order to <paramref name="consume"/>: <paramref name="columns"/> as the target should hold them.</summary>
    public async Task<long> ReadAsync(MigrationTable table, IReadOnlyList<string> columns, Func<DbDataReader, Task<long>> consume)
    {
        var select = string.Join(", ", columns.Select(table.SourceExpression));
        using var command = Command($"SELECT {select} FROM \"{table.Name}\"{(table.Where is null ? "" : $" WHERE {table.Where}")} ORDER BY {table.OrderBy}");
        using var reader = command.ExecuteReader(System.Data.CommandBehavior.SequentialAccess);
        return await consume(reader);
    }

    public void Dispose()
    {
        snapshot.Dispose();
        connection.Dispose();
        services.Dispose();
        folderLock.Dispose();
    }

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = sql;
        return command;
    }
}
