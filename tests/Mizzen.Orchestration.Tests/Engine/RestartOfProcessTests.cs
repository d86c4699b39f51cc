using Mizzen.Core.Model;
using Mizzen.Persistence.Queue;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Engine;

public abstract class RestartOfProcessTests(StoreBackend backend)
{
    [Fact]
    public async Task Runs_continue_from_where_they_stood_after_the_engine_is_replaced_mid_run()
    {
        var first = await EngineHarness.CreateAsync(backend);
        var run = await first.StartAsync("""
            {"stages":[{"refId":"1","type":"test.noop","name":"a"},
                       {"refId":"2","requisiteStageRefIds":["1"],"type":"test.slow","name":"b","durationMs":3000},
                       {"refId":"3","requisiteStageRefIds":["1"],"type":"test.noop","name":"c"},
                       {"refId":"4","requisiteStageRefIds":["2","3"],"type":"test.noop","name":"d"}]}
            """);
        await first.RunUntilIdleAsync();

        // Claim messages and "die" holding their leases, as a killed process would.
        var queue = (IMessageQueue)first.Services.GetService(typeof(IMessageQueue))!;
        first.Clock.Advance(TimeSpan.FromSeconds(2));
        (await queue.ClaimAsync(16, TimeSpan.FromMinutes(5), CancellationToken.None)).Count.ShouldBeGreaterThan(0);
        await first.DisposeAsync();

        var second = EngineHarness.Reopen(first);
        try
        {
            await ((IMessageQueue)second.Services.GetService(typeof(IMessageQueue))!).ReleaseNodeLeasesAsync(CancellationToken.None);
            await second.AdvanceAsync(TimeSpan.FromSeconds(3));
            var done = await second.GetAsync(run.Id);
            done.Status.ShouldBe(ExecutionStatus.Succeeded);
            done.Stages.ShouldAllBe(s => s.Status == ExecutionStatus.Succeeded);
        }
        finally
        {
            await second.DisposeAsync();
            second.DeleteFolder();
        }
    }
}

public sealed class RestartOfProcessTestsOnSqlite() : RestartOfProcessTests(StoreBackend.Sqlite);

public sealed class RestartOfProcessTestsOnPostgres() : RestartOfProcessTests(StoreBackend.Postgres);
