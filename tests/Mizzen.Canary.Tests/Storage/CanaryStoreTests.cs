using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Storage;
using Mizzen.Persistence;
using Mizzen.Persistence.Sqlite;
using Mizzen.Testing;

namespace Mizzen.Canary.Tests.Storage;

public sealed class SqliteCanaryConfigStoreTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "mizzen-canary-store-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private readonly SqliteDatabase database;

    public SqliteCanaryConfigStoreTests() => database = new SqliteDatabase(Options.Create(new StorageOptions { DataFolder = folder }));

    public void Dispose()
    {
        database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
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
        var store = new SqliteCanaryConfigStore(database, clock);
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
        var store = new SqliteCanaryConfigStore(database, clock);
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
        var reports = new SqliteCanaryReportStore(database, clock);
        await reports.SaveAsync("E-S", 2, new JsonObject { ["score"] = 50 }, CancellationToken.None);
        await reports.SaveAsync("E-S", 1, new JsonObject { ["score"] = 100 }, CancellationToken.None);

        (await reports.ListAsync("E-S", CancellationToken.None)).Select(r => (r.Interval, r.Report["score"]!.GetValue<int>())).ShouldBe([(1, 100), (2, 50)]);
    }
}
