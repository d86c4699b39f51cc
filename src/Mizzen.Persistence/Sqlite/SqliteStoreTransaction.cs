using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Queue;

namespace Mizzen.Persistence.Sqlite;

/// <summary>
/// A write transaction. Executions loaded or added are tracked with a snapshot of their stored rows; at commit
/// each row is serialized again and written only if it changed, so handlers never track dirtiness by hand.
/// </summary>
internal sealed class SqliteStoreTransaction(WriteScope scope, SqliteMessageQueue queue, TimeProvider time) : IStoreTransaction
{
    private readonly Dictionary<string, Tracked> tracked = new(StringComparer.Ordinal);
    private readonly List<string> deleted = [];
    private readonly List<OutgoingMessage> pushed = [];
    private readonly List<(string Collection, string Key, string Body, string SavedBy)> documents = [];
    private readonly List<QueueMessage> acked = [];
    private readonly List<Audit.AuditRecord> audits = [];

    public Task<PipelineExecution?> LoadExecutionAsync(string id, CancellationToken cancellationToken)
    {
        if (tracked.TryGetValue(id, out var existing))
        {
            return Task.FromResult<PipelineExecution?>(existing.Execution);
        }

        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal);
        var execution = SqliteExecutionReader.Load(scope.Connection, scope.Transaction, id, snapshot);
        if (execution is not null)
        {
            tracked[id] = new Tracked(execution, snapshot);
        }

