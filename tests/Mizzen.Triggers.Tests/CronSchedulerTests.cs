using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Testing.Stores;
using Mizzen.Triggers.Cron;

namespace Mizzen.Triggers.Tests;

/// <summary>The cron scheduler on a test clock and the real store: one run per due time, one catch-up after downtime, none for a new trigger.</summary>
public abstract class CronSchedulerTests(StoreBackend backend) : IAsyncLifetime
{
    // Thursday 2026-12-03 11:59:30 UTC
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 3, 11, 59, 30, TimeSpan.Zero));
    private TriggerServices triggers = null!;
    private IServiceProvider services = null!;
    private CronScheduler scheduler = null!;

    public async Task InitializeAsync()
    {
        triggers = await TriggerServices.CreateAsync(backend, clock, "mizzen-cron");
        services = triggers.Provider;
        scheduler = triggers.Get<CronScheduler>();
    }

    public async Task DisposeAsync() => await triggers.DisposeAsync();

    private Task SaveAsync(string cron, bool enabled = true) =>
        services.GetRequiredService<IPipelineConfigStore>().SaveAsync(PipelineConfig.Parse($$"""
            {"id":"nightly","application":"shop","name":"nightly",
             "triggers":[{"type":"cron","enabled":{{(enabled ? "true" : "false")}},"cronExpression":"{{cron}}"}],"stages":[]}
            """), "tester", CancellationToken.None);

    private Task<DateTimeOffset?> TickAsync() => scheduler.FireDueAsync(TimeZoneInfo.Utc, CancellationToken.None);

    private async Task<IReadOnlyList<PipelineExecution>> RunsAsync() =>
        await services.GetRequiredService<IExecutionStore>().ListAsync(new ExecutionQuery { Application = "shop", Limit = 100 }, CancellationToken.None);

    [Fact]
    public async Task A_new_trigger_starts_from_now_and_fires_once_when_its_time_comes()
    {
        await SaveAsync("0 0 12 * * ?");

        (await TickAsync()).ShouldBe(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero)); // its next time, for the scheduler's sleep
        (await RunsAsync()).ShouldBeEmpty();

        clock.Advance(TimeSpan.FromSeconds(30));
        await TickAsync();
        await TickAsync();

        var run = (await RunsAsync()).ShouldHaveSingleItem();
        run.Trigger["type"]!.GetValue<string>().ShouldBe("cron");
        run.Trigger["cronExpression"]!.GetValue<string>().ShouldBe("0 0 12 * * ?");
        run.Trigger["eventId"]!.GetValue<string>().ShouldBe("nightly/0@2026-12-03T12:00:00Z");
    }

    [Fact]
    public async Task After_downtime_a_trigger_fires_once_for_the_latest_time_it_missed()
    {
        await SaveAsync("0 0 * * * ?"); // hourly
        await TickAsync();

        clock.Advance(TimeSpan.FromHours(5)); // 12:00 ... 16:00 passed while "down"
        await TickAsync();

        var run = (await RunsAsync()).ShouldHaveSingleItem();
        run.Trigger["eventId"]!.GetValue<string>().ShouldBe("nightly/0@2026-12-03T16:00:00Z");
        (await TickAsync()).ShouldBe(new DateTimeOffset(2026, 12, 3, 17, 0, 0, TimeSpan.Zero));
        (await RunsAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_disabled_cron_trigger_starts_nothing()
    {
        await SaveAsync("* * * * * ?", enabled: false);
        await TickAsync();
        clock.Advance(TimeSpan.FromMinutes(2));

        (await TickAsync()).ShouldBeNull();
        (await RunsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_second_scheduler_on_the_same_store_does_not_fire_the_same_time_again()
    {
        await SaveAsync("0 0 12 * * ?");
        await TickAsync();
        clock.Advance(TimeSpan.FromSeconds(45));

        await TickAsync();
        // As after a failover: the state says 12:00 fired; a new leader's first look finds nothing due.
        var other = ActivatorUtilities.CreateInstance<CronScheduler>(services);
        await other.FireDueAsync(TimeZoneInfo.Utc, CancellationToken.None);

        (await RunsAsync()).Count.ShouldBe(1);
    }
}

public sealed class CronSchedulerTestsOnSqlite() : CronSchedulerTests(StoreBackend.Sqlite);

public sealed class CronSchedulerTestsOnPostgres() : CronSchedulerTests(StoreBackend.Postgres);
