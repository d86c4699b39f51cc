using Microsoft.Data.Sqlite;
using Mizzen.Persistence.Audit;
using Mizzen.Persistence.Documents;

namespace Mizzen.Persistence.Sqlite;

/// <summary>
/// <see cref="IDocumentStore"/> on the <c>document_revisions</c> table: one row per revision, primary key
/// (collection, key, revision), so the latest revision of a document is one index seek. Writes take the single writer.
/// </summary>
internal sealed class SqliteDocumentStore(SqliteDatabase database, TimeProvider time) : IDocumentStore
{
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
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        int revision;
        using (var latest = scope.Command("SELECT COALESCE(MAX(revision), 0) FROM document_revisions WHERE collection = $c AND key = $k"))
        {
            latest.Parameters.AddWithValue("$c", collection);
            latest.Parameters.AddWithValue("$k", key);
            revision = Convert.ToInt32(latest.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) + 1;
        }

        var stored = new StoredDocument(collection, key, revision, body, savedBy, Now());
        Insert(scope, stored);
        if (audit is not null)
        {
            SqliteAuditStore.Insert(scope, [audit(stored)]);
        }

        scope.Commit();
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
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var stored = new StoredDocument(collection, key, 1, body, savedBy, Now());
        Replace(scope, stored);
        if (audit is not null)
        {
            SqliteAuditStore.Insert(scope, [audit(stored)]);
        }

        scope.Commit();
        return stored;
    }

    /// <summary>Replaces every revision of the document with <paramref name="stored"/> (revision 1), in the caller's write scope.</summary>
    internal static void Replace(WriteScope scope, StoredDocument stored)
    {
        Check(stored.Collection, stored.Key, stored.Body, stored.SavedBy);
        using (var delete = scope.Command("DELETE FROM document_revisions WHERE collection = $c AND key = $k"))
        {
            delete.Parameters.AddWithValue("$c", stored.Collection);
            delete.Parameters.AddWithValue("$k", stored.Key);
            delete.ExecuteNonQuery();
        }

        Insert(scope, stored);
    }

    public Task<StoredDocument?> GetAsync(string collection, string key, int? revision, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = revision is null
            ? $"SELECT {Columns} FROM document_revisions WHERE collection = $c AND key = $k ORDER BY revision DESC LIMIT 1"
            : $"SELECT {Columns} FROM document_revisions WHERE collection = $c AND key = $k AND revision = $r";
        command.Parameters.AddWithValue("$c", collection);
        command.Parameters.AddWithValue("$k", key);
        if (revision is { } r)
        {
            command.Parameters.AddWithValue("$r", r);
        }

        return Task.FromResult(ReadAll(command).FirstOrDefault());
    }

    public Task<IReadOnlyList<StoredDocument>> ListAsync(string collection, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<StoredDocument>>(Latest(database, collection));

    public Task<StoredDocument?> FindAsync(string collectionPrefix, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collectionPrefix);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        // The range start lets the primary key skip collections before the prefix; substr keeps the match exact
        // (LIKE and GLOB would need the prefix escaped).
        command.CommandText = $"""
            SELECT {Columns} FROM document_revisions
            WHERE collection >= $p AND substr(collection, 1, length($p)) = $p AND key = $k
            ORDER BY collection, revision DESC LIMIT 1
            """;
        command.Parameters.AddWithValue("$p", collectionPrefix);
        command.Parameters.AddWithValue("$k", key);
        return Task.FromResult(ReadAll(command).FirstOrDefault());
    }

    public Task<IReadOnlyList<StoredDocument>> RevisionsAsync(string collection, string key, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM document_revisions WHERE collection = $c AND key = $k ORDER BY revision";
        command.Parameters.AddWithValue("$c", collection);
        command.Parameters.AddWithValue("$k", key);
        return Task.FromResult<IReadOnlyList<StoredDocument>>(ReadAll(command));
    }

    public Task<bool> DeleteAsync(string collection, string key, CancellationToken cancellationToken) =>
        DeleteCoreAsync(collection, key, null, cancellationToken);

    public Task<bool> DeleteAsync(string collection, string key, Func<AuditRecord> audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return DeleteCoreAsync(collection, key, audit, cancellationToken);
    }

    private async Task<bool> DeleteCoreAsync(string collection, string key, Func<AuditRecord>? audit, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        int deleted;
        using (var delete = scope.Command("DELETE FROM document_revisions WHERE collection = $c AND key = $k"))
        {
            delete.Parameters.AddWithValue("$c", collection);
            delete.Parameters.AddWithValue("$k", key);
            deleted = delete.ExecuteNonQuery();
        }

        if (deleted > 0 && audit is not null)
        {
            SqliteAuditStore.Insert(scope, [audit()]);
        }

        scope.Commit();
        return deleted > 0;
    }

    /// <summary>The latest revision of every document of <paramref name="collection"/>, by key (BINARY collation: ordinal).</summary>
    internal static List<StoredDocument> Latest(SqliteDatabase database, string collection)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM document_revisions d
            WHERE collection = $c
              AND revision = (SELECT MAX(revision) FROM document_revisions WHERE collection = d.collection AND key = d.key)
            ORDER BY key
            """;
        command.Parameters.AddWithValue("$c", collection);
        return ReadAll(command);
    }

    internal static List<StoredDocument> ReadAll(SqliteCommand command)
    {
        var found = new List<StoredDocument>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            found.Add(new StoredDocument(
                reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }

        return found;
    }

    private static void Insert(WriteScope scope, StoredDocument stored)
    {
        using var insert = scope.Command($"INSERT INTO document_revisions ({Columns}) VALUES ($c, $k, $r, $b, $u, $t)");
        insert.Parameters.AddWithValue("$c", stored.Collection);
        insert.Parameters.AddWithValue("$k", stored.Key);
        insert.Parameters.AddWithValue("$r", stored.Revision);
        insert.Parameters.AddWithValue("$b", stored.Body);
        insert.Parameters.AddWithValue("$u", stored.SavedBy);
        insert.Parameters.AddWithValue("$t", stored.SavedAt.ToUnixTimeMilliseconds());
        insert.ExecuteNonQuery();
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
