using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Engine;

/// <summary>
/// One event, many deliveries at once (a webhook retried while the first try is in flight, or two nodes handed the same message):
/// the runs share a correlation id and exactly one is stored. On PostgreSQL the parallel starts race past each other's look-up and
/// meet at the unique index; the loser finds the winner's run.
/// </summary>
public abstract class CorrelatedStartTests(StoreBackend backend) : IAsyncLifetime
{
    private EngineHarness engine = null!;

    public async Task InitializeAsync() => engine = await EngineHarness.CreateAsync(backend);

    [Fact]
    public async Task Parallel_starts_of_one_event_store_one_run_and_all_answer_with_it()
    {
        var config = PipelineConfig.Parse("""{"id":"p","application":"app","name":"p","stages":[{"refId":"1","type":"test.noop","name":"a"}]}""");
        await engine.Configs.SaveAsync(config, "tester", CancellationToken.None);

        var starts = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
            engine.Runner.StartAsync(config, new JsonObject { ["type"] = "webhook", ["correlationId"] = "webhook:event-1:p/0" }, "hook", CancellationToken.None))));

        starts.Select(s => s.Id).Distinct().ShouldHaveSingleItem();
        var stored = await engine.Services.GetRequiredService<IExecutionStore>().ListAsync(new ExecutionQuery { Application = "app", Limit = 100 }, CancellationToken.None);
        stored.ShouldHaveSingleItem().Id.ShouldBe(starts[0].Id);
    }

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        engine.DeleteFolder();
    }
}

public sealed class CorrelatedStartTestsOnSqlite() : CorrelatedStartTests(StoreBackend.Sqlite);

public sealed class CorrelatedStartTestsOnPostgres() : CorrelatedStartTests(StoreBackend.Postgres);