        return Task.FromResult(execution);
    }

    public void AddExecution(PipelineExecution execution) =>
        tracked[execution.Id] = new Tracked(execution, new Dictionary<string, string>(StringComparer.Ordinal));

    public void DeleteExecution(string id)
    {
        tracked.Remove(id);
        deleted.Add(id);
    }

    public Task<string?> FindByCorrelationIdAsync(string correlationId, CancellationToken cancellationToken)
    {
        using var command = scope.Command("SELECT id FROM executions WHERE correlation_id = $c");
        command.Parameters.AddWithValue("$c", correlationId);
        return Task.FromResult(command.ExecuteScalar() as string);
    }

    public void Push(OutgoingMessage message) => pushed.Add(message);

    public void PutDocument(string collection, string key, string body, string savedBy) => documents.Add((collection, key, body, savedBy));

    public void Ack(QueueMessage message) => acked.Add(message);

    public void AppendAudit(Audit.AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        audits.Add(record);
    }

    public Task<int> CountActiveAsync(string pipelineConfigId, string exceptId, CancellationToken cancellationToken)
    {
        // Tracked executions may have changed status in this transaction without being written yet.
        var trackedIds = tracked.Keys.ToHashSet(StringComparer.Ordinal);
        var active = tracked.Values.Count(t => t.Execution.PipelineConfigId == pipelineConfigId && t.Execution.Id != exceptId
                                               && t.Execution.Status is ExecutionStatus.Running or ExecutionStatus.Paused);
        using var command = scope.Command("SELECT id FROM executions WHERE config_id = $c AND status IN ('RUNNING','PAUSED') AND id <> $id");
        command.Parameters.AddWithValue("$c", pipelineConfigId);
        command.Parameters.AddWithValue("$id", exceptId);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (!trackedIds.Contains(reader.GetString(0)))
            {
                active++;
            }
        }

        return Task.FromResult(active);
    }

    public void EnqueuePending(string pipelineConfigId, string executionId, string kind, string payload)
    {
        using var command = scope.Command("INSERT INTO pending_executions (config_id, execution_id, kind, payload) VALUES ($c, $e, $k, $p)");
        command.Parameters.AddWithValue("$c", pipelineConfigId);
        command.Parameters.AddWithValue("$e", executionId);
        command.Parameters.AddWithValue("$k", kind);
        command.Parameters.AddWithValue("$p", payload);
        command.ExecuteNonQuery();
    }

    public Task<IReadOnlyList<PendingEntry>> TakePendingAsync(string pipelineConfigId, bool all, CancellationToken cancellationToken)
    {
        var entries = new List<PendingEntry>();
        using (var command = scope.Command(
                   "SELECT id, config_id, execution_id, kind, payload FROM pending_executions WHERE config_id = $c ORDER BY id "
                   + (all ? "DESC" : "ASC LIMIT 1")))
        {
            command.Parameters.AddWithValue("$c", pipelineConfigId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                entries.Add(new PendingEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
            }
        }

        foreach (var entry in entries)
        {
            using var delete = scope.Command("DELETE FROM pending_executions WHERE id = $id");
            delete.Parameters.AddWithValue("$id", entry.Id);
            delete.ExecuteNonQuery();
        }

        return Task.FromResult<IReadOnlyList<PendingEntry>>(entries);
    }

    public Task CommitAsync(CancellationToken cancellationToken)
    {
        foreach (var message in acked)
        {
            if (!queue.Ack(scope, message))
            {
                throw new LeaseLostException(message);
            }
        }

        foreach (var id in deleted)
        {
            using var command = scope.Command("DELETE FROM stages WHERE execution_id = $id; DELETE FROM executions WHERE id = $id;");
            command.Parameters.AddWithValue("$id", id);
            command.ExecuteNonQuery();
        }

        foreach (var entry in tracked.Values)
        {
            Flush(entry);
        }

        foreach (var (collection, key, body, savedBy) in documents)
        {
            SqliteDocumentStore.Replace(scope, new Documents.StoredDocument(collection, key, 1, body, savedBy, DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds())));
        }

        SqliteAuditStore.Insert(scope, audits);
        var dueNow = false;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var message in pushed)
        {
            queue.Push(scope, message);
            dueNow |= message.DeliverAt <= now;
        }

        scope.Commit();
        if (dueNow)
        {
            queue.Signal();
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => scope.DisposeAsync();

    private void Flush(Tracked entry)
    {
        var execution = entry.Execution;
        var header = ExecutionSerializer.SerializeHeader(execution);
        if (!entry.Snapshot.TryGetValue("", out var oldHeader) || oldHeader != header)
        {
            using var command = scope.Command("""
                INSERT INTO executions (id, type, application, config_id, name, status, build_time, end_time, body, correlation_id)
                VALUES ($id, $type, $app, $config, $name, $status, $build, $end, $body, $correlation)
                ON CONFLICT(id) DO UPDATE SET status = excluded.status, end_time = excluded.end_time, body = excluded.body
                """);
            command.Parameters.AddWithValue("$id", execution.Id);
            command.Parameters.AddWithValue("$type", execution.Type == ExecutionType.Pipeline ? "PIPELINE" : "ORCHESTRATION");
            command.Parameters.AddWithValue("$app", execution.Application);
            command.Parameters.AddWithValue("$config", (object?)execution.PipelineConfigId ?? DBNull.Value);
            command.Parameters.AddWithValue("$name", (object?)execution.Name ?? DBNull.Value);
            command.Parameters.AddWithValue("$status", execution.Status.ToWireName());
            command.Parameters.AddWithValue("$build", execution.BuildTime ?? 0);
            command.Parameters.AddWithValue("$end", (object?)execution.EndTime ?? DBNull.Value);
            command.Parameters.AddWithValue("$body", header);
            command.Parameters.AddWithValue("$correlation", (object?)Core.Json.MizzenJson.AsString(execution.Trigger["correlationId"]) ?? DBNull.Value);
            command.ExecuteNonQuery();
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        for (var ordinal = 0; ordinal < execution.Stages.Count; ordinal++)
        {
            var stage = execution.Stages[ordinal];
            present.Add(stage.Id);
            var row = ordinal + ":" + ExecutionSerializer.SerializeStage(stage);
            if (entry.Snapshot.TryGetValue(stage.Id, out var old) && old == row)
            {
                continue;
            }

            using var command = scope.Command("""
                INSERT INTO stages (execution_id, id, ordinal, body) VALUES ($e, $id, $o, $body)
                ON CONFLICT(execution_id, id) DO UPDATE SET ordinal = excluded.ordinal, body = excluded.body
                """);
            command.Parameters.AddWithValue("$e", execution.Id);
            command.Parameters.AddWithValue("$id", stage.Id);
            command.Parameters.AddWithValue("$o", ordinal);
            command.Parameters.AddWithValue("$body", row[(row.IndexOf(':', StringComparison.Ordinal) + 1)..]);
            command.ExecuteNonQuery();
        }

        foreach (var removed in entry.Snapshot.Keys.Where(k => k.Length > 0 && !present.Contains(k)))
        {
            using var command = scope.Command("DELETE FROM stages WHERE execution_id = $e AND id = $id");
            command.Parameters.AddWithValue("$e", execution.Id);
            command.Parameters.AddWithValue("$id", removed);
            command.ExecuteNonQuery();
        }
    }

    private sealed record Tracked(PipelineExecution Execution, Dictionary<string, string> Snapshot);
}

