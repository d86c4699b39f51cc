using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Errors;
using Mizzen.Persistence.Postgres;
using Npgsql;

namespace Mizzen.Persistence.Migration;

/// <summary>
/// The PostgreSQL store a migration copies into, opened by the PostgreSQL backend's own start-up (its schema is created or
/// migrated exactly as a server's would be), then written in one transaction from the emptiness check to the last count, holding every
/// table in EXCLUSIVE mode (readers only) so no Mizzen node writes into it meanwhile. Rows go in with binary COPY, which streams.
/// Nothing is visible to anyone until <see cref="CommitAsync"/>; disposing without it leaves the target as it was.
/// </summary>
internal sealed class PostgresMigrationTarget : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;
    private readonly StoreLocation location;

    private PostgresMigrationTarget(StoreLocation location, ServiceProvider services, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        this.location = location;
        this.services = services;
        this.connection = connection;
        this.transaction = transaction;
    }

    /// <summary>Brings the schema to this Mizzen's, connects, begins the transaction and locks <paramref name="tables"/>.</summary>
    public static async Task<PostgresMigrationTarget> OpenAsync(StoreLocation location, IReadOnlyList<MigrationTable> tables, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddPostgresStore()
            .Configure<StorageOptions>(o =>
            {
                o.Provider = "postgres";
                o.ConnectionString = location.Value;
            })
            .BuildServiceProvider();
        NpgsqlConnection? connection = null;
        try
        {
            var database = services.GetRequiredService<PostgresDatabase>();
            try
            {
                await database.EnsureMigratedAsync(cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                throw new StoreMigrationException($"--to: {e.Message}", ErrorKind.Conflict, e);
            }

            connection = await database.OpenAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var target = new PostgresMigrationTarget(location, services, connection, transaction);
            foreach (var table in tables)
            {
                if (await target.ScalarAsync($"SELECT to_regclass('{table.Name}') IS NULL", cancellationToken) is true)
                {
                    throw new StoreMigrationException($"--to: {location} has no table {table.Name}: its schema is not this Mizzen's", ErrorKind.Conflict);
                }
            }

            await target.ExecuteAsync("SET LOCAL lock_timeout = '10s'", cancellationToken);
            try
            {
                await target.ExecuteAsync($"LOCK TABLE {string.Join(", ", tables.Select(t => Quote(t.Name)))} IN EXCLUSIVE MODE", cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                throw new StoreMigrationException($"--to: {location} is in use (its tables stayed locked for 10 s): stop the Mizzen nodes on it first", ErrorKind.Conflict, e);
            }

            return target;
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            await services.DisposeAsync();
            throw;
        }
    }

    /// <summary>Throws, naming each table that holds rows, unless every one of <paramref name="tables"/> is empty.</summary>
    public async Task EnsureEmptyAsync(IReadOnlyList<MigrationTable> tables, CancellationToken cancellationToken)
    {
        var occupied = new List<string>();
        foreach (var table in tables)
        {
            if (await ScalarAsync($"SELECT EXISTS (SELECT 1 FROM {Quote(table.Name)})", cancellationToken) is true)
            {
                occupied.Add($"{table.Name} ({await CountAsync(table.Name, cancellationToken)} rows)");
            }
        }

        if (occupied.Count > 0)
        {
            throw new StoreMigrationException(
                $"--to: {location} is not empty: {string.Join(", ", occupied)}; migrate into a new, empty database (nothing was written)",
                ErrorKind.Conflict);
        }
    }

    /// <summary>The target's columns of <paramref name="table"/> and their types (<c>information_schema</c>'s names: <c>text</c>, <c>bigint</c>, <c>jsonb</c>...).</summary>
    public async Task<IReadOnlyDictionary<string, string>> ColumnsAsync(string table, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = @table ORDER BY ordinal_position
            """);
        command.Parameters.AddWithValue("table", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns[reader.GetString(0)] = reader.GetString(1);
        }

        return columns;
    }

    /// <summary>Copies every row of <paramref name="rows"/> (its fields in the order of <paramref name="columns"/>) into <paramref name="table"/>.</summary>
    public async Task<long> CopyAsync(
        string table, IReadOnlyList<(string Name, string Type)> columns, DbDataReader rows, CancellationToken cancellationToken)
    {
        var copy = $"COPY {Quote(table)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
        long count = 0;
        while (await rows.ReadAsync(cancellationToken))
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                await PostgresColumnValues.WriteAsync(importer, rows.GetValue(i), columns[i].Type, table, columns[i].Name, cancellationToken);
            }

            count++;
        }

        await importer.CompleteAsync(cancellationToken);
        return count;
    }

    /// <summary>Moves each sequence behind a column of <paramref name="table"/> (identity or serial) past the largest id copied, so new rows do not collide.</summary>
    public async Task AdvanceSequencesAsync(string table, IEnumerable<string> columns, CancellationToken cancellationToken)
    {
        foreach (var column in columns)
        {
            await using var find = Command("SELECT pg_get_serial_sequence(@table, @column)");
            find.Parameters.AddWithValue("table", Quote(table));
            find.Parameters.AddWithValue("column", column);
            if (await find.ExecuteScalarAsync(cancellationToken) is string sequence)
            {
                await using var advance = Command(
                    $"SELECT setval(@sequence, COALESCE((SELECT MAX({Quote(column)}) FROM {Quote(table)}), 0) + 1, false)");
                advance.Parameters.AddWithValue("sequence", sequence);
                await advance.ExecuteScalarAsync(cancellationToken);
            }
        }
    }

    public async Task<long> CountAsync(string table, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync($"SELECT COUNT(*) FROM {Quote(table)}", cancellationToken), System.Globalization.CultureInfo.InvariantCulture);

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
        await services.DisposeAsync();
    }

    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlCommand Command(string sql) => new(sql, connection, transaction);
}
