using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Mizzen.Engine.Benchmarks.Throughput;

/// <summary>
/// The ceiling the engine is compared with: small durable write transactions on the same disk with the store's
/// pragmas (WAL, the same synchronous setting, temp_store=MEMORY), one INSERT per BEGIN IMMEDIATE ... COMMIT, on one connection.
/// </summary>
internal static class RawCommitBaseline
{
    public static double CommitsPerSecond(string folder, TimeSpan duration, string synchronous)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "raw.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=" + synchronous + "; PRAGMA busy_timeout=10000; PRAGMA temp_store=MEMORY;");
        Exec(connection, "CREATE TABLE IF NOT EXISTS raw (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, payload TEXT NOT NULL, at INTEGER NOT NULL)");
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO raw (kind, payload, at) VALUES ('startStage', $payload, $at)";
        var payload = insert.Parameters.Add("$payload", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        payload.Value = "{\"executionId\":\"01JBENCHBENCHBENCHBENCHBENC\",\"stageId\":\"01JBENCHBENCHBENCHBENCHBENC\"}";
        var commits = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            insert.Transaction = transaction;
            at.Value = commits;
            insert.ExecuteNonQuery();
            transaction.Commit();
            commits++;
        }

        var rate = commits / clock.Elapsed.TotalSeconds;
        connection.Close();
        SqliteConnection.ClearAllPools();
        return rate;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
