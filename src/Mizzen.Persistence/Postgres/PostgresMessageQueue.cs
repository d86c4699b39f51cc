using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Queue;
using Npgsql;

namespace Mizzen.Persistence.Postgres;

/// <summary>
/// The queue table shared by every node. A claim is one statement that leases due rows under this node's id with
/// <c>FOR UPDATE SKIP LOCKED</c>, so nodes claiming at once never wait for each other nor take the same message. A message
/// bound to a node (<see cref="OutgoingMessage.Node"/>) is claimed only by that node. Pushes and acks happen inside a
/// handler's transaction (<see cref="PostgresStoreTransaction"/>); everything else takes its own short one.
/// </summary>
internal sealed class PostgresMessageQueue(PostgresDatabase database, INodeCoordination coordination, TimeProvider time) : IMessageQueue
{
    /// <summary>Waiting messages are stored once per fingerprint (a partial unique index on waiting rows).</summary>
    internal const string PushSql = """
        INSERT INTO queue (fingerprint, kind, payload, deliver_at, node) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (fingerprint) WHERE lease_token IS NULL DO UPDATE SET deliver_at = excluded.deliver_at, node = excluded.node
        """;

    internal const string AckSql = "DELETE FROM queue WHERE id = $1 AND lease_token = $2";

    public string NodeId => coordination.NodeId;

    public async Task<IReadOnlyList<QueueMessage>> ClaimAsync(int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = Now();
        var token = Guid.NewGuid().ToString("N");
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null, """
            UPDATE queue SET lease_until = $1, lease_token = $2, lease_node = $3, attempts = attempts + 1
            WHERE id IN (SELECT id FROM queue
                         WHERE deliver_at <= $4 AND (lease_until IS NULL OR lease_until < $4) AND (node IS NULL OR node = $3)
                         ORDER BY deliver_at LIMIT $5 FOR UPDATE SKIP LOCKED)
            RETURNING id, kind, payload, deliver_at, attempts
            """, now + (long)lease.TotalMilliseconds, token, NodeId, now, max);
        var claimed = new List<QueueMessage>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(new QueueMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt32(4), token));
            }
        }

        claimed.Sort((a, b) => a.DeliverAt != b.DeliverAt ? a.DeliverAt.CompareTo(b.DeliverAt) : a.Id.CompareTo(b.Id));
        return claimed;
    }

    public async Task<long?> NextDeliveryAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null, """
            SELECT MIN(CASE WHEN lease_until IS NULL THEN deliver_at ELSE GREATEST(deliver_at, lease_until) END)
            FROM queue WHERE node IS NULL OR node = $1
            """, NodeId);
        return await command.ExecuteScalarAsync(cancellationToken) is long at ? at : null;
    }

    public async Task<int> DepthAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null, "SELECT COUNT(*) FROM queue");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<QueueMessage>> ExtendLeasesAsync(IReadOnlyCollection<QueueMessage> messages, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return [];
        }

        var until = Now() + (long)lease.TotalMilliseconds;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null, """
            UPDATE queue q SET lease_until = $1
            FROM unnest($2::bigint[], $3::text[]) AS held(id, token)
            WHERE q.id = held.id AND q.lease_token = held.token
            RETURNING q.id
            """, until, messages.Select(m => m.Id).ToArray(), messages.Select(m => m.LeaseToken).ToArray());
        var kept = new HashSet<long>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                kept.Add(reader.GetInt64(0));
            }
        }

        return messages.Where(m => !kept.Contains(m.Id)).ToList();
    }

    /// <summary>
    /// Releases the leases held under this node's id. A released message whose twin is already waiting (or which twins
    /// another of this node's leases) is dropped instead: the waiting row does the same work, and the partial unique index
    /// allows one waiting row per fingerprint. A twin pushed by another node meanwhile fails the batch; it then runs again.
    /// </summary>
    public async Task ReleaseNodeLeasesAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await using var batch = new NpgsqlBatch(connection)
                {
                    BatchCommands =
                    {
                        PostgresSql.Statement("""
                            DELETE FROM queue q WHERE q.lease_node = $1 AND q.lease_token IS NOT NULL
                            AND EXISTS (SELECT 1 FROM queue t WHERE t.fingerprint = q.fingerprint AND t.id <> q.id
                                        AND (t.lease_token IS NULL OR (t.lease_node = $1 AND t.id < q.id)))
                            """, NodeId),
                        PostgresSql.Statement(
                            "UPDATE queue SET lease_until = NULL, lease_token = NULL, lease_node = NULL WHERE lease_node = $1 AND lease_token IS NOT NULL",
                            NodeId),
                    },
                };

                // A batch outside a transaction is one implicit transaction: both statements or neither.
                await batch.ExecuteNonQueryAsync(cancellationToken);
                return;
            }
            catch (PostgresException e) when (PostgresSql.IsUniqueViolation(e) && attempt < 5)
            {
            }
        }
    }

    public async Task ReleaseAsync(QueueMessage message, long deliverAt, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    PostgresSql.Statement("""
                        DELETE FROM queue q WHERE q.id = $1 AND q.lease_token = $2
                        AND EXISTS (SELECT 1 FROM queue t WHERE t.fingerprint = q.fingerprint AND t.lease_token IS NULL)
                        """, message.Id, message.LeaseToken),
                    PostgresSql.Statement(
                        "UPDATE queue SET lease_token = NULL, lease_until = NULL, lease_node = NULL, deliver_at = $3 WHERE id = $1 AND lease_token = $2",
                        message.Id, message.LeaseToken, deliverAt),
                },
            };
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (PostgresSql.IsUniqueViolation(e))
        {
            // Another node pushed a waiting twin after the check: that row does the work, this one goes.
            await DropAsync(message, cancellationToken);
        }
    }

    public async Task DropAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null, AckSql, message.Id, message.LeaseToken);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
