using Mizzen.Core.Json;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Stages.Wait;

namespace Mizzen.Orchestration.Tests.Stages.Wait;

public sealed class WaitStageTests
{
    private readonly WaitStage definition = new();

    [Fact]
    public void A_wait_stage_runs_one_wait_task()
    {
        var tasks = new TaskGraph();
        definition.BuildTasks(StageTestKit.Stage("wait", """{"waitTime": 1}"""), tasks);

        tasks.Nodes.Single().ShouldBe(new TaskNode("wait", typeof(WaitTask)));
    }

    [Fact]
    public void A_missing_wait_time_is_reported_with_its_path()
    {
        var problems = definition.Validate(MizzenJson.ParseObject("""{"type": "wait"}"""), "stages[2]").ToList();

        problems.Single().ToString().ShouldBe("stages[2].waitTime: required for a 'wait' stage");
    }

    [Theory]
    [InlineData("""{"waitTime": 30}""")]
    [InlineData("""{"waitTime": "30"}""")]
    [InlineData("""{"waitTime": "${parameters.delay}"}""")]
    public void A_number_or_an_expression_is_a_valid_wait_time(string config) =>
        definition.Validate(MizzenJson.ParseObject(config), "stages[0]").ShouldBeEmpty();

    [Theory]
    [InlineData("""{"waitTime": "soon"}""")]
    [InlineData("""{"waitTime": -1}""")]
    public void A_wait_time_that_is_not_a_positive_number_is_rejected(string config) =>
        definition.Validate(MizzenJson.ParseObject(config), "stages[0]").Single().Location.ShouldBe("stages[0].waitTime");

    [Fact]
    public void A_restarted_wait_waits_again()
    {
        var stage = StageTestKit.Stage("wait", """{"waitTime": 30, "skipRemainingWait": true}""");

        definition.PrepareForRestart(stage);

        stage.Context.ContainsKey("skipRemainingWait").ShouldBeFalse();
    }
}
