using Mizzen.Core.Model;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Engine;

/// <summary>Deck's four "if stage fails" choices, on a fan-out where one branch fails and the other is still running.</summary>
public abstract class FailureOptionTests(StoreBackend backend) : IAsyncLifetime
{
    private EngineHarness engine = null!;

    public async Task InitializeAsync() => engine = await EngineHarness.CreateAsync(backend);

    private static string Pipeline(string failureOptions) => $$"""
        {"stages":[
          {"refId":"a","type":"test.noop","name":"a"},
          {"refId":"bad","requisiteStageRefIds":["a"],"type":"test.fail","name":"bad"{{failureOptions}}},
          {"refId":"other","requisiteStageRefIds":["a"],"type":"test.slow","name":"other","durationMs":3000},
          {"refId":"afterBad","requisiteStageRefIds":["bad"],"type":"test.noop","name":"afterBad"}]}
        """;

    [Fact]
    public async Task Halt_the_entire_pipeline_fails_the_run_at_once_and_cancels_the_other_branch()
    {
        var run = await engine.StartAndRunAsync(Pipeline(""));

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        EngineHarness.Stage(run, "bad").Status.ShouldBe(ExecutionStatus.Terminal);
        EngineHarness.Stage(run, "other").Status.ShouldBe(ExecutionStatus.Canceled);
        EngineHarness.Stage(run, "afterBad").Status.ShouldBe(ExecutionStatus.NotStarted);
        EngineHarness.Stage(run, "bad").Context["exception"]!["details"]!["errors"]![0]!.GetValue<string>().ShouldContain("failed on purpose");
    }

    [Fact]
    public async Task Halt_this_branch_stops_it_and_the_run_succeeds_when_the_others_finish()
    {
        var run = await engine.StartAndRunAsync(Pipeline(""","failPipeline":false"""));
        run.Status.ShouldBe(ExecutionStatus.Running);
        EngineHarness.Stage(run, "bad").Status.ShouldBe(ExecutionStatus.Stopped);

        await engine.AdvanceAsync(TimeSpan.FromSeconds(4));

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        EngineHarness.Stage(run, "other").Status.ShouldBe(ExecutionStatus.Succeeded);
        EngineHarness.Stage(run, "afterBad").Status.ShouldBe(ExecutionStatus.NotStarted);
    }

    [Fact]
    public async Task Halt_branch_then_fail_lets_the_others_finish_and_then_fails_the_run()
    {
        var run = await engine.StartAndRunAsync(Pipeline(""","failPipeline":false,"completeOtherBranchesThenFail":true"""));
        run.Status.ShouldBe(ExecutionStatus.Running);

        await engine.AdvanceAsync(TimeSpan.FromSeconds(4));

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Terminal);
        EngineHarness.Stage(run, "other").Status.ShouldBe(ExecutionStatus.Succeeded);
        EngineHarness.Stage(run, "bad").Status.ShouldBe(ExecutionStatus.Stopped);
    }

    [Fact]
    public async Task Ignore_the_failure_marks_it_failed_continue_and_runs_what_follows()
    {
        var run = await engine.StartAndRunAsync(Pipeline(""","failPipeline":false,"continuePipeline":true"""));
        await engine.AdvanceAsync(TimeSpan.FromSeconds(4));

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        EngineHarness.Stage(run, "bad").Status.ShouldBe(ExecutionStatus.FailedContinue);
        EngineHarness.Stage(run, "afterBad").Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task A_task_that_throws_fails_its_stage_with_the_error_and_no_worker_crashes()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"refId":"1","type":"test.throw","name":"boom"}]}""");

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        var stage = EngineHarness.Stage(run, "boom");
        stage.Context["exception"]!["details"]!["errors"]![0]!.GetValue<string>().ShouldBe("the task threw");
        stage.Tasks[0].TaskExceptionDetails.ShouldNotBeNull();
    }

    [Fact]
    public async Task On_failure_stages_run_and_the_stage_stays_failed()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"refId":"1","type":"test.failWithRollback","name":"deploy"}]}""");

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        EngineHarness.Stage(run, "rollback").Status.ShouldBe(ExecutionStatus.Succeeded);
        EngineHarness.Stage(run, "deploy").Status.ShouldBe(ExecutionStatus.Terminal);
    }

    [Fact]
    public async Task An_unknown_stage_type_fails_the_stage_with_a_message_naming_it()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"refId":"1","type":"bake","name":"Bake"}]}""");

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        EngineHarness.Stage(run, "Bake").Context["exception"]!["details"]!["errors"]![0]!.GetValue<string>().ShouldContain("type 'bake'");
    }

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        engine.DeleteFolder();
    }
}

public sealed class FailureOptionTestsOnSqlite() : FailureOptionTests(StoreBackend.Sqlite);

public sealed class FailureOptionTestsOnPostgres() : FailureOptionTests(StoreBackend.Postgres);
