using Mizzen.Core.Model;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Queue;
using Npgsql;

namespace Mizzen.Persistence.Postgres;

/// <summary>
/// A write transaction on its own connection. Executions loaded are locked (<c>FOR UPDATE</c>) and tracked with a snapshot
/// of their stored rows; at commit every changed row, the acks, pushes and pending starts go to the server in one batch,
/// then COMMIT: a handler costs a few round trips however many stages it touched. An ack whose lease token no longer
/// matches (another node re-claimed the message) rolls everything back with <see cref="LeaseLostException"/>.
/// </summary>
internal sealed class PostgresStoreTransaction(
    NpgsqlConnection connection, NpgsqlTransaction transaction, INodeCoordination coordination, TimeProvider time)
    : IStoreTransaction
{
    private readonly Dictionary<string, Tracked> tracked = new(StringComparer.Ordinal);
    private readonly List<string> deleted = [];
    private readonly List<OutgoingMessage> pushed = [];
    private readonly List<Documents.StoredDocument> documents = [];
    private readonly List<QueueMessage> acked = [];
    private readonly List<Audit.AuditRecord> audits = [];
    private readonly List<NpgsqlBatchCommand> pendingInserts = [];
    private bool completed;

    public async Task<PipelineExecution?> LoadExecutionAsync(string id, CancellationToken cancellationToken)
    {
        if (tracked.TryGetValue(id, out var existing))
        {
            return existing.Execution;
        }

        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal);
        var execution = await PostgresExecutionReader.LoadAsync(connection, transaction, id, forUpdate: true, snapshot, cancellationToken);
        if (execution is not null)
        {
            tracked[id] = new Tracked(execution, snapshot);
        }

        return execution;
    }

    public void AddExecution(PipelineExecution execution) =>
        tracked[execution.Id] = new Tracked(execution, new Dictionary<string, string>(StringComparer.Ordinal));

    public void DeleteExecution(string id)
    {
        tracked.Remove(id);
        deleted.Add(id);
    }

    public async Task<string?> FindByCorrelationIdAsync(string correlationId, CancellationToken cancellationToken)
    {
        await using var command = PostgresSql.Command(connection, transaction, "SELECT id FROM executions WHERE correlation_id = $1", correlationId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public void Push(OutgoingMessage message) => pushed.Add(message);

    public void PutDocument(string collection, string key, string body, string savedBy) =>
        documents.Add(new Documents.StoredDocument(collection, key, 1, body, savedBy, DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds())));

    public void Ack(QueueMessage message) => acked.Add(message);

    public void AppendAudit(Audit.AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        audits.Add(record);
    }

    public async Task<int> CountActiveAsync(string pipelineConfigId, string exceptId, CancellationToken cancellationToken)
    {
        // Tracked executions may have changed status in this transaction without being written yet.
        var trackedIds = tracked.Keys.ToHashSet(StringComparer.Ordinal);
        var active = tracked.Values.Count(t => t.Execution.PipelineConfigId == pipelineConfigId && t.Execution.Id != exceptId
                                               && t.Execution.Status is ExecutionStatus.Running or ExecutionStatus.Paused);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                LockConfig(pipelineConfigId),
                PostgresSql.Statement(
                    "SELECT id FROM executions WHERE config_id = $1 AND status IN ('RUNNING','PAUSED') AND id <> $2", pipelineConfigId, exceptId),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!trackedIds.Contains(reader.GetString(0)))
            {
                active++;
            }
        }

        return active;
    }

    /// <summary>Written with the commit's batch (or before the next <see cref="TakePendingAsync"/>), under the config's lock.</summary>
    public void EnqueuePending(string pipelineConfigId, string executionId, string kind, string payload)
    {
        pendingInserts.Add(LockConfig(pipelineConfigId));
        pendingInserts.Add(PostgresSql.Statement(
            "INSERT INTO pending_executions (config_id, execution_id, kind, payload) VALUES ($1, $2, $3, $4)",
            pipelineConfigId, executionId, kind, payload));
    }

    public async Task<IReadOnlyList<PendingEntry>> TakePendingAsync(string pipelineConfigId, bool all, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        TakePendingInserts(batch);
        batch.BatchCommands.Add(LockConfig(pipelineConfigId));
        batch.BatchCommands.Add(PostgresSql.Statement(all
            ? "DELETE FROM pending_executions WHERE config_id = $1 RETURNING id, config_id, execution_id, kind, payload"
            : """
              DELETE FROM pending_executions
              WHERE id = (SELECT id FROM pending_executions WHERE config_id = $1 ORDER BY id LIMIT 1)
              RETURNING id, config_id, execution_id, kind, payload
              """, pipelineConfigId));
        var entries = new List<PendingEntry>();
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            do
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (reader.FieldCount == 5)
                    {
                        entries.Add(new PendingEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
                    }
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        entries.Sort((a, b) => all ? b.Id.CompareTo(a.Id) : a.Id.CompareTo(b.Id));
        return entries;
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        var acks = new List<(NpgsqlBatchCommand Statement, QueueMessage Message)>();
        foreach (var message in acked)
        {
            var ack = PostgresSql.Statement(PostgresMessageQueue.AckSql, message.Id, message.LeaseToken);
            batch.BatchCommands.Add(ack);
            acks.Add((ack, message));
        }

        foreach (var id in deleted)
        {
            batch.BatchCommands.Add(PostgresSql.Statement("DELETE FROM stages WHERE execution_id = $1", id));
            batch.BatchCommands.Add(PostgresSql.Statement("DELETE FROM executions WHERE id = $1", id));
        }

        foreach (var entry in tracked.Values)
        {
            Flush(entry, batch);
        }

        TakePendingInserts(batch);
        foreach (var document in documents)
        {
            PostgresDocumentStore.AddReplace(batch, document);
        }

        foreach (var record in audits)
        {
            batch.BatchCommands.Add(PostgresAuditStore.Insert(record));
        }

        var dueNow = false;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var message in pushed)
        {
            batch.BatchCommands.Add(PostgresSql.Statement(PostgresMessageQueue.PushSql,
                message.Kind + ":" + message.Payload, message.Kind, message.Payload, message.DeliverAt, message.Node));
            dueNow |= message.DeliverAt <= now;
        }

        if (batch.BatchCommands.Count > 0)
        {
            try
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e) when (PostgresSql.IsUniqueViolation(e) && e.ConstraintName == "executions_correlation")
            {
                completed = true;
                await transaction.RollbackAsync(cancellationToken);
                throw new DuplicateCorrelationException(e);
            }
        }

        foreach (var (statement, message) in acks)
        {
            if (statement.RecordsAffected != 1)
            {
                completed = true;
                await transaction.RollbackAsync(cancellationToken);
                throw new LeaseLostException(message);
            }
        }

        completed = true;
        await transaction.CommitAsync(cancellationToken);
        if (dueNow)
        {
            coordination.SignalMessagesAvailable();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!completed)
            {
                await transaction.RollbackAsync();
            }
        }
        catch (NpgsqlException)
        {
            // The connection broke: the server rolls the transaction back itself.
        }
        finally
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>Serializes the concurrency-limit reads and writes of one pipeline config, across nodes, until the transaction ends.</summary>
    private static NpgsqlBatchCommand LockConfig(string pipelineConfigId) =>
        PostgresSql.Statement("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", pipelineConfigId);

    private void TakePendingInserts(NpgsqlBatch batch)
    {
        foreach (var statement in pendingInserts)
        {
            batch.BatchCommands.Add(statement);
        }

        pendingInserts.Clear();
    }

    private static void Flush(Tracked entry, NpgsqlBatch batch)
    {
        var execution = entry.Execution;
        var header = ExecutionSerializer.SerializeHeader(execution);
        if (!entry.Snapshot.TryGetValue("", out var oldHeader) || oldHeader != header)
        {
            batch.BatchCommands.Add(PostgresSql.Statement("""
                INSERT INTO executions (id, type, application, config_id, name, status, build_time, end_time, body, correlation_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (id) DO UPDATE SET status = excluded.status, end_time = excluded.end_time, body = excluded.body
                """,
                execution.Id,
                execution.Type == ExecutionType.Pipeline ? "PIPELINE" : "ORCHESTRATION",
                execution.Application,
                execution.PipelineConfigId,
                execution.Name,
                execution.Status.ToWireName(),
                execution.BuildTime ?? 0,
                execution.EndTime,
                header,
                Core.Json.MizzenJson.AsString(execution.Trigger["correlationId"])));
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        for (var ordinal = 0; ordinal < execution.Stages.Count; ordinal++)
        {
            var stage = execution.Stages[ordinal];
            present.Add(stage.Id);
            var body = ExecutionSerializer.SerializeStage(stage);
            if (entry.Snapshot.TryGetValue(stage.Id, out var old) && old == ordinal + ":" + body)
            {
                continue;
            }

            batch.BatchCommands.Add(PostgresSql.Statement("""
                INSERT INTO stages (execution_id, id, ordinal, body) VALUES ($1, $2, $3, $4)
                ON CONFLICT (execution_id, id) DO UPDATE SET ordinal = excluded.ordinal, body = excluded.body
                """, execution.Id, stage.Id, ordinal, body));
        }

        foreach (var removed in entry.Snapshot.Keys.Where(k => k.Length > 0 && !present.Contains(k)))
        {
            batch.BatchCommands.Add(PostgresSql.Statement("DELETE FROM stages WHERE execution_id = $1 AND id = $2", execution.Id, removed));
        }
    }

    private sealed record Tracked(PipelineExecution Execution, Dictionary<string, string> Snapshot);
}
