using Microsoft.Data.Sqlite;

namespace Mizzen.Engine.Benchmarks.ListQueries;

/// <summary>
/// A proposed store change tried on the benchmark's own throw-away database: an index that lets a pipeline-name
/// filter walk only that pipeline's runs, newest first, instead of every run of the application.
/// </summary>
internal static class NameIndexExperiment
{
    public const string Index = "CREATE INDEX IF NOT EXISTS bench_executions_app_name ON executions(application, name COLLATE NOCASE, build_time DESC)";

    private const string NameQuery =
        "SELECT body FROM executions WHERE application = 'app' AND name = 'x' COLLATE NOCASE ORDER BY build_time DESC, id DESC LIMIT 50";

    public static string Plan(string folder)
    {
        using var connection = BenchServices.OpenFile(folder);
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + NameQuery;
        using var reader = command.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read())
        {
            steps.Add(reader.GetString(3));
        }

        return string.Join("; ", steps);
    }

    public static void CreateIndex(string folder)
    {
        using (var connection = BenchServices.OpenFile(folder))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Index + "; ANALYZE;";
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
    }
}
