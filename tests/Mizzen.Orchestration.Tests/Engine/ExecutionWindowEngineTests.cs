using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ExecutionWindow;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Engine;

public abstract class ExecutionWindowEngineTests(StoreBackend backend) : IAsyncLifetime
{
    // The harness clock starts Monday 2026-11-02 09:00 UTC.
    private EngineHarness engine = null!;

    public async Task InitializeAsync() =>
        engine = await EngineHarness.CreateAsync(backend, s => s.Configure<ExecutionWindowOptions>(o => o.TimeZone = "UTC"));

    private const string Windowed = """
        {"stages":[{"refId":"1","type":"test.noop","name":"deploy","stageTimeoutMs":60000,
                    "restrictExecutionDuringTimeWindow":true,
                    "restrictedExecutionWindow":{"days":[2,3,4,5,6],"whitelist":[{"startHour":10,"startMin":0,"endHour":11,"endMin":0}]}}]}
        """;

    [Fact]
    public async Task A_stage_outside_its_window_waits_for_it_and_the_wait_does_not_count_against_its_timeout()
    {
        var run = await engine.StartAndRunAsync(Windowed);
        var window = run.Stages.Single(s => s.Type == "restrictExecutionDuringTimeWindow");
        window.RefId.ShouldBe("1<0");
        window.Status.ShouldBe(ExecutionStatus.Running);
        EngineHarness.Stage(run, "deploy").Tasks[0].Status.ShouldBe(ExecutionStatus.NotStarted);

        await engine.AdvanceAsync(TimeSpan.FromMinutes(61));

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        EngineHarness.Stage(run, "deploy").Tasks[0].StartTime!.Value
            .ShouldBeGreaterThanOrEqualTo(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Skipping_the_remaining_wait_lets_the_stage_run_now()
    {
        var run = await engine.StartAndRunAsync(Windowed);
        var window = run.Stages.Single(s => s.Type == "restrictExecutionDuringTimeWindow");

        await engine.Runner.UpdateStageAsync(run.Id, window.Id, new System.Text.Json.Nodes.JsonObject { ["skipRemainingWait"] = true }, "ops", CancellationToken.None);
        await engine.RunUntilIdleAsync();

        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        engine.DeleteFolder();
    }
}

public sealed class ExecutionWindowEngineTestsOnSqlite() : ExecutionWindowEngineTests(StoreBackend.Sqlite);

public sealed class ExecutionWindowEngineTestsOnPostgres() : ExecutionWindowEngineTests(StoreBackend.Postgres);
