using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Core.Model;

namespace Mizzen.Expressions.Tests.Errors;

public sealed class SuggestionTests : IDisposable
{
    private readonly SpelExpressionEvaluator evaluator = TestEvaluators.Create();

    [Fact]
    public void Misspelled_parameter_suggests_the_existing_one_with_its_field_path()
    {
        var execution = new PipelineExecution { Id = "e1", Trigger = new JsonObject { ["parameters"] = new JsonObject { ["env"] = "prod", ["region"] = "eu" } } };
        var stage = new StageExecution { Id = "s1", Context = new JsonObject { ["clusters"] = new JsonArray(new JsonObject { ["account"] = "${parameters.evn}" }) } };
        execution.Stages.Add(stage);

        var result = evaluator.Process(stage.Context, new ExpressionScope(execution, stage));

        var failure = result.Summary.Failures["parameters.evn"].Single();
        failure.Level.ShouldBe(ExpressionFailure.Info);
        failure.FieldPath.ShouldBe("clusters[0].account");
        failure.Suggestions.ShouldBe(["parameters.env"]);
        failure.Description.ShouldContain("did you mean 'parameters.env'?");
        result.Value!["clusters"]![0]!["account"]!.GetValue<string>().ShouldBe("${parameters.evn}");
    }

    [Theory]
    [InlineData("${paramters.env}", "paramters", "parameters")]
    [InlineData("${trigger.parameter.env}", "trigger.parameter", "trigger.parameters")]
    public void A_misspelled_name_in_the_middle_of_a_path_is_named_with_the_nearest_existing_one(string template, string missing, string suggestion)
    {
        var execution = new PipelineExecution { Id = "e1", Trigger = new JsonObject { ["parameters"] = new JsonObject { ["env"] = "prod" } } };
        var stage = new StageExecution { Id = "s1", Context = new JsonObject { ["account"] = template } };
        execution.Stages.Add(stage);

        var result = evaluator.Process(stage.Context, new ExpressionScope(execution, stage));

        var failure = result.Summary.Failures.Values.SelectMany(f => f).ShouldHaveSingleItem();
        failure.Description.ShouldContain($"'{missing}' does not exist; did you mean '{suggestion}'?");
        failure.Suggestions.ShouldBe([suggestion]);
        failure.FieldPath.ShouldBe("account");
        result.Value!["account"]!.GetValue<string>().ShouldBe(template);
    }

    [Fact]
    public void Null_that_is_a_real_value_is_not_mistaken_for_a_typo()
    {
        var root = new JsonObject { ["parameters"] = new JsonObject { ["env"] = null } };

        var result = evaluator.Evaluate("parameters.env.name", new ExpressionScope(Root: root));

        result.Error.ShouldNotBeNull().ShouldContain("cannot be found on null");
        result.Error.ShouldNotContain("does not exist");
    }

    [Fact]
    public void Missing_root_name_with_unknown_keys_refused_is_an_error_with_suggestions()
    {
        var root = new JsonObject { ["replaceMe"] = "x", ["other"] = 1 };

        var result = evaluator.Process(JsonValue.Create("${replceMe}"), new ExpressionScope(Root: root) { AllowUnknownKeys = false });

        var failure = result.Summary.Failures["replceMe"].Single();
        failure.Level.ShouldBe(ExpressionFailure.Error);
        failure.Suggestions.ShouldBe(["replaceMe"]);
        failure.Description.ShouldContain("EL1008E");
    }

    [Fact]
    public void Unknown_stage_name_suggests_the_nearest_stage()
    {
        var execution = new PipelineExecution { Id = "e1" };
        execution.Stages.Add(new StageExecution { Id = "a", Name = "Deploy to prod" });

        var result = evaluator.Evaluate("#stage('Deploy to prd').status", new ExpressionScope(execution));

        result.Error.ShouldNotBeNull().ShouldContain("did you mean 'Deploy to prod'?");
    }

    [Fact]
    public void Unknown_function_suggests_the_nearest_function()
    {
        var result = evaluator.Evaluate("#toJsn('a')", new ExpressionScope(Root: []));

        result.Error.ShouldNotBeNull().ShouldContain("#toJson");
    }

    public void Dispose() => evaluator.Dispose();
}
