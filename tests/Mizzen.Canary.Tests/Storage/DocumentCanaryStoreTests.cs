using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Storage;
using Mizzen.Persistence;
using Mizzen.Persistence.Documents;
using Mizzen.Testing;
using Mizzen.Testing.Stores;

namespace Mizzen.Canary.Tests.Storage;

/// <summary>The canary config and report stores on the document store of each backend (a real SQLite file, a real PostgreSQL database).</summary>
public abstract class DocumentCanaryStoreTests(StoreBackend backend) : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private StoreServices services = null!;

    private FakeTimeProvider Clock => clock;

    private IDocumentStore Documents => services.Get<IDocumentStore>();

    public async Task InitializeAsync() => services = await StoreServices.CreateAsync(backend, clock, s => s.AddMizzenCanary());

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task Configs_and_reports_are_still_there_after_a_restart_of_the_process()
    {
        var saved = await services.Get<ICanaryConfigStore>().SaveAsync("shop", Config("checkout"), "alice", CancellationToken.None);
        await services.Get<ICanaryReportStore>().SaveAsync("E-S", 1, new JsonObject { ["score"] = 100 }, CancellationToken.None);

        var collection = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(clock);
        await using var restarted = services.Store.AddTo(collection).AddMizzenCanary().BuildServiceProvider();

        (await restarted.GetRequiredService<ICanaryConfigStore>().GetAsync("shop", saved.Id, null, CancellationToken.None))!.Config.Name.ShouldBe("checkout");
        (await restarted.GetRequiredService<ICanaryReportStore>().ListAsync("E-S", CancellationToken.None)).ShouldHaveSingleItem().Interval.ShouldBe(1);
    }

    [Fact]
    public void The_stores_AddMizzenCanary_registers_are_the_document_stores()
    {
        services.Get<ICanaryConfigStore>().ShouldBeOfType<DocumentCanaryConfigStore>();
        services.Get<ICanaryReportStore>().ShouldBeOfType<DocumentCanaryReportStore>();
    }

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
        var lookup = new DocumentCanaryConfigLookup(services.Get<Mizzen.Persistence.Lookups.IStoreLookupReads>());

        lookup.FindCanaryConfigId("search", "shop").ShouldBe(search.Id);
        lookup.FindCanaryConfigId("checkout-v2", "shop").ShouldBe(checkout.Id);
        lookup.FindCanaryConfigId("checkout", "shop").ShouldBeNull("only the latest revision's name counts");
        lookup.FindCanaryConfigId("Search", "shop").ShouldBeNull("names are compared exactly");
        lookup.FindCanaryConfigId("search", "web").ShouldBeNull();
    }
}

public sealed class DocumentCanaryStoreTestsOnSqlite() : DocumentCanaryStoreTests(StoreBackend.Sqlite);

public sealed class DocumentCanaryStoreTestsOnPostgres() : DocumentCanaryStoreTests(StoreBackend.Postgres);
