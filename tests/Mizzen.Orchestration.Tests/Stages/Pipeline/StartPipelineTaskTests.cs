using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.Pipeline;
using Mizzen.Testing;
using static Mizzen.Orchestration.Tests.Stages.StageTestKit;

namespace Mizzen.Orchestration.Tests.Stages.Pipeline;

public sealed class StartPipelineTaskTests
{
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private readonly InMemoryExecutionStore store = new();
    private readonly InMemoryPipelineConfigStore configs = new();
    private readonly RecordingExecutionRunner runner;

    public StartPipelineTaskTests()
    {
        runner = new RecordingExecutionRunner(store);
        configs.Configs.Add(PipelineConfig.Parse("""{"id": "cfg-child", "application": "billing", "name": "Migrate DB"}"""));
        configs.Configs.Add(PipelineConfig.Parse("""{"id": "cfg-off", "application": "billing", "name": "Old", "disabled": true}"""));
    }

    private StartPipelineTask Task => new(configs, runner);

    [Fact]
    public async Task Starting_a_child_sends_a_pipeline_trigger_that_points_back_to_the_parent()
    {
        var stage = Stage("pipeline", """{"application": "billing", "pipeline": "cfg-child", "pipelineParameters": {"env": "prod"}}""", id: "01STAGE");

        var result = await Task.ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Succeeded);
        result.Context!["executionId"].AsString().ShouldBe("01CHILD1");
        result.Outputs!["executionName"].AsString().ShouldBe("Migrate DB");
        var (config, trigger, user) = runner.Started.Single();
        config.Id.ShouldBe("cfg-child");
        user.ShouldBe("alice");
        trigger["type"].AsString().ShouldBe("pipeline");
        trigger["parentExecution"]!.ToJsonString(MizzenJson.Options).ShouldBe(
            """{"id":"01PARENT","application":"shop","name":"deploy shop","pipelineConfigId":"cfg-parent"}""");
        trigger["parentPipelineStageId"].AsString().ShouldBe("01STAGE");
        trigger["parameters"]!["env"].AsString().ShouldBe("prod");
        trigger["correlationId"].AsString().ShouldBe("01PARENT_01STAGE_cfg-child_1700000000000");
    }

    [Fact]
    public async Task A_stage_that_already_has_a_child_does_not_start_another()
    {
        var stage = Stage("pipeline", """{"application": "billing", "pipeline": "cfg-child", "executionId": "01EXISTING"}""");

        (await Task.ExecuteAsync(For(stage, clock), CancellationToken.None)).Status.ShouldBe(ExecutionStatus.Succeeded);
        runner.Started.ShouldBeEmpty();
    }

    [Fact]
    public async Task Pipeline_application_wins_over_application_and_a_name_also_finds_the_pipeline()
    {
        var stage = Stage("pipeline", """{"application": "shop", "pipelineApplication": "billing", "pipeline": "migrate db"}""");

        (await Task.ExecuteAsync(For(stage, clock), CancellationToken.None)).Status.ShouldBe(ExecutionStatus.Succeeded);
        runner.Started.Single().Config.Id.ShouldBe("cfg-child");
    }

    [Fact]
    public async Task A_missing_pipeline_fails_naming_the_application_and_the_pipeline()
    {
        var stage = Stage("pipeline", """{"application": "billing", "pipeline": "cfg-gone"}""");

        var result = await Task.ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        ErrorOf(result).ShouldBe("Pipeline 'cfg-gone' was not found in application 'billing'");
    }

    [Fact]
    public async Task A_disabled_pipeline_is_not_started()
    {
        var stage = Stage("pipeline", """{"application": "billing", "pipeline": "cfg-off"}""");

        var result = await Task.ExecuteAsync(For(stage, clock), CancellationToken.None);

        ErrorOf(result).ShouldBe("Pipeline 'Old' (cfg-off) in application 'billing' is disabled and cannot be started");
        runner.Started.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_start_the_runner_rejects_fails_with_the_runners_message()
    {
        runner.FailStartWith = new ValidationException("trigger.parameters.version", "required parameter without a default");
        var stage = Stage("pipeline", """{"application": "billing", "pipeline": "cfg-child"}""");

        var result = await Task.ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        ErrorOf(result)!.ShouldContain("trigger.parameters.version: required parameter without a default");
    }
}
