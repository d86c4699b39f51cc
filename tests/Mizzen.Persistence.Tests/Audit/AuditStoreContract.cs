using Microsoft.Extensions.DependencyInjection;
using Mizzen.Persistence.Audit;
using Mizzen.Testing;
using Mizzen.Testing.Stores;

namespace Mizzen.Persistence.Tests.Audit;

/// <summary>
/// The audit store's rules on every backend: newest first, filters by user, action prefix, target prefix and time, paging by
/// cursor, purge by age in batches, and an appended id that is appended again (a retried batch) stored once.
/// </summary>
public abstract class AuditStoreContract(StoreBackend backend) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private StoreServices? services;

    private IAuditStore Store => services!.Services.GetRequiredService<IAuditStore>();

    public async Task InitializeAsync() => services = await StoreServices.CreateAsync(backend, TestTime.Clock());

    public async Task DisposeAsync()
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }
    }

    private static AuditRecord Record(int minute, string user, string action, string target, string? before = null, string? after = null) =>
        new($"01J{minute:D23}", T0.AddMinutes(minute), user, action, target, "127.0.0.1", 200, before, after, null);

    private async Task SeedAsync() => await Store.AppendAsync(
    [
        Record(1, "ann", "pipeline.saved", "pipeline:shop/deploy", "{\"a\":1}", "{\"a\":2}"),
        Record(2, "bob", "execution.started", "execution:01JA"),
        Record(3, "ann", "execution.canceled", "execution:01JA"),
        Record(4, "carl", "pipeline.deleted", "pipeline:web/deploy", "{\"a\":3}"),
        Record(5, "ann", "login.succeeded", "user:ann"),
    ], CancellationToken.None);

    [Fact]
    public async Task Records_come_back_newest_first_with_every_field()
    {
        await SeedAsync();

        var all = await Store.QueryAsync(new AuditQuery(), CancellationToken.None);

        all.Select(r => r.Action).ShouldBe(["login.succeeded", "pipeline.deleted", "execution.canceled", "execution.started", "pipeline.saved"]);
        var saved = all[^1];
        (saved.User, saved.Target, saved.Address, saved.Status, saved.Before, saved.After, saved.At)
            .ShouldBe(("ann", "pipeline:shop/deploy", "127.0.0.1", (int?)200, "{\"a\":1}", "{\"a\":2}", T0.AddMinutes(1)));
    }

    [Fact]
    public async Task Filters_combine_user_action_prefix_target_prefix_and_time()
    {
        await SeedAsync();

        (await Store.QueryAsync(new AuditQuery { User = "ann" }, CancellationToken.None)).Count.ShouldBe(3);
        (await Store.QueryAsync(new AuditQuery { Action = "pipeline." }, CancellationToken.None)).Select(r => r.User).ShouldBe(["carl", "ann"]);
        (await Store.QueryAsync(new AuditQuery { Target = "execution:01JA" }, CancellationToken.None)).Count.ShouldBe(2);
        (await Store.QueryAsync(new AuditQuery { User = "ann", Action = "execution." }, CancellationToken.None)).Single().Action.ShouldBe("execution.canceled");
        (await Store.QueryAsync(new AuditQuery { Since = T0.AddMinutes(2), Until = T0.AddMinutes(4) }, CancellationToken.None))
            .Select(r => r.Action).ShouldBe(["execution.canceled", "execution.started"]);

        // A prefix is matched literally: the SQL wildcards % and _ in a filter match nothing here.
        (await Store.QueryAsync(new AuditQuery { Action = "pipeline%" }, CancellationToken.None)).ShouldBeEmpty();
        (await Store.QueryAsync(new AuditQuery { Target = "_ipeline" }, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Pages_follow_the_cursor_to_the_end()
    {
        await SeedAsync();

        var first = await Store.QueryAsync(new AuditQuery { Limit = 2 }, CancellationToken.None);
        var second = await Store.QueryAsync(new AuditQuery { Limit = 2, BeforeId = first[^1].Id }, CancellationToken.None);
        var third = await Store.QueryAsync(new AuditQuery { Limit = 2, BeforeId = second[^1].Id }, CancellationToken.None);

        first.Concat(second).Concat(third).Select(r => r.Id).ShouldBe(
            (await Store.QueryAsync(new AuditQuery(), CancellationToken.None)).Select(r => r.Id));
        third.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Purge_deletes_only_records_older_than_the_cutoff_in_batches()
    {
        await SeedAsync();

        (await Store.PurgeAsync(T0.AddMinutes(4), 2, CancellationToken.None)).ShouldBe(2);
        (await Store.PurgeAsync(T0.AddMinutes(4), 2, CancellationToken.None)).ShouldBe(1);
        (await Store.PurgeAsync(T0.AddMinutes(4), 2, CancellationToken.None)).ShouldBe(0);

        (await Store.QueryAsync(new AuditQuery(), CancellationToken.None)).Select(r => r.Action).ShouldBe(["login.succeeded", "pipeline.deleted"]);
    }

    [Fact]
    public async Task A_batch_appended_again_after_a_failure_is_stored_once()
    {
        await SeedAsync();
        await SeedAsync();

        (await Store.QueryAsync(new AuditQuery(), CancellationToken.None)).Count.ShouldBe(5);
    }
}

public sealed class AuditStoreOnSqlite() : AuditStoreContract(StoreBackend.Sqlite);

public sealed class AuditStoreOnPostgres() : AuditStoreContract(StoreBackend.Postgres);
