using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages.ExecutionWindow;
using Mizzen.Persistence.Queue;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Engine;

/// <summary>
/// Cancelling a run while it stands in each kind of core stage, and the concurrency limits when runs start at the same moment.
/// The engine is stepped one message at a time so a cancel lands exactly where a test wants it; no clock moves unless said.
/// </summary>
public abstract class CancelAndConcurrencyTests(StoreBackend backend) : IAsyncLifetime
{
    // The harness clock starts Monday 2026-11-02 09:00 UTC; the window below opens at 10:00 on weekdays.
    private EngineHarness engine = null!;

    public async Task InitializeAsync() =>
        engine = await EngineHarness.CreateAsync(backend, s => s.Configure<ExecutionWindowOptions>(o => o.TimeZone = "UTC"));

    private const string Slow = """{"stages":[{"refId":"1","type":"test.slow","name":"slow","durationMs":5000}]""";

    [Fact]
    public async Task Cancel_while_a_manual_judgment_waits_ends_the_run_and_the_stage_canceled_at_once()
    {
        var run = await engine.StartAndRunAsync("""
            {"stages":[{"refId":"1","type":"manualJudgment","name":"approve","instructions":"ship?"},
                       {"refId":"2","requisiteStageRefIds":["1"],"type":"test.noop","name":"after"}]}
            """);
        EngineHarness.Stage(run, "approve").Status.ShouldBe(ExecutionStatus.Running);

        await engine.Runner.CancelAsync(run.Id, "alice", "not today", CancellationToken.None);
        await engine.RunUntilIdleAsync();

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Canceled);
        run.CanceledBy.ShouldBe("alice");
        EngineHarness.Stage(run, "approve").Status.ShouldBe(ExecutionStatus.Canceled);
        EngineHarness.Stage(run, "approve").Tasks.ShouldAllBe(t => t.Status != ExecutionStatus.Running);
        EngineHarness.Stage(run, "after").Status.ShouldBe(ExecutionStatus.NotStarted);
    }

    [Fact]
    public async Task A_judgment_sent_after_the_cancel_does_not_revive_the_run()
    {
        var run = await engine.StartAndRunAsync("""
            {"stages":[{"refId":"1","type":"manualJudgment","name":"approve"},
                       {"refId":"2","requisiteStageRefIds":["1"],"type":"test.noop","name":"after"}]}
            """);
        await engine.Runner.CancelAsync(run.Id, "alice", null, CancellationToken.None);
        await engine.RunUntilIdleAsync();

        var stageId = EngineHarness.Stage(run, "approve").Id;
        await Should.ThrowAsync<Core.Errors.ConflictException>(() => engine.Runner.UpdateStageAsync(
            run.Id, stageId, new System.Text.Json.Nodes.JsonObject { ["judgmentStatus"] = "continue" }, "bob", CancellationToken.None));
        await engine.RunUntilIdleAsync();

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Canceled);
        EngineHarness.Stage(run, "after").Status.ShouldBe(ExecutionStatus.NotStarted);
    }

    [Fact]
    public async Task Cancel_while_a_stage_waits_for_its_execution_window_ends_the_window_the_stage_and_the_run_canceled()
    {
        var run = await engine.StartAndRunAsync("""
            {"stages":[{"refId":"1","type":"test.noop","name":"deploy",
                        "restrictExecutionDuringTimeWindow":true,
                        "restrictedExecutionWindow":{"days":[2,3,4,5,6],"whitelist":[{"startHour":10,"startMin":0,"endHour":11,"endMin":0}]}}]}
            """);
        run.Stages.Single(s => s.Type == "restrictExecutionDuringTimeWindow").Status.ShouldBe(ExecutionStatus.Running);

        await engine.Runner.CancelAsync(run.Id, "ops", null, CancellationToken.None);
        await engine.RunUntilIdleAsync();

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Canceled);
        run.Stages.Single(s => s.Type == "restrictExecutionDuringTimeWindow").Status.ShouldBe(ExecutionStatus.Canceled);
        EngineHarness.Stage(run, "deploy").Status.ShouldBe(ExecutionStatus.Canceled);
        EngineHarness.Stage(run, "deploy").Tasks.ShouldAllBe(t => t.Status == ExecutionStatus.NotStarted);

        // When the window opens later, nothing wakes up.
        await engine.AdvanceAsync(TimeSpan.FromMinutes(61));
        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Canceled);
        EngineHarness.Stage(run, "deploy").Tasks.ShouldAllBe(t => t.Status == ExecutionStatus.NotStarted);
    }

    [Fact]
    public async Task Cancel_while_preconditions_are_being_checked_ends_the_check_and_the_run_canceled()
    {
        var run = await engine.StartAsync("""
            {"stages":[{"refId":"1","type":"checkPreconditions","name":"gate","preconditions":[{"type":"expression","context":{"expression":"true"}}]},
                       {"refId":"2","requisiteStageRefIds":["1"],"type":"test.noop","name":"after"}]}
            """);
        await StepUntilAsync(run.Id, e => e.Stages.Any(s => s.Type == "checkPrecondition" && s.Tasks.Any(t => t.Status == ExecutionStatus.Running)));

        await engine.Runner.CancelAsync(run.Id, "ops", null, CancellationToken.None);
        await engine.RunUntilIdleAsync();

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Canceled);
        EngineHarness.Stage(run, "gate").Status.ShouldBe(ExecutionStatus.Canceled);
        run.Stages.Single(s => s.Type == "checkPrecondition").Status.ShouldBe(ExecutionStatus.Canceled);
        EngineHarness.Stage(run, "after").Status.ShouldBe(ExecutionStatus.NotStarted);
    }

    [Fact]
    public async Task Cancel_before_evaluate_variables_runs_its_task_cancels_the_stage_and_no_variable_is_published()
    {
        var run = await engine.StartAsync("""
            {"stages":[{"refId":"1","type":"evaluateVariables","name":"vars","variables":[{"key":"target","value":"${1 + 1}"}]},
                       {"refId":"2","requisiteStageRefIds":["1"],"type":"test.noop","name":"after"}]}
            """);
        await StepUntilAsync(run.Id, e => EngineHarness.Stage(e, "vars").Tasks.Any(t => t.Status == ExecutionStatus.Running));

        await engine.Runner.CancelAsync(run.Id, "ops", null, CancellationToken.None);
        await engine.RunUntilIdleAsync();

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Canceled);
        EngineHarness.Stage(run, "vars").Status.ShouldBe(ExecutionStatus.Canceled);
        EngineHarness.Stage(run, "vars").Outputs.ContainsKey("target").ShouldBeFalse();
        EngineHarness.Stage(run, "after").Status.ShouldBe(ExecutionStatus.NotStarted);
    }

    [Fact]
    public async Task Cancel_right_after_the_trigger_ends_the_run_canceled_before_any_stage_starts()
    {
        var run = await engine.StartAsync("""
            {"stages":[{"refId":"1","type":"evaluateVariables","name":"vars","variables":[{"key":"target","value":"x"}]},
                       {"refId":"2","requisiteStageRefIds":["1"],"type":"checkPreconditions","name":"gate","preconditions":[{"type":"expression","context":{"expression":"true"}}]}]}
            """);

        await engine.Runner.CancelAsync(run.Id, "ops", "wrong trigger", CancellationToken.None);
        await engine.RunUntilIdleAsync();

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Canceled);
        run.CancellationReason.ShouldBe("wrong trigger");
        run.Stages.ShouldAllBe(s => s.Status == ExecutionStatus.NotStarted);
        EngineHarness.Stage(run, "vars").Outputs.ContainsKey("target").ShouldBeFalse();
    }

    [Fact]
    public async Task Limit_concurrent_runs_started_before_any_message_is_handled_never_overlap()
    {
        var first = await engine.StartAsync(Slow + ""","limitConcurrent":true}""");
        var second = await engine.StartAsync(Slow + ""","limitConcurrent":true}""");

        await DriveToEndAsync([first.Id, second.Id], limit: 1, queued: 1);

        (await engine.GetAsync(first.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);
        (await engine.GetAsync(second.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);
        (await engine.GetAsync(second.Id)).StartTime!.Value.ShouldBeGreaterThanOrEqualTo((await engine.GetAsync(first.Id)).EndTime!.Value);
    }

    [Fact]
    public async Task Limit_concurrent_runs_triggered_and_handled_in_parallel_never_overlap()
    {
        var config = await SaveAsync(Slow + ""","name":"parallel","limitConcurrent":true}""");
        var started = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            Task.Run(() => engine.Runner.StartAsync(config, [], "tester", CancellationToken.None))));

        // Both StartExecution messages are handled at the same time, as the worker's parallel slots would.
        await ProcessDueInParallelAsync();
        var statuses = await StatusesAsync(started.Select(r => r.Id));
        statuses.Count(s => s == ExecutionStatus.Running).ShouldBe(1);
        statuses.Count(s => s == ExecutionStatus.NotStarted).ShouldBe(1);

        await DriveToEndAsync([.. started.Select(r => r.Id)], limit: 1, queued: 1);
        (await StatusesAsync(started.Select(r => r.Id))).ShouldAllBe(s => s == ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task Max_concurrent_executions_of_two_lets_two_of_three_simultaneous_runs_go_and_holds_the_third()
    {
        var config = await SaveAsync(Slow + ""","name":"two at a time","limitConcurrent":false,"maxConcurrentExecutions":2,"keepWaitingPipelines":true}""");
        var started = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            Task.Run(() => engine.Runner.StartAsync(config, [], "tester", CancellationToken.None))));

        await ProcessDueInParallelAsync();
        var statuses = await StatusesAsync(started.Select(r => r.Id));
        statuses.Count(s => s == ExecutionStatus.Running).ShouldBe(2);
        statuses.Count(s => s == ExecutionStatus.NotStarted).ShouldBe(1);

        await DriveToEndAsync([.. started.Select(r => r.Id)], limit: 2, queued: 1);
        (await StatusesAsync(started.Select(r => r.Id))).ShouldAllBe(s => s == ExecutionStatus.Succeeded);
    }

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        engine.DeleteFolder();
    }

    private async Task<PipelineConfig> SaveAsync(string json)
    {
        var config = PipelineConfig.Parse(json);
        config.Json["application"] = "app";
        await engine.Configs.SaveAsync(config, "tester", CancellationToken.None);
        return (await engine.Configs.FindByNameAsync("app", config.Json["name"]!.GetValue<string>(), CancellationToken.None)).ShouldNotBeNull();
    }

    /// <summary>Handles one due message; false when none is due.</summary>
    private async Task<bool> StepAsync()
    {
        var batch = await engine.Services.GetRequiredService<IMessageQueue>().ClaimAsync(1, TimeSpan.FromMinutes(5), CancellationToken.None);
        if (batch.Count == 0)
        {
            return false;
        }

        await engine.Services.GetRequiredService<MessageProcessor>().ProcessAsync(batch[0], CancellationToken.None);
        return true;
    }

    private async Task StepUntilAsync(string executionId, Func<PipelineExecution, bool> reached)
    {
        for (var step = 0; step < 1000; step++)
        {
            if (reached(await engine.GetAsync(executionId)))
            {
                return;
            }

            if (!await StepAsync())
            {
                break;
            }
        }

        throw new InvalidOperationException($"execution {executionId} never reached the expected state");
    }

    /// <summary>Claims every due message and handles them all at once (the worker handles up to 16 in parallel).</summary>
    private async Task ProcessDueInParallelAsync()
    {
        var processor = engine.Services.GetRequiredService<MessageProcessor>();
        var batch = await engine.Services.GetRequiredService<IMessageQueue>().ClaimAsync(16, TimeSpan.FromMinutes(5), CancellationToken.None);
        batch.Count.ShouldBeGreaterThan(1);
        await Task.WhenAll(batch.Select(m => Task.Run(() => processor.ProcessAsync(m, CancellationToken.None))));
    }

    /// <summary>
    /// Runs every message one at a time, moving the clock when nothing is due, and checks after each one that at most
    /// <paramref name="limit"/> runs are active; also checks that at some point <paramref name="queued"/> runs were held waiting.
    /// </summary>
    private async Task DriveToEndAsync(IReadOnlyList<string> ids, int limit, int queued)
    {
        var mostWaiting = 0;
        for (var step = 0; step < 10_000; step++)
        {
            var statuses = await StatusesAsync(ids);
            statuses.Count(s => s is ExecutionStatus.Running or ExecutionStatus.Paused).ShouldBeLessThanOrEqualTo(limit);
            if (statuses.Count(s => s is ExecutionStatus.Running) == limit)
            {
                mostWaiting = Math.Max(mostWaiting, statuses.Count(s => s == ExecutionStatus.NotStarted));
            }

            if (statuses.All(s => s.IsComplete()))
            {
                mostWaiting.ShouldBe(queued);
                return;
            }

            if (!await StepAsync())
            {
                engine.Clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        throw new InvalidOperationException("the runs did not finish");
    }

    private async Task<List<ExecutionStatus>> StatusesAsync(IEnumerable<string> ids)
    {
        var statuses = new List<ExecutionStatus>();
        foreach (var id in ids)
        {
            statuses.Add((await engine.GetAsync(id)).Status);
        }

        return statuses;
    }
}

public sealed class CancelAndConcurrencyTestsOnSqlite() : CancelAndConcurrencyTests(StoreBackend.Sqlite);

public sealed class CancelAndConcurrencyTestsOnPostgres() : CancelAndConcurrencyTests(StoreBackend.Postgres);
