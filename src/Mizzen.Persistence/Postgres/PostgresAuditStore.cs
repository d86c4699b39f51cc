using System.Text;
using Mizzen.Persistence.Audit;
using Npgsql;

namespace Mizzen.Persistence.Postgres;

/// <summary><see cref="IAuditStore"/> on PostgreSQL's <c>audit_log</c> table (SQLite's columns and rules).</summary>
internal sealed class PostgresAuditStore(PostgresDatabase database) : IAuditStore
{
    private const string Columns = "id, at, \"user\", action, target, address, status, before, after, detail";

    public async Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var r in records)
        {
            batch.BatchCommands.Add(Insert(r));
        }

        // One implicit transaction for the whole batch: Npgsql sends it in one round trip.
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The statement that inserts <paramref name="r"/>: a store write adds it to its own transaction's batch, so the record commits
    /// with the change. An id already stored (a retried batch) is kept once.
    /// </summary>
    internal static NpgsqlBatchCommand Insert(AuditRecord r) => PostgresSql.Statement(
        $"INSERT INTO audit_log ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING",
        r.Id, r.At.ToUnixTimeMilliseconds(), r.User, r.Action, r.Target, r.Address, r.Status, r.Before, r.After, r.Detail);

    /// <summary>Inserts <paramref name="record"/> in the caller's open transaction (one round trip).</summary>
    internal static async Task AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AuditRecord record, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { Insert(record) } };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new StringBuilder("TRUE");
        var values = new List<object?>();
        void Add(string condition, object value)
        {
            values.Add(value);
            where.Append(" AND ").Append(condition.Replace("$n", "$" + values.Count, StringComparison.Ordinal));
        }

        if (query.User is { } u)
        {
            Add("\"user\" = $n", u);
        }

        if (query.Action is { } a)
        {
            Add("left(action, length($n)) = $n", a);
        }

        if (query.Target is { } t)
        {
            Add("left(target, length($n)) = $n", t);
        }

        if (query.Since is { } since)
        {
            Add("at >= $n", since.ToUnixTimeMilliseconds());
        }

        if (query.Until is { } until)
        {
            Add("at < $n", until.ToUnixTimeMilliseconds());
        }

        if (query.BeforeId is { } cursor)
        {
            Add("id < $n", cursor);
        }

        values.Add(Math.Clamp(query.Limit, 1, AuditQuery.MaxLimit));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null,
            $"SELECT {Columns} FROM audit_log WHERE {where} ORDER BY id DESC LIMIT ${values.Count}", [.. values]);
        var found = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
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

        return found;
    }

    public async Task<int> PurgeAsync(DateTimeOffset cutoff, int batch, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null,
            "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < $1 ORDER BY at LIMIT $2)",
            cutoff.ToUnixTimeMilliseconds(), batch);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
