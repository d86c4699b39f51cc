using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.EvaluateVariables;
using Mizzen.Testing;
using static Mizzen.Orchestration.Tests.Stages.StageTestKit;

namespace Mizzen.Orchestration.Tests.Stages.EvaluateVariables;

public sealed class EvaluateVariablesTests
{
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private readonly TableExpressionEvaluator expressions = new();

    [Fact]
    public async Task Later_variables_see_the_ones_evaluated_before_them()
    {
        expressions.Add("parameters.region", JsonValue.Create("eu-west-1"));
        expressions.Add("'app-' + region", scope => "app-" + scope.Variables!["region"]!.GetValue<string>());
        var stage = Stage("evaluateVariables", """
            {"variables": [
              {"key": "region", "value": "${parameters.region}", "description": "where"},
              {"key": "cluster", "value": "${'app-' + region}"},
              {"key": "replicas", "value": 3}
            ]}
            """);

        var result = await new EvaluateVariablesTask(expressions).ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Succeeded);
        result.Outputs!.ToJsonString().ShouldBe("""{"region":"eu-west-1","cluster":"app-eu-west-1","replicas":3}""");
        expressions.Calls.Single(c => c.Expression == "'app-' + region").Scope.Variables!.ToJsonString().ShouldBe("""{"region":"eu-west-1"}""");
    }

    [Fact]
    public async Task Evaluated_variables_keep_their_source_expression_for_a_restart()
    {
        expressions.Add("a + b", JsonValue.Create(3));
        var stage = Stage("evaluateVariables", """{"variables": [{"key": "sum", "value": "${a + b}"}, {"key": "plain", "value": "text"}]}""");

        var result = await new EvaluateVariablesTask(expressions).ExecuteAsync(For(stage, clock), CancellationToken.None);

        var variables = (JsonArray)result.Context!["variables"]!;
        variables[0]!.ToJsonString(MizzenJson.Options).ShouldBe("""{"key":"sum","value":3,"sourceValue":"{a + b}"}""");
        variables[1]!["sourceValue"].ShouldBeNull();
    }

    [Fact]
    public async Task A_restart_puts_the_expression_back_and_evaluates_it_again()
    {
        var definition = new EvaluateVariablesStage();
        var stage = Stage("evaluateVariables", """{"variables": [{"key": "sum", "value": 3, "sourceValue": "{a + b}"}]}""");
        stage.Outputs["sum"] = 3;

        definition.PrepareForRestart(stage);

        stage.Outputs.ShouldBeEmpty();
        stage.Context["variables"]![0]!.ToJsonString(MizzenJson.Options).ShouldBe("""{"key":"sum","value":"${a + b}"}""");
        expressions.Add("a + b", JsonValue.Create(5));
        var result = await new EvaluateVariablesTask(expressions).ExecuteAsync(For(stage, clock), CancellationToken.None);
        result.Outputs!["sum"].AsLong().ShouldBe(5);
    }

    [Fact]
    public async Task A_failed_variable_keeps_its_text_is_hidden_from_later_ones_and_is_summarised()
    {
        expressions.Fail("broken()", "method broken() not found");
        var stage = Stage("evaluateVariables", """
            {"variables": [{"key": "x", "value": "${broken()}"}, {"key": "y", "value": "${x}"}],
             "expressionEvaluationSummary": {"earlier": [{"description": "kept", "level": "INFO"}]}}
            """);

        var result = await new EvaluateVariablesTask(expressions).ExecuteAsync(For(stage, clock), CancellationToken.None);

        result.Status.ShouldBe(ExecutionStatus.Succeeded);
        result.Context!["variables"]![0]!["value"].AsString().ShouldBe("${broken()}");
        result.Outputs!.ContainsKey("x").ShouldBeFalse();
        var summary = (JsonObject)result.Context["expressionEvaluationSummary"]!;
        summary.Select(p => p.Key).ShouldBe(["earlier", "broken()", "x"], ignoreOrder: true);
    }

    [Fact]
    public void Variables_without_a_key_and_duplicate_keys_are_reported()
    {
        var config = MizzenJson.ParseObject("""{"variables": [{"key": "a", "value": 1}, {"value": 2}, {"key": "a", "value": 3}]}""");

        var problems = new EvaluateVariablesStage().Validate(config, "stages[4]").ToList();

        problems.Select(p => p.Location).ShouldBe(["stages[4].variables[1].key", "stages[4].variables[2].key"]);
        problems[1].Message.ShouldContain("duplicate variable 'a'");
    }

    [Fact]
    public void An_evaluate_variables_stage_needs_variables() =>
        new EvaluateVariablesStage().Validate(new JsonObject(), "stages[0]").Single().ToString()
            .ShouldBe("stages[0].variables: required for a 'evaluateVariables' stage");
}
