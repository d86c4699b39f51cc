using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Mizzen.Orchestration.Tests.Migration;

/// <summary>Every row of a store's tables as text, read straight from the database files (not through Mizzen), for comparing two stores.</summary>
internal static class StoreRows
{
    /// <summary>The tables a store holds and the key each is read in order of.</summary>
    public static readonly (string Table, string Key)[] Tables =
    [
        ("applications", "name"), ("pipeline_configs", "id"), ("pipeline_config_revisions", "id, revision"), ("executions", "id"),
        ("stages", "execution_id, id"), ("pending_executions", "id"), ("queue", "id"), ("document_revisions", "collection, key, revision"),
        ("audit_log", "id"),
    ];

    public static IReadOnlyList<string> SqliteColumns(string databasePath, string table)
    {
        using var connection = OpenSqlite(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid";
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    public static List<string?[]> Sqlite(string databasePath, string table, string key)
    {
        using var connection = OpenSqlite(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Select(SqliteColumns(databasePath, table))} FROM \"{table}\" ORDER BY {key}";
        using var reader = command.ExecuteReader();
        return ReadAll(reader);
    }

    public static async Task<List<string?[]>> PostgresAsync(string connectionString, string table, string key, IReadOnlyList<string> columns)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT {Select(columns)} FROM \"{table}\" ORDER BY {key}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        return ReadAll(reader);
    }

    public static async Task<long> PostgresScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public static long SqliteScalar(string databasePath, string sql)
    {
        using var connection = OpenSqlite(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string Select(IReadOnlyList<string> columns) => string.Join(", ", columns.Select(c => $"\"{c}\""));

    private static SqliteConnection OpenSqlite(string databasePath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static List<string?[]> ReadAll(DbDataReader reader)
    {
        var rows = new List<string?[]>();
        while (reader.Read())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }
}
