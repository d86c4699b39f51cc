using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Mizzen.Core.Model;
using Mizzen.Persistence.Documents;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Testing;

namespace Mizzen.Persistence.Tests;

/// <summary>
/// A data folder written by an older Mizzen is migrated forward when opened, keeping its rows; one written by a newer Mizzen is refused.
/// </summary>
public sealed class SchemaMigrationTests : IDisposable
{
    // A copy of the first migration in SqliteSchema (the array is internal): the tables as the first release created them.
    private const string VersionOneSchema = """
        CREATE TABLE schema_version (version INTEGER NOT NULL);
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
        INSERT INTO schema_version (version) VALUES (1);
        """;

    // Copies of migrations 2 to 5: with VersionOneSchema, a database as Mizzen left it before the document store (v5).
    private const string VersionTwoToFive = """
        ALTER TABLE executions ADD COLUMN correlation_id TEXT;
        CREATE UNIQUE INDEX executions_correlation ON executions(correlation_id) WHERE correlation_id IS NOT NULL;
        CREATE INDEX executions_app_name ON executions(application, name COLLATE NOCASE, build_time DESC);
        CREATE INDEX executions_config_time ON executions(config_id, build_time DESC);
        ALTER TABLE queue ADD COLUMN lease_node TEXT;
        ALTER TABLE queue ADD COLUMN node TEXT;
        INSERT INTO schema_version (version) VALUES (2), (3), (4), (5);
        """;

    // Rows of the old documents table as the canary stores wrote them: configs one row per revision under
    // {id}/{revision:D8} wrapped with who saved them and when; reports one row per interval.
    private const string VersionFiveDocuments = """
        INSERT INTO documents (collection, key, body, updated_at) VALUES
        ('canary-config:shop', 'cfg-1/00000001',
         '{"application":"shop","id":"cfg-1","revision":1,"savedBy":"ann","savedAt":1700000000000,"config":{"id":"cfg-1","name":"checkout","metrics":[]}}',
         1700000000000),
        ('canary-config:shop', 'cfg-1/00000002',
         '{"application":"shop","id":"cfg-1","revision":2,"savedBy":"bob","savedAt":1700000100000,"config":{"id":"cfg-1","name":"checkout-v2","metrics":[]}}',
         1700000100000),
        ('canary-config:web', 'other/00000001',
         '{"application":"web","id":"other","revision":1,"savedBy":"cy","savedAt":1700000050000,"config":{"id":"other","name":"w","metrics":[]}}',
         1700000050000),
        ('canary-report:01CANARY', '000001', '{"interval":1,"score":95.5}', 1700000200000),
        ('canary-report:01CANARY', '000002', '{"interval":2,"score":40}', 1700000300000);
        """;

    private readonly string folder = Path.Combine(Path.GetTempPath(), "mizzen-schema-" + Guid.NewGuid().ToString("N"));

    public SchemaMigrationTests() => Directory.CreateDirectory(folder);

    private StorageOptions Storage => new() { DataFolder = folder };

    /// <summary>Opens the store on the data folder as a host does; resolving <see cref="IStore"/> opens the file and migrates it.</summary>
    private SqliteTestStore OpenStore()
    {
        var store = new SqliteTestStore(folder: folder);
        _ = store.Get<IStore>();
        return store;
    }

    /// <summary>SqliteSchema.Latest (the class is internal to the store, so read through reflection rather than a copied number).</summary>
    private static int LatestSchemaVersion =>
        (int)typeof(StorageOptions).Assembly.GetType("Mizzen.Persistence.Sqlite.SqliteSchema", throwOnError: true)!
            .GetProperty("Latest")!.GetValue(null)!;

