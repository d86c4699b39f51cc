using Microsoft.Data.Sqlite;

namespace Mizzen.Persistence.Sqlite;

/// <summary>The schema, migrated forward at start-up: each entry runs once, in order, recorded in <c>schema_version</c>.</summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE applications (name TEXT PRIMARY KEY, body TEXT NOT NULL, updated_at INTEGER NOT NULL);
        CREATE TABLE pipeline_configs (
            id TEXT PRIMARY KEY, application TEXT NOT NULL, name_lower TEXT NOT NULL,
            revision INTEGER NOT NULL, body TEXT NOT NULL, updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL);
        CREATE INDEX pipeline_configs_app ON pipeline_configs(application, name_lower);
        CREATE TABLE pipeline_config_revisions (
            id TEXT NOT NULL, revision INTEGER NOT NULL, body TEXT NOT NULL, user TEXT NOT NULL, ts INTEGER NOT NULL,
            PRIMARY KEY (id, revision));
        CREATE TABLE executions (
            id TEXT PRIMARY KEY, type TEXT NOT NULL, application TEXT NOT NULL, config_id TEXT, name TEXT,
            status TEXT NOT NULL, build_time INTEGER NOT NULL, end_time INTEGER, body TEXT NOT NULL);
        CREATE INDEX executions_app ON executions(application, build_time DESC);
        CREATE INDEX executions_app_status ON executions(application, status, build_time DESC);
        CREATE INDEX executions_config ON executions(config_id, status);
        CREATE TABLE stages (
            execution_id TEXT NOT NULL, id TEXT NOT NULL, ordinal INTEGER NOT NULL, body TEXT NOT NULL,
            PRIMARY KEY (execution_id, id)) WITHOUT ROWID;
        CREATE TABLE queue (
            id INTEGER PRIMARY KEY AUTOINCREMENT, fingerprint TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL,
            deliver_at INTEGER NOT NULL, lease_until INTEGER, lease_token TEXT, attempts INTEGER NOT NULL DEFAULT 0);
        CREATE UNIQUE INDEX queue_waiting ON queue(fingerprint) WHERE lease_token IS NULL;
        CREATE INDEX queue_due ON queue(deliver_at);
        CREATE TABLE pending_executions (
            id INTEGER PRIMARY KEY AUTOINCREMENT, config_id TEXT NOT NULL, execution_id TEXT NOT NULL,
            kind TEXT NOT NULL, payload TEXT NOT NULL);
        CREATE INDEX pending_config ON pending_executions(config_id, id);
        CREATE TABLE documents (
            collection TEXT NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL, updated_at INTEGER NOT NULL,
            PRIMARY KEY (collection, key)) WITHOUT ROWID;
        """,
        """
        ALTER TABLE executions ADD COLUMN correlation_id TEXT;
        CREATE UNIQUE INDEX executions_correlation ON executions(correlation_id) WHERE correlation_id IS NOT NULL;
        """,
        """
        CREATE INDEX executions_app_name ON executions(application, name COLLATE NOCASE, build_time DESC);
        """,
        """
        CREATE INDEX executions_config_time ON executions(config_id, build_time DESC);
        """,
        // Nodes: the node holding a lease (a node releases only its own at start) and the node a message is bound to.
        """
        ALTER TABLE queue ADD COLUMN lease_node TEXT;
        ALTER TABLE queue ADD COLUMN node TEXT;
        """,
        // Documents with revisions (IDocumentStore), the same table as PostgreSQL's. The old documents table kept one
        // row per key: canary configs as key {id}/{revision:D8} with a wrapper {application,id,revision,savedBy,
        // savedAt,config}, now key {id} with the revision, author and time in columns and the config itself as the body;
        // canary reports (and anything else) as revision 1 of the same key.
        """
        CREATE TABLE document_revisions (
            collection TEXT NOT NULL, key TEXT NOT NULL, revision INTEGER NOT NULL, body TEXT NOT NULL,
            saved_by TEXT NOT NULL, saved_at INTEGER NOT NULL,
            PRIMARY KEY (collection, key, revision)) WITHOUT ROWID;
        INSERT INTO document_revisions (collection, key, revision, body, saved_by, saved_at)
        SELECT collection, substr(key, 1, length(key) - 9), CAST(substr(key, length(key) - 7) AS INTEGER),
               COALESCE(json_extract(body, '$.config'), '{}'), COALESCE(json_extract(body, '$.savedBy'), ''),
               COALESCE(json_extract(body, '$.savedAt'), updated_at)
        FROM documents
        WHERE substr(collection, 1, 14) = 'canary-config:' AND key GLOB '?*/[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
        INSERT INTO document_revisions (collection, key, revision, body, saved_by, saved_at)
        SELECT collection, key, 1, body, 'mizzen', updated_at
        FROM documents
        WHERE NOT (substr(collection, 1, 14) = 'canary-config:' AND key GLOB '?*/[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]');
        DROP TABLE documents;
        """,
        // The audit log (IAuditStore): ids are ULIDs, so id order is time order.
        """
        CREATE TABLE audit_log (
            id TEXT PRIMARY KEY, at INTEGER NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
            address TEXT, status INTEGER, before TEXT, after TEXT, detail TEXT) WITHOUT ROWID;
        CREATE INDEX audit_log_at ON audit_log(at);
        CREATE INDEX audit_log_user ON audit_log(user, id);
        """,
    ];

    public static int Latest => Migrations.Length;

    public static void Migrate(SqliteConnection connection)
    {
        SqliteDatabase.Exec(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);");
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        var current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"the database is at schema version {current}, newer than this Mizzen ({Migrations.Length}); upgrade Mizzen or use another data folder");
        }

        for (var version = current + 1; version <= Migrations.Length; version++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Migrations[version - 1] + $"\nINSERT INTO schema_version (version) VALUES ({version});";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }
}
