using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Core.Model;

namespace Mizzen.Expressions.Tests.HelperFunctions;

/// <summary><c>#triggerResolvedArtifact</c>, <c>#triggerResolvedArtifactByType</c> and <c>#resolvedArtifacts</c> (Orca's ArtifactExpressionFunctionProvider).</summary>
public sealed class ArtifactFunctionTests : IDisposable
{
    private readonly SpelExpressionEvaluator evaluator = TestEvaluators.Create();

    private static JsonObject Artifact(string type, string name, string reference) =>
        new() { ["type"] = type, ["name"] = name, ["reference"] = reference };

    private static PipelineExecution TriggeredExecution() => new()
    {
        Id = "01TRIGGERED",
        Application = "web",
        Trigger = new JsonObject
        {
            ["type"] = "docker",
            ["resolvedExpectedArtifacts"] = new JsonArray(
                new JsonObject { ["id"] = "unbound", ["matchArtifact"] = Artifact("docker/image", "gcr.io/unbound", "x") },
                new JsonObject { ["id"] = "e1", ["boundArtifact"] = Artifact("docker/image", "gcr.io/app", "gcr.io/app:1.2.3") },
                new JsonObject { ["id"] = "e2", ["boundArtifact"] = Artifact("docker/image", "gcr.io/app", "gcr.io/app:9.9.9") },
                new JsonObject { ["id"] = "e3", ["boundArtifact"] = Artifact("gcs/object", "gs://bucket/manifest.yml", "gs://bucket/manifest.yml#17") }),
        },
    };

    [Fact]
    public void TriggerResolvedArtifact_returns_the_first_bound_artifact_with_that_name()
    {
        var result = evaluator.Evaluate("#triggerResolvedArtifact('gcr.io/app')", new ExpressionScope(TriggeredExecution()));

        result.Error.ShouldBeNull();
        TestEvaluators.Equivalent(Artifact("docker/image", "gcr.io/app", "gcr.io/app:1.2.3"), result.Value).ShouldBeTrue(result.Value?.ToJsonString());
    }

    [Fact]
    public void TriggerResolvedArtifactByType_returns_the_first_bound_artifact_of_that_type()
    {
        var scope = new ExpressionScope(TriggeredExecution());

        evaluator.Evaluate("#triggerResolvedArtifactByType('gcs/object').reference", scope).Value!.GetValue<string>().ShouldBe("gs://bucket/manifest.yml#17");
        evaluator.Evaluate("#triggerResolvedArtifactByType('docker/image').reference", scope).Value!.GetValue<string>().ShouldBe("gcr.io/app:1.2.3");
    }

    [Theory]
    [InlineData("#triggerResolvedArtifact('gcr.io/missing')", "gcr.io/missing")]
    [InlineData("#triggerResolvedArtifact('gcr.io/unbound')", "gcr.io/unbound")]
    [InlineData("#triggerResolvedArtifactByType('helm/chart')", "helm/chart")]
    public void Missing_resolved_artifact_fails_with_the_orca_message(string expression, string wanted)
    {
        var execution = TriggeredExecution();

        var result = evaluator.Process(JsonValue.Create("${" + expression + "}"), new ExpressionScope(execution));

        var failure = result.Summary.Failures.Values.SelectMany(f => f).ShouldHaveSingleItem();
        failure.Level.ShouldBe(ExpressionFailure.Error);
        failure.ExceptionType.ShouldBe(ExpressionException.HelperFunction);
        failure.Description.ShouldContain($"Unable to locate resolved artifact {wanted} in trigger execution 01TRIGGERED.");
    }

    [Fact]
    public void Trigger_without_resolved_artifacts_fails_with_the_same_message()
    {
        var execution = new PipelineExecution { Id = "01PLAIN", Trigger = new JsonObject { ["type"] = "manual" } };

        var result = evaluator.Evaluate("#triggerResolvedArtifact('gcr.io/app')", new ExpressionScope(execution));

        result.Error.ShouldNotBeNull().ShouldContain("Unable to locate resolved artifact gcr.io/app in trigger execution 01PLAIN.");
    }

    [Fact]
    public void ResolvedArtifacts_concatenates_every_stage_output_artifacts_in_stage_order()
    {
        var execution = new PipelineExecution { Id = "01RESOLVED" };
        execution.Stages.Add(new StageExecution
        {
            Id = "a", Name = "Bake", Outputs = new JsonObject { ["artifacts"] = new JsonArray(Artifact("docker/image", "app", "app:1"), Artifact("docker/image", "sidecar", "sidecar:2")) },
        });
        execution.Stages.Add(new StageExecution { Id = "b", Name = "Wait", Outputs = new JsonObject { ["other"] = 1 } });
        execution.Stages.Add(new StageExecution
        {
            Id = "c", Name = "Find", Outputs = new JsonObject { ["artifacts"] = new JsonArray(Artifact("gcs/object", "manifest", "gs://m")) },
        });
        var scope = new ExpressionScope(execution);

        var all = evaluator.Evaluate("#resolvedArtifacts()", scope);

        all.Error.ShouldBeNull();
        TestEvaluators.Equivalent(
            new JsonArray(Artifact("docker/image", "app", "app:1"), Artifact("docker/image", "sidecar", "sidecar:2"), Artifact("gcs/object", "manifest", "gs://m")),
            all.Value).ShouldBeTrue(all.Value?.ToJsonString());
        evaluator.Evaluate("#resolvedArtifacts().![reference]", scope).Value!.ToJsonString().ShouldBe("[\"app:1\",\"sidecar:2\",\"gs://m\"]");
    }

    [Fact]
    public void ResolvedArtifacts_of_stages_without_artifacts_is_an_empty_list()
    {
        var execution = new PipelineExecution { Id = "01EMPTY" };
        execution.Stages.Add(new StageExecution { Id = "a", Name = "Wait" });

        evaluator.Evaluate("#resolvedArtifacts().size()", new ExpressionScope(execution)).Value!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public void Artifact_functions_without_an_execution_say_they_need_one()
    {
        var result = evaluator.Evaluate("#resolvedArtifacts()", new ExpressionScope(Root: []));

        result.Error.ShouldNotBeNull().ShouldContain("#resolvedArtifacts() needs a pipeline execution");
    }

    public void Dispose() => evaluator.Dispose();
}
