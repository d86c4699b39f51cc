using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Storage;
using Mizzen.Testing;
using Mizzen.Testing.Stores;

namespace Mizzen.Canary.Tests.Storage;

/// <summary>The canary config and report stores as <c>AddMizzenCanary</c> registers them on each store backend.</summary>
public abstract class CanaryStoreTests(StoreBackend backend) : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private StoreServices services = null!;
    private ICanaryConfigStore store = null!;
    private ICanaryReportStore reports = null!;

    public async Task InitializeAsync()
    {
        services = await StoreServices.CreateAsync(backend, clock, s => s.AddMizzenCanary());
        store = services.Get<ICanaryConfigStore>();
        reports = services.Get<ICanaryReportStore>();

        // The in-memory stores are the fallback when no database is registered: a test of them here would prove nothing.
        store.ShouldNotBeOfType<InMemoryCanaryConfigStore>($"the canary config store on {backend} must be persistent");
        reports.ShouldNotBeOfType<InMemoryCanaryReportStore>($"the canary report store on {backend} must be persistent");
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

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
        var first = await store.SaveAsync("shop", Config("checkout"), "alice", CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(5));
        var second = await store.SaveAsync("shop", Config("checkout-v2", first.Id), "bob", CancellationToken.None);

        second.Revision.ShouldBe(2);
        var latest = (await store.GetAsync("shop", first.Id, null, CancellationToken.None))!;
        (latest.Config.Name, latest.SavedBy, latest.SavedAt).ShouldBe(("checkout-v2", "bob", clock.GetUtcNow()));
        (await store.GetAsync("shop", first.Id, 1, CancellationToken.None))!.Config.Name.ShouldBe("checkout");
        (await store.ListRevisionsAsync("shop", first.Id, CancellationToken.None)).Select(r => r.SavedBy).ShouldBe(["alice", "bob"]);
        (await store.FindAsync(first.Id, CancellationToken.None))!.Application.ShouldBe("shop");
        (await store.GetAsync("other", first.Id, null, CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Lists_the_latest_of_each_config_per_application_and_deletes_every_revision()
    {
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
        await reports.SaveAsync("E-S", 2, new JsonObject { ["score"] = 50 }, CancellationToken.None);
        await reports.SaveAsync("E-S", 1, new JsonObject { ["score"] = 100 }, CancellationToken.None);

        (await reports.ListAsync("E-S", CancellationToken.None)).Select(r => (r.Interval, r.Report["score"]!.GetValue<int>())).ShouldBe([(1, 100), (2, 50)]);
    }
}

public sealed class CanaryStoreTestsOnSqlite() : CanaryStoreTests(StoreBackend.Sqlite);

public sealed class CanaryStoreTestsOnPostgres() : CanaryStoreTests(StoreBackend.Postgres);
