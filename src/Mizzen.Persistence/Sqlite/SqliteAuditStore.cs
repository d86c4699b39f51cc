using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Mizzen.Persistence.Audit;

namespace Mizzen.Persistence.Sqlite;

/// <summary>
/// <see cref="IAuditStore"/> on the <c>audit_log</c> table. A store write's record is inserted in that write's own scope
/// (<see cref="Insert"/>); batches of other entries take the single writer as foreground work (requests wait for them), purges as
/// background work.
/// </summary>
internal sealed class SqliteAuditStore(SqliteDatabase database) : IAuditStore
{
    private const string Columns = "id, at, user, action, target, address, status, before, after, detail";

    public async Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        // A foreground write: a request waits for its entries (the audit log holds a response until its batch is written).
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        Insert(scope, records);
        scope.Commit();
    }

    /// <summary>
    /// Inserts <paramref name="records"/> in the caller's write scope: a store write audits itself this way, so its record commits
    /// with it. An id already stored (a retried batch) is kept once.
    /// </summary>
    internal static void Insert(WriteScope scope, IReadOnlyCollection<AuditRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        using var insert = scope.Command($"INSERT OR IGNORE INTO audit_log ({Columns}) VALUES ($id, $at, $user, $action, $target, $address, $status, $before, $after, $detail)");
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var user = insert.Parameters.Add("$user", SqliteType.Text);
        var action = insert.Parameters.Add("$action", SqliteType.Text);
        var target = insert.Parameters.Add("$target", SqliteType.Text);
        var address = insert.Parameters.Add("$address", SqliteType.Text);
        var status = insert.Parameters.Add("$status", SqliteType.Integer);
        var before = insert.Parameters.Add("$before", SqliteType.Text);
        var after = insert.Parameters.Add("$after", SqliteType.Text);
        var detail = insert.Parameters.Add("$detail", SqliteType.Text);
        foreach (var record in records)
        {
            id.Value = record.Id;
            at.Value = record.At.ToUnixTimeMilliseconds();
            user.Value = record.User;
            action.Value = record.Action;
            target.Value = record.Target;
            address.Value = (object?)record.Address ?? DBNull.Value;
            status.Value = (object?)record.Status ?? DBNull.Value;
            before.Value = (object?)record.Before ?? DBNull.Value;
            after.Value = (object?)record.After ?? DBNull.Value;
            detail.Value = (object?)record.Detail ?? DBNull.Value;
            insert.ExecuteNonQuery();
        }
    }

    public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        var where = new StringBuilder("1 = 1");
        if (query.User is { } u)
        {
            where.Append(" AND user = $user");
            command.Parameters.AddWithValue("$user", u);
        }

        // substr() keeps a prefix match exact (LIKE would treat % and _ in the filter as wildcards).
        if (query.Action is { } a)
        {
            where.Append(" AND substr(action, 1, length($action)) = $action");
            command.Parameters.AddWithValue("$action", a);
        }

        if (query.Target is { } t)
        {
            where.Append(" AND substr(target, 1, length($target)) = $target");
            command.Parameters.AddWithValue("$target", t);
        }

        if (query.Since is { } since)
        {
            where.Append(" AND at >= $since");
            command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        }

        if (query.Until is { } until)
        {
            where.Append(" AND at < $until");
            command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
        }

        if (query.BeforeId is { } cursor)
        {
            where.Append(" AND id < $cursor");
            command.Parameters.AddWithValue("$cursor", cursor);
        }

        command.CommandText = $"SELECT {Columns} FROM audit_log WHERE {where} ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 1, AuditQuery.MaxLimit));
        var found = new List<AuditRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            found.Add(new AuditRecord(
                reader.GetString(0),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return Task.FromResult<IReadOnlyList<AuditRecord>>(found);
    }

    public async Task<int> PurgeAsync(DateTimeOffset cutoff, int batch, CancellationToken cancellationToken)
    {
        using var background = StoreWritePriority.Background();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        using var delete = scope.Command("DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < $cutoff ORDER BY at LIMIT $batch)");
        delete.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
        delete.Parameters.AddWithValue("$batch", batch);
        var deleted = delete.ExecuteNonQuery();
        scope.Commit();
        return deleted;
    }
}
