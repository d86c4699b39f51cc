using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Stages.Pipeline;
using Mizzen.Persistence.Executions;
using Mizzen.Testing;
using static Mizzen.Orchestration.Tests.Stages.StageTestKit;

namespace Mizzen.Orchestration.Tests.Stages.Pipeline;

public sealed class MonitorPipelineTaskTests
{
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private readonly InMemoryExecutionStore store = new();

    private MonitorPipelineTask Task => new(store);

    /// <summary>The definition as the container builds it: it finds the runner and the store when it cancels a child.</summary>
    private PipelineStage Definition(IExecutionRunner runner) => new(
        new ServiceCollection().AddSingleton(runner).AddSingleton<IExecutionStore>(store).BuildServiceProvider(),
        NullLogger<PipelineStage>.Instance);

    private PipelineExecution Child(ExecutionStatus status, params StageExecution[] stages)
    {
        var child = new PipelineExecution { Id = "01CHILD", Name = "Migrate DB", Application = "billing", Status = status, Stages = [.. stages] };
        store.Executions[child.Id] = child;
        return child;
    }

    private static StageExecution ChildStage(string refId, string outputs, ExecutionStatus status = ExecutionStatus.Succeeded, string[]? requisites = null, string context = "{}") =>
        new()
        {
            Id = "s" + refId, RefId = refId, Name = "Stage " + refId, Type = "wait", Status = status,
            RequisiteStageRefIds = [.. requisites ?? []], Outputs = MizzenJson.ParseObject(outputs), Context = MizzenJson.ParseObject(context),
        };

    private static StageExecution ParentStage(string extra = "") =>
        Stage("pipeline", $$"""{"application": "billing", "pipeline": "cfg-child", "executionId": "01CHILD"{{extra}}}""");

    [Fact]
    public async Task A_running_child_keeps_the_stage_running_and_shows_its_status()
    {
        Child(ExecutionStatus.Running);

        var result = await Task.ExecuteAsync(For(ParentStage(), clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Running);
        result.Context!["status"].AsString().ShouldBe("RUNNING");
    }

    [Fact]
    public async Task A_succeeded_child_copies_its_merged_outputs_in_stage_order()
    {
        Child(ExecutionStatus.Succeeded,
            ChildStage("2", """{"version": "2", "tags": ["b", "c"]}""", requisites: ["1"]),
            ChildStage("1", """{"version": "1", "tags": ["a", "b"], "first": true}"""));

        var result = await Task.ExecuteAsync(For(ParentStage(), clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Succeeded);
        result.Outputs!.ToJsonString(MizzenJson.Options).ShouldBe("""{"version":"2","tags":["a","b","c"],"first":true}""");
    }

    [Fact]
    public async Task Skip_downstream_output_keeps_the_childs_outputs_out()
    {
        Child(ExecutionStatus.Succeeded, ChildStage("1", """{"version": "1"}"""));

        var result = await Task.ExecuteAsync(For(ParentStage(""", "skipDownstreamOutput": true"""), clock), CancellationToken.None);

        result.Outputs.ShouldBeNull();
    }

    [Fact]
    public async Task A_failed_child_is_terminal_and_names_the_failed_stage_and_its_error()
    {
        Child(ExecutionStatus.Terminal,
            ChildStage("1", "{}"),
            ChildStage("2", "{}", ExecutionStatus.Terminal, context: """{"exception": {"details": {"errors": ["disk full"]}}}"""));

        var result = await Task.ExecuteAsync(For(ParentStage(), clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        ErrorOf(result).ShouldBe("Exception in child pipeline stage (Migrate DB: Stage 2): disk full");
    }

    [Fact]
    public async Task A_canceled_child_cancels_the_stage()
    {
        Child(ExecutionStatus.Canceled);

        (await Task.ExecuteAsync(For(ParentStage(), clock), CancellationToken.None)).Status.ShouldBe(ExecutionStatus.Canceled);
    }

    [Fact]
    public void Monitoring_polls_quickly_at_first_then_every_fifteen_seconds_for_up_to_twelve_hours()
    {
        var started = clock.Ms();
        var context = For(ParentStage(), clock, taskStartTime: started);
        Task.Backoff(context).ShouldBe(TimeSpan.FromSeconds(2));
        clock.Advance(TimeSpan.FromMinutes(3));
        Task.Backoff(For(ParentStage(), clock, taskStartTime: started)).ShouldBe(TimeSpan.FromSeconds(15));
        Task.Timeout(context).ShouldBe(TimeSpan.FromHours(12));
        Task.TimeoutOverridableByStage.ShouldBeTrue();
    }

    [Fact]
    public async Task Cancelling_the_stage_cancels_a_running_child()
    {
        Child(ExecutionStatus.Running);
        var runner = new RecordingExecutionRunner(store);
        var definition = Definition(runner);
        var stage = ParentStage();
        var parent = Execution(stage);
        parent.Canceled = true;
        parent.CanceledBy = "dave";

        await definition.CancelAsync(parent, stage, CancellationToken.None);

        runner.Canceled.Single().ShouldBe(("01CHILD", "dave", "The parent pipeline deploy shop was canceled"));
    }

    [Fact]
    public async Task A_finished_child_is_not_cancelled_again()
    {
        Child(ExecutionStatus.Succeeded);
        var runner = new RecordingExecutionRunner(store);

        await Definition(runner).CancelAsync(Execution(ParentStage()), ParentStage(), CancellationToken.None);

        runner.Canceled.ShouldBeEmpty();
    }

    [Fact]
    public void The_stage_skips_monitoring_when_it_does_not_wait_and_is_skippable_only_on_request()
    {
        var definition = Definition(new RecordingExecutionRunner(store));
        var tasks = new TaskGraph();
        definition.BuildTasks(Stage("pipeline", """{"waitForCompletion": false}"""), tasks);
        tasks.Nodes.Select(n => n.Name).ShouldBe(["startPipeline"]);

        definition.CanManuallySkip(Stage("pipeline", """{"skippable": true}""")).ShouldBeTrue();
        definition.CanManuallySkip(Stage("pipeline")).ShouldBeFalse();
        definition.Validate(MizzenJson.ParseObject("{}"), "stages[5]").Select(p => p.ToString()).ShouldBe(
            ["stages[5].application: required for a 'pipeline' stage", "stages[5].pipeline: required for a 'pipeline' stage"]);
    }

    [Fact]
    public void A_restart_starts_a_new_child_unless_the_child_asked_for_it()
    {
        var definition = Definition(new RecordingExecutionRunner(store));
        var fresh = ParentStage();
        definition.PrepareForRestart(fresh);
        fresh.Context.ContainsKey("executionId").ShouldBeFalse();

        var fromChild = ParentStage(""", "_skipPipelineRestart": true""");
        definition.PrepareForRestart(fromChild);
        fromChild.Context["executionId"].AsString().ShouldBe("01CHILD");
        fromChild.Context.ContainsKey("_skipPipelineRestart").ShouldBeFalse();
    }
}
