using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Engine;

/// <summary>Cancel, pause, resume, restart, skip and timeouts, driven by the test clock.</summary>
public abstract class ControlTests(StoreBackend backend) : IAsyncLifetime
{
    private EngineHarness engine = null!;

    public async Task InitializeAsync() => engine = await EngineHarness.CreateAsync(backend);

    [Fact]
    public async Task Cancel_during_a_running_task_ends_the_run_canceled_without_waiting_for_a_backoff()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"refId":"1","type":"test.slow","name":"slow","durationMs":600000},{"refId":"2","requisiteStageRefIds":["1"],"type":"test.noop","name":"next"}]}""");

        await engine.Runner.CancelAsync(run.Id, "alice", "wrong version", CancellationToken.None);
        await engine.RunUntilIdleAsync();

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Canceled);
        run.CanceledBy.ShouldBe("alice");
        run.CancellationReason.ShouldBe("wrong version");
        EngineHarness.Stage(run, "slow").Status.ShouldBe(ExecutionStatus.Canceled);
        EngineHarness.Stage(run, "next").Status.ShouldBe(ExecutionStatus.NotStarted);
    }

    [Fact]
    public async Task Cancel_while_before_stages_run_cancels_them_and_the_run()
    {
        var run = await engine.StartAsync("""{"stages":[{"refId":"1","type":"test.synthetic","name":"parent"}]}""");
        await engine.Runner.CancelAsync(run.Id, "bob", null, CancellationToken.None);
        await engine.RunUntilIdleAsync();

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Canceled);
        run.Stages.ShouldNotContain(s => s.Status == ExecutionStatus.Running);
    }

    [Fact]
    public async Task Cancel_of_a_finished_run_changes_nothing()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"refId":"1","type":"test.noop","name":"a"}]}""");
        await engine.Runner.CancelAsync(run.Id, "bob", null, CancellationToken.None);
        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task A_stage_timeout_fails_the_stage_and_paused_time_does_not_count()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"refId":"1","type":"test.slow","name":"slow","durationMs":600000,"stageTimeoutMs":10000}]}""");
        await engine.AdvanceAsync(TimeSpan.FromSeconds(5));
        await engine.Runner.PauseAsync(run.Id, "alice", CancellationToken.None);
        await engine.RunUntilIdleAsync();
        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Paused);

        await engine.AdvanceAsync(TimeSpan.FromSeconds(60));
        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Paused);
        await engine.Runner.ResumeAsync(run.Id, "alice", CancellationToken.None);
        await engine.RunUntilIdleAsync();
        await engine.AdvanceAsync(TimeSpan.FromSeconds(3));
        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Running);

        await engine.AdvanceAsync(TimeSpan.FromSeconds(4));

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Terminal);
        run.Paused!.PausedBy.ShouldBe("alice");
        run.Paused.ResumedBy.ShouldBe("alice");
        run.Paused.PausedMs.ShouldBe(60_000);
        EngineHarness.Stage(run, "slow").Context["exception"]!.ToJsonString().ShouldContain("timed out");
    }

    [Fact]
    public async Task Pausing_a_finished_run_is_refused_with_a_clear_message()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"refId":"1","type":"test.noop","name":"a"}]}""");
        var error = await Should.ThrowAsync<ConflictException>(() => engine.Runner.PauseAsync(run.Id, "alice", CancellationToken.None));
        error.Message.ShouldContain("only a RUNNING execution can be paused");
    }

    [Fact]
    public async Task Restarting_a_failed_stage_runs_it_and_its_downstream_again_and_records_who()
    {
        var run = await engine.StartAndRunAsync("""
            {"stages":[{"refId":"1","type":"test.noop","name":"first"},
                       {"refId":"2","requisiteStageRefIds":["1"],"type":"test.slow","name":"flaky","durationMs":1000,"stageTimeoutMs":500},
                       {"refId":"3","requisiteStageRefIds":["2"],"type":"test.noop","name":"last"}]}
            """);
        await engine.AdvanceAsync(TimeSpan.FromSeconds(2));
        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Terminal);
        var firstEnd = EngineHarness.Stage(run, "first").EndTime;

        // The timeout is the problem: restarting with the same config fails again, so this checks the reset and the record.
        await engine.Runner.RestartStageAsync(run.Id, EngineHarness.Stage(run, "flaky").Id, "carol", CancellationToken.None);
        await engine.RunUntilIdleAsync();
        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Running);
        var flaky = EngineHarness.Stage(run, "flaky");
        flaky.Status.ShouldBe(ExecutionStatus.Running);
        flaky.Context["restartDetails"]!["restartedBy"]!.GetValue<string>().ShouldBe("carol");
        flaky.Context["restartDetails"]!["previousException"]!.ToJsonString().ShouldContain("timed out");
        EngineHarness.Stage(run, "first").EndTime.ShouldBe(firstEnd);
    }

    [Fact]
    public async Task Restarting_a_succeeded_stage_reruns_it_and_everything_after_it()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"type":"test.noop","name":"a"},{"type":"test.noop","name":"b"},{"type":"test.noop","name":"c"}]}""");
        var aEnd = EngineHarness.Stage(run, "a").EndTime;
        engine.Clock.Advance(TimeSpan.FromMinutes(1));

        await engine.Runner.RestartStageAsync(run.Id, EngineHarness.Stage(run, "b").Id, "dave", CancellationToken.None);
        await engine.RunUntilIdleAsync();

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        EngineHarness.Stage(run, "a").EndTime.ShouldBe(aEnd);
        EngineHarness.Stage(run, "c").StartTime!.Value.ShouldBeGreaterThan(aEnd!.Value + 59_000);
    }

    [Fact]
    public async Task A_skippable_stage_skipped_by_hand_lets_the_run_continue()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"refId":"1","type":"test.slow","name":"slow","durationMs":600000},{"refId":"2","requisiteStageRefIds":["1"],"type":"test.noop","name":"next"}]}""");

        await engine.Runner.UpdateStageAsync(run.Id, EngineHarness.Stage(run, "slow").Id, new JsonObject { ["manualSkip"] = true }, "erin", CancellationToken.None);
        await engine.RunUntilIdleAsync();

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        EngineHarness.Stage(run, "slow").Status.ShouldBe(ExecutionStatus.Skipped);
        EngineHarness.Stage(run, "slow").Context["lastModifiedBy"]!.GetValue<string>().ShouldBe("erin");
    }

    [Fact]
    public async Task Changing_a_field_that_is_not_a_user_control_is_refused()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"refId":"1","type":"test.slow","name":"slow","durationMs":600000}]}""");
        var error = await Should.ThrowAsync<ValidationException>(() =>
            engine.Runner.UpdateStageAsync(run.Id, run.Stages[0].Id, new JsonObject { ["durationMs"] = 1 }, "mallory", CancellationToken.None));
        error.Problems[0].Location.ShouldBe("durationMs");
    }

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        engine.DeleteFolder();
    }
}

public sealed class ControlTestsOnSqlite() : ControlTests(StoreBackend.Sqlite);

public sealed class ControlTestsOnPostgres() : ControlTests(StoreBackend.Postgres);
