using Microsoft.Data.Sqlite;
using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;

namespace Mizzen.Persistence.Sqlite;

/// <summary>Loads executions with their stages from a connection (inside or outside a transaction).</summary>
internal static class SqliteExecutionReader
{
    public static PipelineExecution? Load(SqliteConnection connection, SqliteTransaction? transaction, string id, Dictionary<string, string>? snapshot = null)
    {
        using var header = connection.CreateCommand();
        header.Transaction = transaction;
        header.CommandText = "SELECT body FROM executions WHERE id = $id";
        header.Parameters.AddWithValue("$id", id);
        if (header.ExecuteScalar() is not string body)
        {
            return null;
        }

        var execution = ExecutionSerializer.DeserializeHeader(body);
        snapshot?.Add("", body);
        using var stages = connection.CreateCommand();
        stages.Transaction = transaction;
        stages.CommandText = "SELECT id, ordinal, body FROM stages WHERE execution_id = $id ORDER BY ordinal";
        stages.Parameters.AddWithValue("$id", id);
        using var reader = stages.ExecuteReader();
        while (reader.Read())
        {
            var stageBody = reader.GetString(2);
            execution.Stages.Add(ExecutionSerializer.DeserializeStage(stageBody));
            snapshot?.Add(reader.GetString(0), reader.GetInt32(1) + ":" + stageBody);
        }

        return execution;
    }

    /// <summary>
    /// Loads many executions' stages in one query, keeping the order of <paramref name="executions"/>; without
    /// <paramref name="expand"/> SQLite drops each stage's context, outputs and tasks before the row leaves it.
    /// </summary>
    public static void AttachStages(SqliteConnection connection, IReadOnlyList<PipelineExecution> executions, bool expand)
    {
        if (executions.Count == 0)
        {
            return;
        }

        var byId = executions.ToDictionary(e => e.Id);
        using var command = connection.CreateCommand();
        var names = new List<string>();
        for (var i = 0; i < executions.Count; i++)
        {
            names.Add("$e" + i);
            command.Parameters.AddWithValue("$e" + i, executions[i].Id);
        }

        var body = expand ? "body" : "json_remove(body, '$.context', '$.outputs', '$.tasks')";
        command.CommandText = $"SELECT execution_id, {body} FROM stages WHERE execution_id IN ({string.Join(',', names)}) ORDER BY execution_id, ordinal";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            byId[reader.GetString(0)].Stages.Add(ExecutionSerializer.DeserializeStage(reader.GetString(1)));
        }
    }
}
