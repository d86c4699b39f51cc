using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Stages.ExecutionWindow;
using Mizzen.Testing;
using static Mizzen.Orchestration.Tests.Stages.StageTestKit;

namespace Mizzen.Orchestration.Tests.Stages.ExecutionWindow;

public sealed class ExecutionWindowStageTests
{
    private const string Jitter = """
        {"restrictedExecutionWindow": {"days": [1], "jitter": {"enabled": true, "minDelay": 10, "maxDelay": 40, "skipManual": true}}}
        """;

    private readonly FakeTimeProvider clock = TestTime.Clock();
    private readonly WaitForJitterTask jitter = new();

    [Fact]
    public void Enabled_jitter_adds_a_wait_for_jitter_task_after_the_window()
    {
        var tasks = new TaskGraph();
        new ExecutionWindowStage().BuildTasks(Stage("restrictExecutionDuringTimeWindow", Jitter), tasks);

        tasks.Nodes.Select(n => n.Name).ShouldBe(["suspendExecutionDuringTimeWindow", "waitForJitter"]);
    }

    [Fact]
    public async Task Jitter_waits_a_random_time_in_range_that_survives_a_process_restart()
    {
        var stage = Stage("restrictExecutionDuringTimeWindow", Jitter, id: "01JITTERSTAGE");
        var execution = Execution(stage);
        execution.Trigger["type"] = "cron";

        var first = await jitter.ExecuteAsync(For(stage, clock, execution), CancellationToken.None);
        first.Status.ShouldBe(ExecutionStatus.Running);
        var chosen = first.Context!["jitterWaitTime"].AsLong()!.Value;
        chosen.ShouldBeInRange(10, 40);
        first.BackoffOverride.ShouldBe(TimeSpan.FromSeconds(chosen));
        WaitForJitterTask.Choose(stage.Id, 10, 40).ShouldBe(chosen, "a new process draws the same wait for the same stage");

        Apply(stage, first);
        clock.Advance(TimeSpan.FromSeconds(chosen - 1));
        (await new WaitForJitterTask().ExecuteAsync(For(stage, clock, execution), CancellationToken.None)).Status.ShouldBe(ExecutionStatus.Running);
        clock.Advance(TimeSpan.FromSeconds(1));
        (await new WaitForJitterTask().ExecuteAsync(For(stage, clock, execution), CancellationToken.None)).Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task Manual_runs_skip_the_jitter_when_asked()
    {
        var stage = Stage("restrictExecutionDuringTimeWindow", Jitter);

        (await jitter.ExecuteAsync(For(stage, clock), CancellationToken.None)).Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public void Window_settings_are_validated_on_stages_that_restrict_their_execution()
    {
        var config = MizzenJson.ParseObject("""
            {"type": "deploy", "restrictExecutionDuringTimeWindow": true,
             "restrictedExecutionWindow": {"days": [8], "whitelist": [{"startHour": 9, "startMin": 0, "endHour": 17, "endMin": 0}]}}
            """);

        var problem = new ExecutionWindowStage().Validate(config, "stages[2]").Single();

        problem.Location.ShouldBe("stages[2].restrictedExecutionWindow");
        problem.Message.ShouldContain("1 (Sunday) to 7 (Saturday)");
        new ExecutionWindowStage().Validate(new JsonObject { ["type"] = "deploy" }, "stages[0]").ShouldBeEmpty();
    }

    [Fact]
    public void A_restart_waits_for_the_window_again()
    {
        var stage = Stage("restrictExecutionDuringTimeWindow", """{"skipRemainingWait": true, "scheduledTime": 5, "jitterWaitTime": 3, "jitterStartTime": 1}""");

        new ExecutionWindowStage().PrepareForRestart(stage);

        stage.Context.ShouldBeEmpty();
    }
}
