using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;

namespace Mizzen.Persistence.Sqlite;

internal sealed class SqliteExecutionStore(SqliteDatabase database) : IExecutionStore
{
    public Task<PipelineExecution?> GetAsync(string id, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        return Task.FromResult(SqliteExecutionReader.Load(connection, null, id));
    }

    public Task<IReadOnlyList<PipelineExecution>> ListAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        var limit = Math.Clamp(query.Limit, 1, 1000);
        var rows = new List<(long BuildTime, string Id, string Body)>();
        if (query.LimitPerPipeline && query.Application is not null && query.PipelineConfigIds is null && query.PipelineName is null)
        {
            // Orca's way: the application's pipeline configs, then the newest runs of each (index executions_config_time).
            foreach (var configId in ConfigIds(connection, query.Application))
            {
                rows.AddRange(Select(connection, query with { PipelineConfigIds = [configId] }, limit));
            }

            rows = rows.OrderByDescending(r => r.BuildTime).ThenByDescending(r => r.Id, StringComparer.Ordinal).ToList();
        }
        else
        {
            rows = Select(connection, query, limit);
        }

        var result = rows.Select(r => ExecutionSerializer.DeserializeHeader(r.Body)).ToList();
        SqliteExecutionReader.AttachStages(connection, result, query.Expand);
        return Task.FromResult<IReadOnlyList<PipelineExecution>>(result);
    }

    private static List<string> ConfigIds(Microsoft.Data.Sqlite.SqliteConnection connection, string application)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM pipeline_configs WHERE application = $app";
        command.Parameters.AddWithValue("$app", application.ToLowerInvariant());
        var ids = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static List<(long BuildTime, string Id, string Body)> Select(Microsoft.Data.Sqlite.SqliteConnection connection, ExecutionQuery query, int limit)
    {
        using var command = connection.CreateCommand();
        var where = new List<string>();
        if (query.Application is not null)
        {
            where.Add("application = $app");
            command.Parameters.AddWithValue("$app", query.Application);
        }

        if (query.Type is { } type)
        {
            where.Add("type = $type");
            command.Parameters.AddWithValue("$type", type == ExecutionType.Pipeline ? "PIPELINE" : "ORCHESTRATION");
        }

        if (query.PipelineName is not null)
        {
            where.Add("name = $name COLLATE NOCASE");
            command.Parameters.AddWithValue("$name", query.PipelineName);
        }

        AddInList(command, where, "config_id", "$c", query.PipelineConfigIds);
        AddInList(command, where, "status", "$s", query.Statuses?.Select(s => s.ToWireName()).ToList());
        if (query.Before is not null)
        {
            where.Add("(build_time, id) < (SELECT build_time, id FROM executions WHERE id = $before)");
            command.Parameters.AddWithValue("$before", query.Before);
        }

        command.CommandText = "SELECT build_time, id, body FROM executions"
                              + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
                              + " ORDER BY build_time DESC, id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        var rows = new List<(long, string, string)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.IsDBNull(0) ? 0 : reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }

    public Task<int> CountAsync(CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM executions";
        return Task.FromResult(Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    public Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, COUNT(*) FROM executions GROUP BY status";
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result[reader.GetString(0)] = reader.GetInt32(1);
        }

        return Task.FromResult<IReadOnlyDictionary<string, int>>(result);
    }

    public async Task<int> DeleteFinishedAsync(long endedBefore, int keepPerPipeline, int max, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        using var command = scope.Command("""
            CREATE TEMP TABLE IF NOT EXISTS retention_doomed (id TEXT PRIMARY KEY);
            DELETE FROM retention_doomed;
            INSERT INTO retention_doomed (id)
              SELECT id FROM (
                SELECT id, end_time, ROW_NUMBER() OVER (PARTITION BY COALESCE(config_id, application || '/' || type) ORDER BY build_time DESC) AS rn
                FROM executions WHERE end_time IS NOT NULL)
              WHERE rn > $keep AND end_time < $cutoff
              LIMIT $batch;
            DELETE FROM stages WHERE execution_id IN (SELECT id FROM retention_doomed);
            DELETE FROM executions WHERE id IN (SELECT id FROM retention_doomed);
            SELECT COUNT(*) FROM retention_doomed;
            """);
        command.Parameters.AddWithValue("$keep", keepPerPipeline);
        command.Parameters.AddWithValue("$cutoff", endedBefore);
        command.Parameters.AddWithValue("$batch", max);
        var deleted = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        scope.Commit();
        return deleted;
    }

    private static void AddInList(Microsoft.Data.Sqlite.SqliteCommand command, List<string> where, string column, string prefix, IReadOnlyCollection<string>? values)
    {
        if (values is not { Count: > 0 })
        {
            return;
        }

        var names = values.Select((v, i) =>
        {
            command.Parameters.AddWithValue(prefix + i, v);
            return prefix + i;
        }).ToList();
        where.Add($"{column} IN ({string.Join(',', names)})");
    }
}
