using Mizzen.Core.Expressions;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Stages.CheckPreconditions;
using static Mizzen.Orchestration.Tests.Stages.StageTestKit;

namespace Mizzen.Orchestration.Tests.Stages.CheckPreconditions;

public sealed class CheckPreconditionsStageTests
{
    private readonly CheckPreconditionsStage definition =
        new([new ExpressionPrecondition(new TableExpressionEvaluator()), new StageStatusPrecondition()]);

    [Fact]
    public void Each_precondition_becomes_a_parallel_before_stage_with_the_parent_context_and_its_own_fail_pipeline()
    {
        var parent = Stage("checkPreconditions", """
            {"comments": "gate", "failPipeline": true, "preconditions": [
              {"type": "expression", "context": {"expression": "parameters.go"}, "failPipeline": false},
              {"type": "stageStatus", "context": {"stageName": "Deploy", "stageStatus": "SUCCEEDED"}}
            ]}
            """);
        var graph = new StageGraph();

        definition.BuildBeforeStages(Execution(parent), parent, graph);

        graph.Stages.Count.ShouldBe(2);
        graph.Stages.ShouldAllBe(s => s.After == null && s.Type == "checkPrecondition");
        graph.Stages[0].Name.ShouldBe("Check precondition (expression)");
        graph.Stages[0].Context.ToJsonString().ShouldBe(
            """{"comments":"gate","failPipeline":false,"context":{"expression":"parameters.go"},"preconditionType":"expression"}""");
        graph.Stages[1].Name.ShouldBe("Check precondition (stageStatus)");
        graph.Stages[1].Context["failPipeline"].AsBool().ShouldBe(true);
    }

    [Fact]
    public void The_parent_stage_has_no_tasks_of_its_own()
    {
        var tasks = new TaskGraph();
        definition.BuildTasks(Stage("checkPreconditions"), tasks);
        tasks.Nodes.ShouldBeEmpty();
    }

    [Fact]
    public void An_unknown_precondition_type_is_a_validation_error_naming_the_entry()
    {
        var config = MizzenJson.ParseObject("""
            {"preconditions": [{"type": "expression", "context": {"expression": "true"}},
                               {"type": "clusterSize", "context": {"cluster": "shop-prod", "expected": 2}}]}
            """);

        var problem = definition.Validate(config, "stages[3]").Single();

        problem.Location.ShouldBe("stages[3].preconditions[1].type");
        problem.Message.ShouldBe("unknown precondition type 'clusterSize' (supported: expression, stageStatus)");
    }

    [Fact]
    public void Missing_preconditions_and_incomplete_entries_are_reported()
    {
        definition.Validate(MizzenJson.ParseObject("{}"), "stages[0]").Single().ToString()
            .ShouldBe("stages[0].preconditions: required for a 'checkPreconditions' stage");
        var config = MizzenJson.ParseObject("""
            {"preconditions": [{"type": "expression", "context": {}}, {"type": "stageStatus", "context": {"stageName": "x", "stageStatus": "DONE"}}]}
            """);
        definition.Validate(config, "stages[0]").Select(p => p.Location)
            .ShouldBe(["stages[0].preconditions[0].context.expression", "stages[0].preconditions[1].context.stageStatus"]);
    }

    [Fact]
    public void The_synthetic_stage_runs_one_check_task() =>
        new TaskGraph().Also(t => new CheckPreconditionStage().BuildTasks(Stage("checkPrecondition"), t))
            .Nodes.Single().TaskType.ShouldBe(typeof(CheckPreconditionTask));
}

internal static class GraphExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
