using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Core.Model;

namespace Mizzen.Expressions.Tests.HelperFunctions;

/// <summary><c>#stageExists</c>, <c>#judgement</c>, <c>#currentUser</c> and <c>#manifestLabelValue</c> (Orca's StageExpressionFunctionProvider and ManifestLabelValue…).</summary>
public sealed class StageHelperFunctionTests : IDisposable
{
    private readonly SpelExpressionEvaluator evaluator = TestEvaluators.Create();

    private static PipelineExecution Execution(params StageExecution[] stages)
    {
        var execution = new PipelineExecution { Id = "01EXEC", Application = "web" };
        execution.Stages.AddRange(stages);
        return execution;
    }

    [Theory]
    [InlineData("#stageExists('Bake')", true)]
    [InlineData("#stageExists('s-bake')", true)]
    [InlineData("#stageExists('Deploy')", false)]
    [InlineData("#stageExists('bake')", false)]
    public void StageExists_matches_a_stage_by_exact_name_or_id(string expression, bool expected)
    {
        var execution = Execution(new StageExecution { Id = "s-bake", Name = "Bake", Type = "bake" });

        var result = evaluator.Evaluate(expression, new ExpressionScope(execution));

        result.Error.ShouldBeNull();
        result.Value!.GetValue<bool>().ShouldBe(expected);
    }

    [Fact]
    public void StageExists_without_an_execution_is_an_error_not_false()
    {
        var result = evaluator.Evaluate("#stageExists('Bake')", new ExpressionScope(Root: []));

        result.Error.ShouldNotBeNull().ShouldContain("#stageExists(idOrName) needs a pipeline execution");
    }

    [Fact]
    public void Judgement_spelling_returns_the_judgment_input_of_the_manual_judgment_stage_with_that_name()
    {
        var execution = Execution(
            new StageExecution { Id = "a", Name = "my stage", Type = "bake", Context = new JsonObject { ["judgmentInput"] = "input2" } },
            new StageExecution { Id = "b", Name = "my stage", Type = "manualJudgment", Context = new JsonObject { ["judgmentInput"] = "Real Judgment input" } });

        evaluator.Evaluate("#judgement('my stage')", new ExpressionScope(execution)).Value!.GetValue<string>().ShouldBe("Real Judgment input");
        evaluator.Evaluate("#judgment('my stage')", new ExpressionScope(execution)).Value!.GetValue<string>().ShouldBe("Real Judgment input");
    }

    [Fact]
    public void Judgement_of_a_manual_judgment_stage_without_input_fails_with_the_orca_message()
    {
        var execution = Execution(new StageExecution { Id = "b", Name = "Approve", Type = "manualJudgment" });

        var result = evaluator.Process(
            JsonValue.Create("${#judgement('Approve')}"), new ExpressionScope(execution, execution.Stages[0], Root: []));

        var failure = result.Summary.Failures.Values.SelectMany(f => f).ShouldHaveSingleItem();
        failure.Level.ShouldBe(ExpressionFailure.Error);
        failure.ExceptionType.ShouldBe(ExpressionException.HelperFunction);
        failure.Description.ShouldContain("Unable to locate manual Judgment stage [Approve]");
        failure.Description.ShouldContain("in execution 01EXEC");
        result.Value!.GetValue<string>().ShouldBe("${#judgement('Approve')}");
    }

    [Fact]
    public void CurrentUser_is_the_scope_user()
    {
        var execution = Execution();
        execution.Authentication.User = "trigger-user@example.com";

        var result = evaluator.Evaluate("#currentUser()", new ExpressionScope(execution, User: "alice@example.com"));

        result.Value!.GetValue<string>().ShouldBe("alice@example.com");
    }

    [Fact]
    public void CurrentUser_falls_back_to_the_execution_authentication_user()
    {
        var execution = Execution();
        execution.Authentication.User = "bob@example.com";

        evaluator.Evaluate("#currentUser()", new ExpressionScope(execution)).Value!.GetValue<string>().ShouldBe("bob@example.com");
    }

    [Fact]
    public void CurrentUser_without_any_user_is_anonymous()
    {
        evaluator.Evaluate("#currentUser()", new ExpressionScope(Root: [])).Value!.GetValue<string>().ShouldBe("anonymous");
    }

    private static StageExecution DeployManifest(string name, ExecutionStatus status) => new()
    {
        Id = "dm-" + name,
        Name = name,
        Type = "deployManifest",
        Status = status,
        Context = new JsonObject
        {
            ["outputs.manifests"] = new JsonArray(
                new JsonObject { ["kind"] = "Service", ["metadata"] = new JsonObject { ["name"] = "web" } },
                new JsonObject
                {
                    ["kind"] = "Deployment",
                    ["spec"] = new JsonObject
                    {
                        ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web", ["tier"] = "frontend" } } },
                    },
                },
                new JsonObject
                {
                    ["kind"] = "ReplicaSet",
                    ["spec"] = new JsonObject
                    {
                        ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web-rs" } } },
                    },
                }),
        },
    };

    [Theory]
    [InlineData("Deployment", "app", "web")]
    [InlineData("Deployment", "tier", "frontend")]
    [InlineData("ReplicaSet", "app", "web-rs")]
    public void ManifestLabelValue_reads_the_pod_template_label_of_the_first_manifest_of_that_kind(string kind, string label, string expected)
    {
        var execution = Execution(DeployManifest("Deploy", ExecutionStatus.Succeeded));

        var result = evaluator.Evaluate($"#manifestLabelValue('Deploy', '{kind}', '{label}')", new ExpressionScope(execution));

        result.Error.ShouldBeNull();
        result.Value!.GetValue<string>().ShouldBe(expected);
    }

    [Fact]
    public void ManifestLabelValue_refuses_kinds_other_than_Deployment_and_ReplicaSet()
    {
        var execution = Execution(DeployManifest("Deploy", ExecutionStatus.Succeeded));

        var result = evaluator.Evaluate("#manifestLabelValue('Deploy', 'Service', 'app')", new ExpressionScope(execution));

        result.Error.ShouldNotBeNull().ShouldContain("Only Deployment and ReplicaSet manifests are supported");
    }

    [Theory]
    [InlineData("Deploy", ExecutionStatus.Terminal)]
    [InlineData("Deploy", ExecutionStatus.Running)]
    [InlineData("Other", ExecutionStatus.Succeeded)]
    public void ManifestLabelValue_needs_a_succeeded_deploy_manifest_stage_with_that_name(string stageName, ExecutionStatus status)
    {
        var execution = Execution(DeployManifest(stageName, status));

        var result = evaluator.Evaluate("#manifestLabelValue('Deploy', 'Deployment', 'app')", new ExpressionScope(execution));

        result.Error.ShouldNotBeNull().ShouldContain("A valid Deploy Manifest stage name is required");
    }

    [Fact]
    public void ManifestLabelValue_fails_when_the_stage_deployed_no_manifest_of_that_kind()
    {
        var stage = DeployManifest("Deploy", ExecutionStatus.Succeeded);
        stage.Context["outputs.manifests"] = new JsonArray(new JsonObject { ["kind"] = "Deployment" });
        var execution = Execution(stage);

        var result = evaluator.Evaluate("#manifestLabelValue('Deploy', 'ReplicaSet', 'app')", new ExpressionScope(execution));

        result.Error.ShouldNotBeNull().ShouldContain("Stage 'Deploy' deployed no ReplicaSet manifest");
    }

    public void Dispose() => evaluator.Dispose();
}
