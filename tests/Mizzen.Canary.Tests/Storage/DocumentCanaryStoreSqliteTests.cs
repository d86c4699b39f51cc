using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Storage;
using Mizzen.Persistence;
using Mizzen.Persistence.Documents;
using Mizzen.Testing;

namespace Mizzen.Canary.Tests.Storage;

/// <summary>What only a SQLite data folder has: registration against a folder, and rows from before the document store (schema 5).</summary>
public sealed class DocumentCanaryStoreSqliteTests : IDisposable
{
    private readonly SqliteTestStore sqlite = new();

    private FakeTimeProvider Clock => sqlite.Clock;

    private IDocumentStore Documents => sqlite.Get<IDocumentStore>();

    public void Dispose() => sqlite.Dispose();

    private static CanaryConfig Config(string name, string? id = null)
    {
        var config = CanaryConfigJson.Parse("""{"metrics":[{"name":"m","groups":["g"],"query":{"type":"embedded","metricName":"error_rate"}}]}""");
        config.Name = name;
        config.Id = id;
        return config;
    }

    [Fact]
    public async Task The_stores_come_from_AddMizzenCanary_whether_it_is_called_before_or_after_the_store()
    {
        using var canaryFirst = new SqliteTestStore(configure: s => s.AddMizzenCanary());
        canaryFirst.Get<ICanaryConfigStore>().ShouldBeOfType<DocumentCanaryConfigStore>();
        canaryFirst.Get<ICanaryReportStore>().ShouldBeOfType<DocumentCanaryReportStore>();

        var collection = new ServiceCollection().AddLogging();
        collection.Configure<StorageOptions>(o => o.DataFolder = sqlite.Folder);
        collection.AddSqliteStore();
        collection.AddMizzenCanary();
        await using var storeFirst = collection.BuildServiceProvider();
        var saved = await storeFirst.GetRequiredService<ICanaryConfigStore>().SaveAsync("shop", Config("checkout"), "alice", CancellationToken.None);
        (await storeFirst.GetRequiredService<ICanaryConfigStore>().FindAsync(saved.Id, CancellationToken.None)).ShouldNotBeNull().Config.Name.ShouldBe("checkout");
    }

    /// <summary>
    /// Rows as the SQLite canary stores wrote them into the old <c>documents</c> table (schema version 5; only that
    /// table matters to the migration to version 6) are read back by the document stores after the upgrade.
    /// </summary>
    [Fact]
    public async Task Configs_and_reports_written_before_the_document_store_are_read_after_the_upgrade()
    {
        Directory.CreateDirectory(sqlite.Folder);
        using (var old = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(sqlite.Folder, "mizzen.db") }.ToString()))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE schema_version (version INTEGER NOT NULL);
                INSERT INTO schema_version (version) VALUES (1), (2), (3), (4), (5);
                CREATE TABLE documents (
                    collection TEXT NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL, updated_at INTEGER NOT NULL,
                    PRIMARY KEY (collection, key)) WITHOUT ROWID;
                INSERT INTO documents (collection, key, body, updated_at) VALUES
                ('canary-config:shop', 'c1/00000001',
                 '{"application":"shop","id":"c1","revision":1,"savedBy":"alice","savedAt":1700000000000,"config":{"id":"c1","name":"checkout","metrics":[{"name":"m","groups":["g"],"query":{"type":"embedded","metricName":"error_rate"}}]}}',
                 1700000000000),
                ('canary-config:shop', 'c1/00000002',
                 '{"application":"shop","id":"c1","revision":2,"savedBy":"bob","savedAt":1700000060000,"config":{"id":"c1","name":"checkout-v2","metrics":[{"name":"m","groups":["g"],"query":{"type":"embedded","metricName":"error_rate"}}]}}',
                 1700000060000),
                ('canary-report:E-S', '000002', '{"score":50}', 1700000120000),
                ('canary-report:E-S', '000001', '{"score":100}', 1700000090000);
                """;
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var configs = new DocumentCanaryConfigStore(Documents);
        var reports = new DocumentCanaryReportStore(Documents);

        var latest = (await configs.GetAsync("shop", "c1", null, CancellationToken.None)).ShouldNotBeNull();
        (latest.Application, latest.Id, latest.Revision, latest.Config.Name, latest.SavedBy, latest.SavedAt.ToUnixTimeMilliseconds())
            .ShouldBe(("shop", "c1", 2, "checkout-v2", "bob", 1_700_000_060_000L));
        latest.Config.Metrics.ShouldHaveSingleItem().Name.ShouldBe("m");
        (await configs.ListRevisionsAsync("shop", "c1", CancellationToken.None)).Select(r => (r.Revision, r.Config.Name, r.SavedBy))
            .ShouldBe([(1, "checkout", "alice"), (2, "checkout-v2", "bob")]);
        (await configs.FindAsync("c1", CancellationToken.None)).ShouldNotBeNull().Application.ShouldBe("shop");
        (await configs.SaveAsync("shop", latest.Config, "carol", CancellationToken.None)).Revision.ShouldBe(3);
        (await reports.ListAsync("E-S", CancellationToken.None)).Select(r => (r.Interval, r.Report["score"]!.GetValue<int>(), r.SavedAt.ToUnixTimeMilliseconds()))
            .ShouldBe([(1, 100, 1_700_000_090_000L), (2, 50, 1_700_000_120_000L)]);
    }
}
