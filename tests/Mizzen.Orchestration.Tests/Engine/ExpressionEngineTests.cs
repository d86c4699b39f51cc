using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Engine;

public abstract class ExpressionEngineTests(StoreBackend backend) : IAsyncLifetime
{
    private EngineHarness engine = null!;

    public async Task InitializeAsync() => engine = await EngineHarness.CreateAsync(backend);

    [Fact]
    public async Task A_stage_context_is_evaluated_when_the_stage_starts_and_keeps_the_result_type()
    {
        var run = await engine.StartAndRunAsync(
            """{"parameterConfig":[{"name":"replicas","default":"2"}],"stages":[{"refId":"1","type":"test.noop","name":"a","count":"${#toInt(parameters.replicas) + 1}","label":"x-${parameters.replicas}"}]}""");

        var stage = EngineHarness.Stage(run, "a");
        stage.Context["count"]!.GetValue<int>().ShouldBe(3);
        stage.Context["label"]!.GetValue<string>().ShouldBe("x-2");
    }

    [Fact]
    public async Task A_failed_expression_keeps_its_text_and_is_reported_in_the_summary_and_the_stage_errors()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"refId":"1","type":"test.noop","name":"a","target":"${parameters.enviroment.toUpperCase()}"}]}""",
            new JsonObject { ["parameters"] = new JsonObject { ["environment"] = "prod" } });

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        var stage = EngineHarness.Stage(run, "a");
        stage.Context["target"]!.GetValue<string>().ShouldBe("${parameters.enviroment.toUpperCase()}");
        stage.Context["expressionEvaluationSummary"]!.ToJsonString().ShouldContain("environment");
        stage.Context["exception"]!["details"]!["errors"]!.AsArray().Count.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Fail_on_failed_expressions_makes_such_a_stage_terminal()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"refId":"1","type":"test.noop","name":"a","failOnFailedExpressions":true,"target":"${nothing.here()}"}]}""");

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        EngineHarness.Stage(run, "a").Status.ShouldBe(ExecutionStatus.Terminal);
    }

    [Fact]
    public async Task Later_stages_read_earlier_stages_outputs_through_expressions()
    {
        var run = await engine.StartAndRunAsync("""
            {"stages":[{"refId":"1","type":"evaluateVariables","name":"vars","variables":[{"key":"version","value":"v7"}]},
                       {"refId":"2","requisiteStageRefIds":["1"],"type":"test.noop","name":"use","image":"app:${version}","status":"${#stage('vars').status}"}]}
            """);

        var use = EngineHarness.Stage(run, "use");
        use.Context["image"]!.GetValue<string>().ShouldBe("app:v7");
        use.Context["status"]!.GetValue<string>().ShouldBe("SUCCEEDED");
    }

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        engine.DeleteFolder();
    }
}

public sealed class ExpressionEngineTestsOnSqlite() : ExpressionEngineTests(StoreBackend.Sqlite);

public sealed class ExpressionEngineTestsOnPostgres() : ExpressionEngineTests(StoreBackend.Postgres);
