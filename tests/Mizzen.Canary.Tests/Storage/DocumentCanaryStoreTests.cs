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

/// <summary>The canary config and report stores on the document store of a real SQLite file (built through <c>AddSqliteStore</c>).</summary>
public sealed class DocumentCanaryStoreTests : IDisposable
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
    public async Task Saves_revisions_with_who_and_when_and_reads_the_latest()
    {
        var store = new DocumentCanaryConfigStore(Documents);
        var first = await store.SaveAsync("shop", Config("checkout"), "alice", CancellationToken.None);
        Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await store.SaveAsync("shop", Config("checkout-v2", first.Id), "bob", CancellationToken.None);

        second.Revision.ShouldBe(2);
        var latest = (await store.GetAsync("shop", first.Id, null, CancellationToken.None))!;
        (latest.Config.Name, latest.SavedBy, latest.SavedAt).ShouldBe(("checkout-v2", "bob", Clock.GetUtcNow()));
        (await store.GetAsync("shop", first.Id, 1, CancellationToken.None))!.Config.Name.ShouldBe("checkout");
        (await store.ListRevisionsAsync("shop", first.Id, CancellationToken.None)).Select(r => r.SavedBy).ShouldBe(["alice", "bob"]);
        (await store.FindAsync(first.Id, CancellationToken.None))!.Application.ShouldBe("shop");
        (await store.GetAsync("other", first.Id, null, CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Lists_the_latest_of_each_config_per_application_and_deletes_every_revision()
    {
        var store = new DocumentCanaryConfigStore(Documents);
        var a = await store.SaveAsync("shop", Config("a"), "alice", CancellationToken.None);
        await store.SaveAsync("shop", Config("a2", a.Id), "alice", CancellationToken.None);
        await store.SaveAsync("shop", Config("b"), "alice", CancellationToken.None);
        await store.SaveAsync("billing", Config("c"), "alice", CancellationToken.None);

        (await store.ListAsync("shop", CancellationToken.None)).Select(c => c.Config.Name).ShouldBe(["a2", "b"]);
        (await store.DeleteAsync("shop", a.Id, CancellationToken.None)).ShouldBeTrue();
        (await store.DeleteAsync("shop", a.Id, CancellationToken.None)).ShouldBeFalse();
        (await store.ListAsync("shop", CancellationToken.None)).Select(c => c.Config.Name).ShouldBe(["b"]);
    }

    [Fact]
    public async Task Reports_are_kept_per_interval_in_order()
    {
        var reports = new DocumentCanaryReportStore(Documents);
        await reports.SaveAsync("E-S", 2, new JsonObject { ["score"] = 50 }, CancellationToken.None);
        await reports.SaveAsync("E-S", 1, new JsonObject { ["score"] = 100 }, CancellationToken.None);

        (await reports.ListAsync("E-S", CancellationToken.None)).Select(r => (r.Interval, r.Report["score"]!.GetValue<int>())).ShouldBe([(1, 100), (2, 50)]);
    }

    [Fact]
    public async Task Saving_an_interval_again_replaces_its_report_and_an_unknown_run_has_none()
    {
        var reports = new DocumentCanaryReportStore(Documents);
        await reports.SaveAsync("E-S", 1, new JsonObject { ["score"] = 10 }, CancellationToken.None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await reports.SaveAsync("E-S", 1, new JsonObject { ["score"] = 90 }, CancellationToken.None);

        var stored = (await reports.ListAsync("E-S", CancellationToken.None)).ShouldHaveSingleItem();
        (stored.CanaryExecutionId, stored.Interval, stored.Report["score"]!.GetValue<int>(), stored.SavedAt).ShouldBe(("E-S", 1, 90, Clock.GetUtcNow()));
        (await reports.ListAsync("E-OTHER", CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_config_id_with_a_slash_is_refused_and_nothing_is_stored()
    {
        var store = new DocumentCanaryConfigStore(Documents);

        var error = await Should.ThrowAsync<CanaryConfigException>(() => store.SaveAsync("shop", Config("checkout", "a/b"), "alice", CancellationToken.None));

        error.Message.ShouldContain("'a/b' must not contain '/'");
        (await store.ListAsync("shop", CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Name_to_id_finds_the_config_of_that_exact_name_in_the_application_through_the_synchronous_reads()
    {
        var store = new DocumentCanaryConfigStore(Documents);
        var checkout = await store.SaveAsync("shop", Config("checkout"), "alice", CancellationToken.None);
        await store.SaveAsync("shop", Config("checkout-v2", checkout.Id), "alice", CancellationToken.None);
        var search = await store.SaveAsync("shop", Config("search"), "alice", CancellationToken.None);
        await store.SaveAsync("web", Config("checkout"), "alice", CancellationToken.None);
        var lookup = new DocumentCanaryConfigLookup(sqlite.Get<Mizzen.Persistence.Lookups.IStoreLookupReads>());

        lookup.FindCanaryConfigId("search", "shop").ShouldBe(search.Id);
        lookup.FindCanaryConfigId("checkout-v2", "shop").ShouldBe(checkout.Id);
        lookup.FindCanaryConfigId("checkout", "shop").ShouldBeNull("only the latest revision's name counts");
        lookup.FindCanaryConfigId("Search", "shop").ShouldBeNull("names are compared exactly");
        lookup.FindCanaryConfigId("search", "web").ShouldBeNull();
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
