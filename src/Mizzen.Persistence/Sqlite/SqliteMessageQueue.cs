using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Queue;

namespace Mizzen.Persistence.Sqlite;

/// <summary>
/// The queue table. Pushes and acks happen inside a handler's transaction; claims take their own short one.
/// One node uses a SQLite file, so every message is this node's to claim whatever node it names.
/// </summary>
internal sealed class SqliteMessageQueue(SqliteDatabase database, INodeCoordination coordination, TimeProvider time) : IMessageQueue
{
    public async Task<IReadOnlyList<QueueMessage>> ClaimAsync(int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var token = Guid.NewGuid().ToString("N");
        var claimed = new List<QueueMessage>();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        using (var command = scope.Command("""
                   UPDATE queue SET lease_until = $until, lease_token = $token, lease_node = $node, attempts = attempts + 1
                   WHERE id IN (SELECT id FROM queue WHERE deliver_at <= $now AND (lease_until IS NULL OR lease_until < $now)
                                ORDER BY deliver_at LIMIT $max)
                   RETURNING id, kind, payload, deliver_at, attempts
                   """))
        {
            command.Parameters.AddWithValue("$until", now + (long)lease.TotalMilliseconds);
            command.Parameters.AddWithValue("$token", token);
            command.Parameters.AddWithValue("$node", coordination.NodeId);
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$max", max);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                claimed.Add(new QueueMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt32(4), token));
            }
        }

        scope.Commit();
        claimed.Sort((a, b) => a.DeliverAt.CompareTo(b.DeliverAt));
        return claimed;
    }

    public Task<long?> NextDeliveryAsync(CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(CASE WHEN lease_until IS NULL THEN deliver_at ELSE MAX(deliver_at, lease_until) END) FROM queue";
        var value = command.ExecuteScalar();
        return Task.FromResult(value is long l ? l : (long?)null);
    }

    public Task<int> DepthAsync(CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM queue";
        return Task.FromResult(Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task<IReadOnlyList<QueueMessage>> ExtendLeasesAsync(IReadOnlyCollection<QueueMessage> messages, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return [];
        }

        var until = time.GetUtcNow().ToUnixTimeMilliseconds() + (long)lease.TotalMilliseconds;
        var lost = new List<QueueMessage>();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        foreach (var message in messages)
        {
            using var command = scope.Command("UPDATE queue SET lease_until = $until WHERE id = $id AND lease_token = $token");
            command.Parameters.AddWithValue("$until", until);
            command.Parameters.AddWithValue("$id", message.Id);
            command.Parameters.AddWithValue("$token", message.LeaseToken);
            if (command.ExecuteNonQuery() == 0)
            {
                lost.Add(message);
            }
        }

        scope.Commit();
        return lost;
    }

    /// <summary>SQLite has one node (the data folder is locked): every lease is this node's, whatever id it was taken under.</summary>
    public async Task ReleaseNodeLeasesAsync(CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        // A leased twin of a waiting message is redundant: drop it rather than violate the unique index.
        using (var drop = scope.Command("""
                   DELETE FROM queue WHERE lease_token IS NOT NULL
                   AND fingerprint IN (SELECT fingerprint FROM queue WHERE lease_token IS NULL)
                   """))
        {
            drop.ExecuteNonQuery();
        }

        using (var release = scope.Command("UPDATE queue SET lease_until = NULL, lease_token = NULL, lease_node = NULL WHERE lease_token IS NOT NULL"))
        {
            release.ExecuteNonQuery();
        }

        scope.Commit();
    }

    public async Task ReleaseAsync(QueueMessage message, long deliverAt, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        using (var twin = scope.Command("SELECT COUNT(*) FROM queue WHERE fingerprint = (SELECT fingerprint FROM queue WHERE id = $id) AND lease_token IS NULL"))
        {
            twin.Parameters.AddWithValue("$id", message.Id);
            var sql = Convert.ToInt64(twin.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0
                ? "DELETE FROM queue WHERE id = $id AND lease_token = $token"
                : "UPDATE queue SET lease_token = NULL, lease_until = NULL, lease_node = NULL, deliver_at = $at WHERE id = $id AND lease_token = $token";
            using var command = scope.Command(sql);
            command.Parameters.AddWithValue("$id", message.Id);
            command.Parameters.AddWithValue("$token", message.LeaseToken);
            command.Parameters.AddWithValue("$at", deliverAt);
            command.ExecuteNonQuery();
        }

        scope.Commit();
    }

    public async Task DropAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        Ack(scope, message);
        scope.Commit();
    }

    internal void Push(WriteScope scope, OutgoingMessage message)
    {
        using var command = scope.Command("""
            INSERT INTO queue (fingerprint, kind, payload, deliver_at, node) VALUES ($fp, $kind, $payload, $at, $node)
            ON CONFLICT(fingerprint) WHERE lease_token IS NULL DO UPDATE SET deliver_at = excluded.deliver_at, node = excluded.node
            """);
        command.Parameters.AddWithValue("$node", (object?)message.Node ?? DBNull.Value);
        command.Parameters.AddWithValue("$fp", message.Kind + ":" + message.Payload);
        command.Parameters.AddWithValue("$kind", message.Kind);
        command.Parameters.AddWithValue("$payload", message.Payload);
        command.Parameters.AddWithValue("$at", message.DeliverAt);
        command.ExecuteNonQuery();
    }

    internal bool Ack(WriteScope scope, QueueMessage message)
    {
        using var command = scope.Command("DELETE FROM queue WHERE id = $id AND lease_token = $token");
        command.Parameters.AddWithValue("$id", message.Id);
        command.Parameters.AddWithValue("$token", message.LeaseToken);
        return command.ExecuteNonQuery() == 1;
    }

    internal void Signal() => coordination.SignalMessagesAvailable();
}
