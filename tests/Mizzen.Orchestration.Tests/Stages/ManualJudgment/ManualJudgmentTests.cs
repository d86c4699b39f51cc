using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ManualJudgment;
using Mizzen.Testing;
using static Mizzen.Orchestration.Tests.Stages.StageTestKit;

namespace Mizzen.Orchestration.Tests.Stages.ManualJudgment;

public sealed class ManualJudgmentTests
{
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private readonly WaitForJudgmentTask task = new();

    [Fact]
    public async Task A_judgment_without_a_decision_keeps_waiting()
    {
        var stage = Stage("manualJudgment", """{"instructions": "Ship it?", "judgmentInputs": [{"value": "blue"}]}""");

        (await task.ExecuteAsync(For(stage, clock), CancellationToken.None)).Status.ShouldBe(ExecutionStatus.Running);
    }

    [Fact]
    public async Task Continue_succeeds_and_records_the_input_and_the_judge()
    {
        var stage = Stage("manualJudgment", """{"judgmentStatus": "continue", "judgmentInput": "blue", "lastModifiedBy": "bob"}""");

        var result = await task.ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Succeeded);
        result.Outputs!["judgmentInput"].AsString().ShouldBe("blue");
        result.Outputs["judgedBy"].AsString().ShouldBe("bob");
    }

    [Fact]
    public async Task Stop_is_terminal_so_the_engine_can_apply_fail_pipeline()
    {
        var stage = Stage("manualJudgment", """{"judgmentStatus": "STOP", "lastModifiedBy": "carol"}""");

        var result = await task.ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        result.Outputs!["judgedBy"].AsString().ShouldBe("carol");
    }

    [Fact]
    public async Task An_upstream_judgment_does_not_decide_this_one()
    {
        var upstream = Stage("manualJudgment", "{}", id: "up");
        upstream.Outputs["judgmentStatus"] = "continue";
        var stage = Stage("manualJudgment", "{}", id: "down");
        stage.RequisiteStageRefIds = ["0"];
        upstream.RefId = "0";

        (await task.ExecuteAsync(For(stage, clock, Execution(upstream, stage)), CancellationToken.None)).Status.ShouldBe(ExecutionStatus.Running);
    }

    [Fact]
    public void The_judgment_waits_three_days_unless_the_stage_overrides_the_timeout()
    {
        var context = For(Stage("manualJudgment"), clock);

        task.Timeout(context).ShouldBe(TimeSpan.FromDays(3));
        task.TimeoutOverridableByStage.ShouldBeTrue();
        task.Backoff(context).ShouldBe(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void A_restart_forgets_the_decision_the_input_and_the_judge()
    {
        var stage = Stage("manualJudgment", """{"instructions": "x", "judgmentStatus": "stop", "judgmentInput": "a", "lastModifiedBy": "bob"}""");

        new ManualJudgmentStage().PrepareForRestart(stage);

        stage.Context.Select(p => p.Key).ShouldBe(["instructions"]);
    }

    [Fact]
    public void Judgment_inputs_without_a_value_are_reported()
    {
        var config = MizzenJson.ParseObject("""{"judgmentInputs": [{"value": "a"}, {}]}""");

        new ManualJudgmentStage().Validate(config, "stages[1]").Single().Location.ShouldBe("stages[1].judgmentInputs[1].value");
    }
}