    [Fact]
    public async Task A_version_one_database_is_migrated_to_the_latest_schema_and_keeps_its_rows()
    {
        var execution = new PipelineExecution
        {
            Id = "01OLDRUN", Application = "shop", Name = "Deploy", PipelineConfigId = "cfg-1", Status = ExecutionStatus.Succeeded,
            BuildTime = 1_700_000_000_000, StartTime = 1_700_000_000_000, EndTime = 1_700_000_060_000,
            Stages = [new StageExecution { Id = "stage-1", RefId = "1", Type = "wait", Name = "w", Status = ExecutionStatus.Succeeded }],
        };
        using (var old = OpenRaw())
        {
            Exec(old, VersionOneSchema);
            using var insert = old.CreateCommand();
            insert.CommandText = """
                INSERT INTO pipeline_configs (id, application, name_lower, revision, body, updated_at, updated_by)
                VALUES ('cfg-1', 'shop', 'deploy', 1, '{"id":"cfg-1","application":"shop","name":"Deploy","stages":[]}', 1700000000000, 'ann');
                INSERT INTO pipeline_config_revisions (id, revision, body, user, ts)
                VALUES ('cfg-1', 1, '{"id":"cfg-1","application":"shop","name":"Deploy","stages":[]}', 'ann', 1700000000000);
                INSERT INTO executions (id, type, application, config_id, name, status, build_time, end_time, body)
                VALUES ($id, 'PIPELINE', 'shop', 'cfg-1', 'Deploy', 'SUCCEEDED', 1700000000000, 1700000060000, $body);
                INSERT INTO stages (execution_id, id, ordinal, body) VALUES ($id, 'stage-1', 0, $stage);
                """;
            insert.Parameters.AddWithValue("$id", execution.Id);
            insert.Parameters.AddWithValue("$body", ExecutionSerializer.SerializeHeader(execution));
            insert.Parameters.AddWithValue("$stage", ExecutionSerializer.SerializeStage(execution.Stages[0]));
            insert.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();

        using var store = OpenStore();

        using (var check = OpenRaw())
        {
            Scalar(check, "SELECT MAX(version) FROM schema_version").ShouldBe(LatestSchemaVersion);
            Scalar(check, "SELECT COUNT(*) FROM schema_version").ShouldBe(LatestSchemaVersion);
            var indexes = IndexNames(check, "executions");
            indexes.ShouldContain("executions_app");
            indexes.ShouldContain("executions_correlation");
            indexes.ShouldContain("executions_app_name");
            indexes.ShouldContain("executions_config_time");
            Columns(check, "executions").ShouldContain("correlation_id");
        }

        var executions = store.Get<IExecutionStore>();
        var read = (await executions.GetAsync("01OLDRUN", CancellationToken.None)).ShouldNotBeNull();
        read.Status.ShouldBe(ExecutionStatus.Succeeded);
        read.Name.ShouldBe("Deploy");
        read.Stages.ShouldHaveSingleItem().Name.ShouldBe("w");
        var byName = await executions.ListAsync(new ExecutionQuery { Application = "shop", PipelineName = "deploy" }, CancellationToken.None);
        byName.ShouldHaveSingleItem().Id.ShouldBe("01OLDRUN");

        var configs = store.Get<IPipelineConfigStore>();
        (await configs.FindByNameAsync("shop", "Deploy", CancellationToken.None)).ShouldNotBeNull().Id.ShouldBe("cfg-1");
        (await configs.HistoryAsync("cfg-1", 10, CancellationToken.None)).ShouldHaveSingleItem().User.ShouldBe("ann");
        (await configs.SaveAsync(PipelineConfig.Parse("""{"id":"cfg-1","application":"shop","name":"Deploy","stages":[]}"""), "bob", CancellationToken.None))
            .ShouldBe(2);
    }

    [Fact]
    public async Task A_version_five_database_moves_canary_configs_and_reports_into_document_revisions_and_drops_the_old_table()
    {
        using (var old = OpenRaw())
        {
            Exec(old, VersionOneSchema + VersionTwoToFive + VersionFiveDocuments);
        }

        SqliteConnection.ClearAllPools();
        using var store = OpenStore();
        var documents = store.Get<IDocumentStore>();

        var revisions = await documents.RevisionsAsync("canary-config:shop", "cfg-1", CancellationToken.None);
        revisions.Select(r => (r.Revision, r.SavedBy, r.SavedAt.ToUnixTimeMilliseconds()))
            .ShouldBe([(1, "ann", 1_700_000_000_000L), (2, "bob", 1_700_000_100_000L)]);
        JsonNode.DeepEquals(JsonNode.Parse(revisions[0].Body), JsonNode.Parse("""{"id":"cfg-1","name":"checkout","metrics":[]}""")).ShouldBeTrue(revisions[0].Body);
        JsonNode.DeepEquals(JsonNode.Parse(revisions[1].Body), JsonNode.Parse("""{"id":"cfg-1","name":"checkout-v2","metrics":[]}""")).ShouldBeTrue(revisions[1].Body);
        (await documents.GetAsync("canary-config:shop", "cfg-1", null, CancellationToken.None)).ShouldNotBeNull().Revision.ShouldBe(2);
        (await documents.FindAsync("canary-config:", "other", CancellationToken.None)).ShouldNotBeNull().Collection.ShouldBe("canary-config:web");

        var reports = await documents.ListAsync("canary-report:01CANARY", CancellationToken.None);
        reports.Select(r => (r.Key, r.Revision, r.Body, r.SavedAt.ToUnixTimeMilliseconds())).ShouldBe(
        [
            ("000001", 1, """{"interval":1,"score":95.5}""", 1_700_000_200_000L),
            ("000002", 1, """{"interval":2,"score":40}""", 1_700_000_300_000L),
        ]);

        using var check = OpenRaw();
        Scalar(check, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'documents'").ShouldBe(0);
        Scalar(check, "SELECT COUNT(*) FROM document_revisions").ShouldBe(5);
        Scalar(check, "SELECT MAX(version) FROM schema_version").ShouldBe(LatestSchemaVersion);
    }

    [Fact]
    public void Opening_a_migrated_database_again_runs_no_migration_twice()
    {
        OpenStore().Services.Dispose();
        SqliteConnection.ClearAllPools();
        using var reopened = OpenStore();
        using var check = OpenRaw();
        Scalar(check, "SELECT COUNT(*) FROM schema_version").ShouldBe(LatestSchemaVersion);
    }

    [Fact]
    public void A_database_from_a_newer_mizzen_is_refused_with_a_message_that_says_what_to_do()
    {
        var newer = LatestSchemaVersion + 1;
        using (var future = OpenRaw())
        {
            Exec(future, $"CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version (version) VALUES ({newer});");
        }

        SqliteConnection.ClearAllPools();

        using var store = new SqliteTestStore(folder: folder);
        var error = Should.Throw<InvalidOperationException>(() => store.Get<IStore>());
        error.Message.ShouldContain($"schema version {newer}");
        error.Message.ShouldContain($"newer than this Mizzen ({LatestSchemaVersion})");
        error.Message.ShouldContain("upgrade Mizzen");

        // Nothing was written to the newer database.
        SqliteConnection.ClearAllPools();
        using var check = OpenRaw();
        Scalar(check, "SELECT MAX(version) FROM schema_version").ShouldBe(newer);
        Scalar(check, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'executions'").ShouldBe(0);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Storage.DatabasePath }.ToString());
        connection.Open();
        return connection;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static int Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static List<string> IndexNames(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA index_list({table})";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(reader.GetOrdinal("name")));
        }

        return names;
    }

    private static List<string> Columns(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA table_info({table})";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(reader.GetOrdinal("name")));
        }

        return names;
    }
}
