using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.CheckPreconditions;
using Mizzen.Testing;
using static Mizzen.Orchestration.Tests.Stages.StageTestKit;

namespace Mizzen.Orchestration.Tests.Stages.CheckPreconditions;

public sealed class CheckPreconditionTaskTests
{
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private readonly TableExpressionEvaluator expressions = new();

    private CheckPreconditionTask Task => new([new ExpressionPrecondition(expressions), new StageStatusPrecondition()]);

    private static Core.Model.StageExecution Check(string type, string context) =>
        Stage("checkPrecondition", $$"""{"preconditionType": "{{type}}", "context": {{context}}}""", name: $"Check precondition ({type})");

    [Theory]
    [InlineData("true", ExecutionStatus.Succeeded)]
    [InlineData("TRUE", ExecutionStatus.Succeeded)]
    [InlineData("false", ExecutionStatus.Terminal)]
    [InlineData("yes", ExecutionStatus.Terminal)]
    public async Task An_expression_holds_only_when_its_result_reads_as_true(string value, ExecutionStatus expected)
    {
        expressions.Add("parameters.go", JsonValue.Create(value));
        var stage = Check("expression", """{"expression": "parameters.go"}""");

        var result = await Task.ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(expected);
        result.Context!["context"]!.ToJsonString().ShouldBe($$"""{"expression":"parameters.go","expressionResult":"{{value}}"}""");
    }

    [Fact]
    public async Task A_boolean_result_is_compared_as_text()
    {
        expressions.Add("1 == 1", JsonValue.Create(true));
        var result = await Task.ExecuteAsync(For(Check("expression", """{"expression": "1 == 1"}"""), clock), CancellationToken.None);
        result.Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task An_unevaluated_wrapper_is_stripped_before_evaluation()
    {
        expressions.Add("trigger.type == 'manual'", JsonValue.Create(true));
        var stage = Check("expression", """{"expression": "${trigger.type == 'manual'}"}""");

        (await Task.ExecuteAsync(For(stage, clock), CancellationToken.None)).Status.ShouldBe(ExecutionStatus.Succeeded);
        expressions.Calls.Single().Expression.ShouldBe("trigger.type == 'manual'");
    }

    [Fact]
    public async Task An_expression_the_engine_already_evaluated_to_a_boolean_is_used_as_is()
    {
        var stage = Check("expression", """{"expression": false}""");

        (await Task.ExecuteAsync(For(stage, clock), CancellationToken.None)).Status.ShouldBe(ExecutionStatus.Terminal);
        expressions.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_expression_that_fails_to_evaluate_is_terminal_with_the_error()
    {
        expressions.Fail("nope()", "Method nope() not found");

        var result = await Task.ExecuteAsync(For(Check("expression", """{"expression": "nope()"}"""), clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        ErrorOf(result)!.ShouldContain("Method nope() not found");
        result.Context!["context"]!["expressionResult"].AsString().ShouldBe("nope()");
    }

    [Fact]
    public async Task A_stage_status_precondition_compares_the_named_stage_status()
    {
        var deploy = Stage("deploy", id: "d", name: "Deploy");
        deploy.Status = ExecutionStatus.Succeeded;
        var check = Check("stageStatus", """{"stageName": "Deploy", "stageStatus": "SUCCEEDED"}""");

        var result = await Task.ExecuteAsync(For(check, clock, Execution(deploy, check)), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task A_stage_status_mismatch_says_what_the_status_actually_was()
    {
        var deploy = Stage("deploy", id: "d", name: "Deploy");
        deploy.Status = ExecutionStatus.Terminal;
        var check = Check("stageStatus", """{"stageName": "Deploy", "stageStatus": "SUCCEEDED"}""");

        var result = await Task.ExecuteAsync(For(check, clock, Execution(deploy, check)), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        ErrorOf(result).ShouldBe("The status of stage 'Deploy' was asserted to be SUCCEEDED, but was actually TERMINAL");
    }

    [Fact]
    public async Task A_stage_status_precondition_on_a_missing_stage_is_terminal()
    {
        var check = Check("stageStatus", """{"stageName": "Bake", "stageStatus": "SUCCEEDED"}""");

        ErrorOf(await Task.ExecuteAsync(For(check, clock), CancellationToken.None)).ShouldBe("No stage found with name 'Bake'");
    }

    [Fact]
    public async Task An_unknown_precondition_type_at_run_time_is_terminal()
    {
        var result = await Task.ExecuteAsync(For(Check("clusterSize", "{}"), clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Terminal);
        ErrorOf(result).ShouldBe("Unknown precondition type 'clusterSize' (supported: expression, stageStatus)");
    }
}
