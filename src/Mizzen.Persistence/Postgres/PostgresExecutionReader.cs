using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;
using Npgsql;

namespace Mizzen.Persistence.Postgres;

/// <summary>Loads executions with their stages: the header and its stages in one round trip.</summary>
internal static class PostgresExecutionReader
{
    /// <summary>
    /// Loads one execution; with <paramref name="forUpdate"/> its row stays locked until the transaction ends, so handlers of
    /// the same execution on different nodes take turns. <paramref name="snapshot"/> receives the stored rows (header under "").
    /// </summary>
    public static async Task<PipelineExecution?> LoadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string id, bool forUpdate,
        Dictionary<string, string>? snapshot, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                PostgresSql.Statement("SELECT body FROM executions WHERE id = $1" + (forUpdate ? " FOR UPDATE" : ""), id),
                PostgresSql.Statement("SELECT id, ordinal, body FROM stages WHERE execution_id = $1 ORDER BY ordinal", id),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var body = reader.GetString(0);
        var execution = ExecutionSerializer.DeserializeHeader(body);
        snapshot?.Add("", body);
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var stageBody = reader.GetString(2);
            execution.Stages.Add(ExecutionSerializer.DeserializeStage(stageBody));
            snapshot?.Add(reader.GetString(0), reader.GetInt32(1) + ":" + stageBody);
        }

        return execution;
    }

    /// <summary>
    /// Loads many executions' stages in one query, keeping the order of <paramref name="executions"/>; without
    /// <paramref name="expand"/> the server drops each stage's context, outputs and tasks, so they are neither sent nor parsed.
    /// </summary>
    public static async Task AttachStagesAsync(NpgsqlConnection connection, IReadOnlyList<PipelineExecution> executions, bool expand, CancellationToken cancellationToken)
    {
        if (executions.Count == 0)
        {
            return;
        }

        var byId = executions.ToDictionary(e => e.Id, StringComparer.Ordinal);
        await using var command = PostgresSql.Command(connection, null,
            $"SELECT execution_id, {(expand ? "body" : "(body::jsonb - 'context' - 'outputs' - 'tasks')::text")} FROM stages WHERE execution_id = ANY($1) ORDER BY execution_id, ordinal",
            (object)executions.Select(e => e.Id).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            byId[reader.GetString(0)].Stages.Add(ExecutionSerializer.DeserializeStage(reader.GetString(1)));
        }
    }
}
