using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;
using Npgsql;

namespace Mizzen.Persistence.Postgres;

/// <summary>Reads of stored executions (no locks: readers never wait for handlers), and retention's deletes.</summary>
internal sealed class PostgresExecutionStore(PostgresDatabase database) : IExecutionStore
{
    public async Task<PipelineExecution?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await PostgresExecutionReader.LoadAsync(connection, null, id, forUpdate: false, snapshot: null, cancellationToken);
    }

    public async Task<IReadOnlyList<PipelineExecution>> ListAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit, 1, 1000);
        var values = new List<object?>();
        var where = Filters(query, values);
        string sql;
        if (query.LimitPerPipeline && query.Application is not null && query.PipelineConfigIds is null && query.PipelineName is null)
        {
            // The newest runs of each of the application's pipeline configs (index executions_config_time), in one statement.
            values.Add(limit);
            var limitParameter = "$" + values.Count;
            values.Add(query.Application.ToLowerInvariant());
            var appParameter = "$" + values.Count;
            sql = $"""
                SELECT e.body FROM pipeline_configs c
                CROSS JOIN LATERAL (
                    SELECT build_time, id, body FROM executions
                    WHERE config_id = c.id{string.Concat(where.Select(w => " AND " + w))}
                    ORDER BY build_time DESC, id DESC LIMIT {limitParameter}) e
                WHERE c.application = {appParameter}
                ORDER BY e.build_time DESC, e.id DESC
                """;
        }
        else
        {
            values.Add(limit);
            sql = "SELECT body FROM executions"
                  + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
                  + $" ORDER BY build_time DESC, id DESC LIMIT ${values.Count}";
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var result = new List<PipelineExecution>();
        await using (var command = PostgresSql.Command(connection, null, sql, [.. values]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(ExecutionSerializer.DeserializeHeader(reader.GetString(0)));
            }
        }

        await PostgresExecutionReader.AttachStagesAsync(connection, result, query.Expand, cancellationToken);
        return result;
    }

    /// <summary>The WHERE conditions of a query (SQLite's, with <c>lower(name)</c> for its NOCASE name match).</summary>
    private static List<string> Filters(ExecutionQuery query, List<object?> values)
    {
        var where = new List<string>();
        string Bind(object? value)
        {
            values.Add(value);
            return "$" + values.Count;
        }

        if (query.Application is not null)
        {
            where.Add("application = " + Bind(query.Application));
        }

        if (query.Type is { } type)
        {
            where.Add("type = " + Bind(type == ExecutionType.Pipeline ? "PIPELINE" : "ORCHESTRATION"));
        }

        if (query.PipelineName is not null)
        {
            where.Add("lower(name) = lower(" + Bind(query.PipelineName) + ")");
        }

        if (query.PipelineConfigIds is { Count: > 0 } configIds)
        {
            where.Add("config_id = ANY(" + Bind(configIds.ToArray()) + ")");
        }

        if (query.Statuses is { Count: > 0 } statuses)
        {
            where.Add("status = ANY(" + Bind(statuses.Select(s => s.ToWireName()).ToArray()) + ")");
        }

        if (query.Before is not null)
        {
            where.Add("(build_time, id) < (SELECT b.build_time, b.id FROM executions b WHERE b.id = " + Bind(query.Before) + ")");
        }

        return where;
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null, "SELECT COUNT(*) FROM executions");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null, "SELECT status, COUNT(*)::int FROM executions GROUP BY status");
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetString(0)] = reader.GetInt32(1);
        }

        return result;
    }

    /// <summary>
    /// SQLite's rule in one statement: per pipeline (per application and type for orchestrations), the newest
    /// <paramref name="keepPerPipeline"/> finished runs by build time stay; older finished runs that ended before the cutoff go.
    /// </summary>
    public async Task<int> DeleteFinishedAsync(long endedBefore, int keepPerPipeline, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null, """
            WITH doomed AS (
                SELECT id FROM (
                    SELECT id, end_time,
                           ROW_NUMBER() OVER (PARTITION BY COALESCE(config_id, application || '/' || type) ORDER BY build_time DESC) AS rn
                    FROM executions WHERE end_time IS NOT NULL) ranked
                WHERE rn > $1 AND end_time < $2
                LIMIT $3),
            gone_stages AS (DELETE FROM stages WHERE execution_id IN (SELECT id FROM doomed)),
            gone AS (DELETE FROM executions WHERE id IN (SELECT id FROM doomed) RETURNING id)
            SELECT COUNT(*)::int FROM gone
            """, keepPerPipeline, endedBefore, max);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
