using Mizzen.Core.Model;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Engine;

/// <summary>evaluateVariables evaluates its variables itself; its expression failures must still reach the stage's summary.</summary>
public abstract class EvaluateVariablesFailureTests(StoreBackend backend) : IAsyncLifetime
{
    private EngineHarness engine = null!;

    public async Task InitializeAsync() => engine = await EngineHarness.CreateAsync(backend);

    [Fact]
    public async Task A_variable_whose_expression_fails_makes_a_fail_on_failed_expressions_stage_terminal()
    {
        var run = await engine.StartAndRunAsync("""
            {"stages":[{"refId":"1","type":"evaluateVariables","name":"vars","failOnFailedExpressions":true,
                        "variables":[{"key":"n","value":"${#toInt('not a number')}"}]},
                       {"refId":"2","requisiteStageRefIds":["1"],"type":"test.noop","name":"after"}]}
            """);

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        var vars = EngineHarness.Stage(run, "vars");
        vars.Status.ShouldBe(ExecutionStatus.Terminal);
        vars.Context["expressionEvaluationSummary"].ShouldNotBeNull();
        vars.Outputs.ContainsKey("n").ShouldBeFalse();
        EngineHarness.Stage(run, "after").Status.ShouldBe(ExecutionStatus.NotStarted);
    }

    [Fact]
    public async Task Without_fail_on_failed_expressions_the_failure_is_recorded_and_the_run_goes_on()
    {
        var run = await engine.StartAndRunAsync("""
            {"stages":[{"refId":"1","type":"evaluateVariables","name":"vars",
                        "variables":[{"key":"n","value":"${#toInt('not a number')}"},{"key":"ok","value":"${1 + 1}"}]}]}
            """);

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        var vars = EngineHarness.Stage(run, "vars");
        vars.Context["expressionEvaluationSummary"]!.ToJsonString().ShouldContain("toInt");
        vars.Outputs["ok"]!.GetValue<int>().ShouldBe(2);
    }

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        engine.DeleteFolder();
    }
}

public sealed class EvaluateVariablesFailureTestsOnSqlite() : EvaluateVariablesFailureTests(StoreBackend.Sqlite);

public sealed class EvaluateVariablesFailureTestsOnPostgres() : EvaluateVariablesFailureTests(StoreBackend.Postgres);
