using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Expressions;
using Mizzen.Core.Model;

namespace Mizzen.Expressions.Tests.Evaluation;

public sealed class ProcessTests : IDisposable
{
    private readonly SpelExpressionEvaluator evaluator = TestEvaluators.Create();

    [Fact]
    public void Context_without_expressions_comes_back_as_an_equal_copy()
    {
        var context = new JsonObject { ["a"] = 1, ["b"] = new JsonArray("x", "y") };

        var result = evaluator.Process(context, new ExpressionScope(Root: []));

        result.Value.ShouldNotBeSameAs(context);
        JsonNode.DeepEquals(result.Value, context).ShouldBeTrue();
        result.Summary.TotalEvaluated.ShouldBe(0);
    }

    [Fact]
    public void Processing_never_changes_the_input_or_the_root()
    {
        var root = new JsonObject { ["map"] = new JsonObject { ["k"] = "v" } };
        var input = new JsonObject { ["copy"] = "${map}", ["${'key'}"] = "${map.k}" };
        var before = input.ToJsonString();

        var result = evaluator.Process(input, new ExpressionScope(Root: root));
        result.Value!["copy"]!["k"] = "changed";

        input.ToJsonString().ShouldBe(before);
        root["map"]!["k"]!.GetValue<string>().ShouldBe("v");
        result.Value["key"]!.GetValue<string>().ShouldBe("v");
    }

    [Theory]
    [InlineData("${ {1,2}.contains(1) }", "true")]
    [InlineData("${ {a: 1}.a + 1 }", "2")]
    [InlineData("${ 7 / 2 }", "3")]
    [InlineData("${ 7.0 / 2 }", "3.5")]
    [InlineData("${ 'a' + 1 + 2 }", "\"a12\"")]
    [InlineData("${ 1 + 2 + 'a' }", "\"3a\"")]
    [InlineData("${ 2 gt 1 and not false }", "true")]
    [InlineData("${ 'v1.2.3' matches 'v\\d+\\.\\d+\\.\\d+' }", "true")]
    [InlineData("${ {1,2,3,4}.?[#this > 2] }", "[3,4]")]
    [InlineData("${ {1,2,3,4}.^[#this > 1] }", "2")]
    [InlineData("${ {1,2,3,4}.$[#this > 1] }", "4")]
    [InlineData("${ {1,2,3}.![#this * 10] }", "[10,20,30]")]
    [InlineData("${ {a: 1, b: 2}.?[value > 1] }", "{\"b\":2}")]
    [InlineData("${ null?.length() ?: 'none' }", "\"none\"")]
    [InlineData("${ 'a,b,,'.split(',').length }", "2")]
    [InlineData("${ 'Hello'.substring(1, 3).toUpperCase() }", "\"EL\"")]
    [InlineData("${ {'x': 1}.keySet() }", "[\"x\"]")]
    [InlineData("${ true ? 'yes' : 'no' }", "\"yes\"")]
    [InlineData("${ #readYaml('a: 1\nb: [x, y]').b[1] }", "\"y\"")]
    [InlineData("${ #readAllYaml('a: 1\n---\na: 2').size() }", "2")]
    [InlineData("${ 3 between {1, 5} }", "true")]
    [InlineData("${ 1.5 * 2 == 3 }", "true")]
    public void Expression_gives_the_SpEL_result(string text, string expectedJson)
    {
        var result = evaluator.Process(JsonValue.Create(text), new ExpressionScope(Root: []));

        result.Value!.ToJsonString().ShouldBe(expectedJson, result.Summary.ToJson().ToJsonString());
    }

    [Fact]
    public void Stage_scope_sees_context_execution_trigger_parameters_and_upstream_outputs()
    {
        var execution = new PipelineExecution { Id = "e", Trigger = new JsonObject { ["parameters"] = new JsonObject { ["env"] = "prod" } } };
        var upstream = new StageExecution { Id = "u", RefId = "1", Name = "Deploy", Status = ExecutionStatus.Succeeded, Outputs = new JsonObject { ["image"] = "app:1" } };
        var stage = new StageExecution { Id = "s", RefId = "2", RequisiteStageRefIds = ["1"], Context = new JsonObject { ["own"] = 5 } };
        execution.Stages.AddRange([upstream, stage]);
        var scope = new ExpressionScope(execution, stage);

        evaluator.Evaluate("parameters.env == 'prod' && #stage('Deploy').status == 'SUCCEEDED'", scope).Value!.GetValue<bool>().ShouldBeTrue();
        evaluator.Evaluate("image + ':' + own", scope).Value!.GetValue<string>().ShouldBe("app:1:5");
        evaluator.Evaluate("#currentStage().id", scope).Value!.GetValue<string>().ShouldBe("s");
        evaluator.Evaluate("execution.stages.![refId]", scope).Value!.ToJsonString().ShouldBe("[\"1\",\"2\"]");
        evaluator.Evaluate("#stage(#root.execution, 'Deploy').hasSucceeded", scope).Value!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public void Parsed_expressions_are_cached()
    {
        for (var i = 0; i < 10; i++)
        {
            evaluator.Process(JsonValue.Create("${ 1 + 1 }"), new ExpressionScope(Root: []));
        }

        evaluator.CachedExpressionCount.ShouldBe(1);
    }

    [Fact]
    public void Offline_evaluation_returns_the_result_and_the_summary()
    {
        var context = new JsonObject { ["name"] = "web" };

        var output = OfflineEvaluation.Run(context, new JsonObject { ["a"] = "${name.toUpperCase()}", ["b"] = "${missing}" }, evaluator);

        output["result"]!["a"]!.GetValue<string>().ShouldBe("WEB");
        output["summary"]!["missing"]!.AsArray().Count.ShouldBe(1);
        OfflineEvaluation.Run(context, OfflineEvaluation.ExpressionInput("name.length()"), evaluator)["result"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public void Function_providers_from_dependency_injection_are_callable()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Mizzen.Testing.TestTime.Clock());
        services.AddSingleton<Functions.IExpressionFunctionProvider>(new GreetingProvider());
        services.AddMizzenExpressions(o => o.MaxEvaluationSteps = 10_000);
        using var provider = services.BuildServiceProvider();

        var evaluator = provider.GetRequiredService<IExpressionEvaluator>();

        evaluator.Evaluate("#demo_greet('ann')", new ExpressionScope(Root: [])).Value!.GetValue<string>().ShouldBe("hello ann");
    }

    private sealed class GreetingProvider : Functions.IExpressionFunctionProvider
    {
        public string? Namespace => "demo";

        public IEnumerable<Functions.ExpressionFunctionDefinition> Functions =>
            [new("greet", call => JsonValue.Create("hello " + call.Arguments[0]!.GetValue<string>()))];
    }

    public void Dispose() => evaluator.Dispose();
}
