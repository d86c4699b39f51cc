using Mizzen.Persistence.Audit;
using Mizzen.Persistence.Documents;
using Npgsql;

namespace Mizzen.Persistence.Postgres;

/// <summary>
/// <see cref="IDocumentStore"/> on the <c>document_revisions</c> table (SQLite's table and rules). Writes to one document
/// take turns through an advisory lock on its collection and key, so saves from several nodes at once get distinct,
/// consecutive revisions; the next revision is chosen and inserted in the same statement.
/// </summary>
internal sealed class PostgresDocumentStore(PostgresDatabase database, TimeProvider time) : IDocumentStore
{
    /// <summary>The first key of the two-key advisory locks on documents ("docs").</summary>
    private const int DocumentLockSpace = 0x646F6373;

    private const string Columns = "collection, key, revision, body, saved_by, saved_at";

    public Task<StoredDocument> SaveRevisionAsync(string collection, string key, string body, string savedBy, CancellationToken cancellationToken) =>
        SaveRevisionCoreAsync(collection, key, body, savedBy, null, cancellationToken);

    public Task<StoredDocument> SaveRevisionAsync(
        string collection, string key, string body, string savedBy, Func<StoredDocument, AuditRecord> audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return SaveRevisionCoreAsync(collection, key, body, savedBy, audit, cancellationToken);
    }

    private async Task<StoredDocument> SaveRevisionCoreAsync(
        string collection, string key, string body, string savedBy, Func<StoredDocument, AuditRecord>? audit, CancellationToken cancellationToken)
    {
        Check(collection, key, body, savedBy);
        var now = Now();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                LockDocument(collection, key),
                PostgresSql.Statement("""
                    INSERT INTO document_revisions (collection, key, revision, body, saved_by, saved_at)
                    SELECT $1, $2, COALESCE(MAX(revision), 0) + 1, $3, $4, $5 FROM document_revisions WHERE collection = $1 AND key = $2
                    RETURNING revision
                    """, collection, key, body, savedBy, now.ToUnixTimeMilliseconds()),
            },
        };
        int revision;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            revision = reader.GetInt32(0);
        }

        var stored = new StoredDocument(collection, key, revision, body, savedBy, now);
        if (audit is not null)
        {
            await PostgresAuditStore.AppendAsync(connection, transaction, audit(stored), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    public Task<StoredDocument> PutAsync(string collection, string key, string body, string savedBy, CancellationToken cancellationToken) =>
        PutCoreAsync(collection, key, body, savedBy, null, cancellationToken);

    public Task<StoredDocument> PutAsync(
        string collection, string key, string body, string savedBy, Func<StoredDocument, AuditRecord> audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return PutCoreAsync(collection, key, body, savedBy, audit, cancellationToken);
    }

    private async Task<StoredDocument> PutCoreAsync(
        string collection, string key, string body, string savedBy, Func<StoredDocument, AuditRecord>? audit, CancellationToken cancellationToken)
    {
        Check(collection, key, body, savedBy);
        var stored = new StoredDocument(collection, key, 1, body, savedBy, Now());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            AddReplace(batch, stored);
            if (audit is not null)
            {
                batch.BatchCommands.Add(PostgresAuditStore.Insert(audit(stored)));
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    public Task<StoredDocument?> GetAsync(string collection, string key, int? revision, CancellationToken cancellationToken) =>
        FirstAsync(revision is { } r
            ? PostgresSql.Statement($"SELECT {Columns} FROM document_revisions WHERE collection = $1 AND key = $2 AND revision = $3", collection, key, r)
            : PostgresSql.Statement(
                $"SELECT {Columns} FROM document_revisions WHERE collection = $1 AND key = $2 ORDER BY revision DESC LIMIT 1", collection, key),
            cancellationToken);

    public Task<IReadOnlyList<StoredDocument>> ListAsync(string collection, CancellationToken cancellationToken) =>
        ReadAsync(PostgresSql.Statement(
            $"SELECT DISTINCT ON (key) {Columns} FROM document_revisions WHERE collection = $1 ORDER BY key, revision DESC", collection),
            cancellationToken);

    public Task<StoredDocument?> FindAsync(string collectionPrefix, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collectionPrefix);

        // The range start lets the primary key skip collections before the prefix; left() keeps the match exact
        // (LIKE would need the prefix escaped). Collections compare bytewise (COLLATE "C"), as SQLite's do.
        return FirstAsync(PostgresSql.Statement($"""
            SELECT {Columns} FROM document_revisions
            WHERE collection >= $1 AND left(collection, length($1)) = $1 AND key = $2
            ORDER BY collection, revision DESC LIMIT 1
            """, collectionPrefix, key), cancellationToken);
    }

    public Task<IReadOnlyList<StoredDocument>> RevisionsAsync(string collection, string key, CancellationToken cancellationToken) =>
        ReadAsync(PostgresSql.Statement(
            $"SELECT {Columns} FROM document_revisions WHERE collection = $1 AND key = $2 ORDER BY revision", collection, key),
            cancellationToken);

    public async Task<bool> DeleteAsync(string collection, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, null,
            "DELETE FROM document_revisions WHERE collection = $1 AND key = $2", collection, key);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<bool> DeleteAsync(string collection, string key, Func<AuditRecord> audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = PostgresSql.Command(connection, transaction,
                         "DELETE FROM document_revisions WHERE collection = $1 AND key = $2", collection, key))
        {
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false; // nothing changed: disposing rolls the empty transaction back
            }
        }

        await PostgresAuditStore.AppendAsync(connection, transaction, audit(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The statements that replace every revision of the document with <paramref name="stored"/> (revision 1), under its lock.</summary>
    internal static void AddReplace(NpgsqlBatch batch, StoredDocument stored)
    {
        Check(stored.Collection, stored.Key, stored.Body, stored.SavedBy);
        batch.BatchCommands.Add(LockDocument(stored.Collection, stored.Key));
        batch.BatchCommands.Add(PostgresSql.Statement("DELETE FROM document_revisions WHERE collection = $1 AND key = $2", stored.Collection, stored.Key));
        batch.BatchCommands.Add(PostgresSql.Statement($"INSERT INTO document_revisions ({Columns}) VALUES ($1, $2, 1, $3, $4, $5)",
            stored.Collection, stored.Key, stored.Body, stored.SavedBy, stored.SavedAt.ToUnixTimeMilliseconds()));
    }

    private static NpgsqlBatchCommand LockDocument(string collection, string key) =>
        PostgresSql.Statement("SELECT pg_advisory_xact_lock($1, hashtext($2 || '/' || $3))", DocumentLockSpace, collection, key);

    private async Task<StoredDocument?> FirstAsync(NpgsqlBatchCommand statement, CancellationToken cancellationToken) =>
        (await ReadAsync(statement, cancellationToken)).FirstOrDefault();

    private async Task<IReadOnlyList<StoredDocument>> ReadAsync(NpgsqlBatchCommand statement, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { statement } };
        var found = new List<StoredDocument>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(new StoredDocument(
                reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }

        return found;
    }

    private static void Check(string collection, string key, string body, string savedBy)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(savedBy);
    }

    /// <summary>Milliseconds, as stored: a document read back compares equal to the one returned by the save.</summary>
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
}
