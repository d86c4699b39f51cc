using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Tests.Engine;
using Mizzen.Persistence.Executions;
using Mizzen.Testing.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Mizzen.Orchestration.Tests.Artifacts;

/// <summary>Expected artifacts are bound when a run starts, on the real store: from the trigger, the last successful run, or a default.</summary>
public abstract class ExpectedArtifactTests(StoreBackend backend) : IAsyncLifetime
{
    private const string Pipeline = """
        {"id":"deploy-app","application":"app","name":"deploy",
         "expectedArtifacts":[
           {"id":"image","displayName":"app image","matchArtifact":{"type":"docker/image","name":"gcr.io/p/app"},
            "usePriorArtifact":true,"useDefaultArtifact":false},
           {"id":"config","displayName":"app config","matchArtifact":{"type":"embedded/base64","name":"config"},
            "useDefaultArtifact":true,"defaultArtifact":{"type":"embedded/base64","name":"config","reference":"e30="}}],
         "stages":[{"refId":"1","type":"evaluateVariables","name":"vars",
                    "variables":[{"key":"tag","value":"${#triggerResolvedArtifact('gcr.io/p/app')['version']}"}]}]}
        """;

    private EngineHarness engine = null!;

    public async Task InitializeAsync() => engine = await EngineHarness.CreateAsync(backend);

    private static JsonObject Trigger(params JsonObject[] artifacts) => new()
    {
        ["type"] = "docker",
        ["expectedArtifactIds"] = new JsonArray("image", "config"),
        ["artifacts"] = new JsonArray([.. artifacts]),
    };

    private static JsonObject Image(string tag) => new()
    {
        ["type"] = "docker/image", ["name"] = "gcr.io/p/app", ["version"] = tag, ["reference"] = $"gcr.io/p/app:{tag}",
    };

    [Fact]
    public async Task A_trigger_artifact_and_a_default_are_bound_and_stages_read_them()
    {
        var run = await engine.StartAndRunAsync(Pipeline, Trigger(Image("v7")));

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        var resolved = run.Trigger["resolvedExpectedArtifacts"]!.AsArray();
        resolved.Select(r => r!["id"]!.GetValue<string>()).ShouldBe(["image", "config"]);
        resolved[0]!["boundArtifact"]!["version"]!.GetValue<string>().ShouldBe("v7");
        resolved[1]!["boundArtifact"]!["reference"]!.GetValue<string>().ShouldBe("e30=");
        run.Trigger["artifacts"]!.AsArray().Count.ShouldBe(2); // received plus the bound default
        EngineHarness.Stage(run, "vars").Outputs["tag"]!.GetValue<string>().ShouldBe("v7");
    }

    [Fact]
    public async Task An_artifact_nothing_matches_starts_no_run_and_names_the_expected_artifact()
    {
        var error = await Should.ThrowAsync<ValidationException>(() =>
            engine.StartAsync(Pipeline, Trigger(new JsonObject { ["type"] = "docker/image", ["name"] = "gcr.io/p/other", ["version"] = "v1" })));

        var problem = error.Problems.ShouldHaveSingleItem();
        problem.Location.ShouldBe("expectedArtifacts[0]");
        problem.Message.ShouldContain("'app image'");
        problem.Message.ShouldContain("gcr.io/p/app");
        (await StoredRunsAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Two_matching_artifacts_where_one_is_expected_is_an_error()
    {
        var error = await Should.ThrowAsync<ValidationException>(() => engine.StartAsync(Pipeline, Trigger(Image("v1"), Image("v2"))));

        error.Problems.ShouldHaveSingleItem().Message.ShouldContain("matches more than one");
        (await StoredRunsAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Use_prior_artifact_binds_the_last_successful_runs_artifact()
    {
        (await engine.StartAndRunAsync(Pipeline, Trigger(Image("v7")))).Status.ShouldBe(ExecutionStatus.Succeeded);

        var second = await engine.StartAndRunAsync(Pipeline, Trigger());

        second.Status.ShouldBe(ExecutionStatus.Succeeded);
        second.Trigger["resolvedExpectedArtifacts"]![0]!["boundArtifact"]!["version"]!.GetValue<string>().ShouldBe("v7");
        EngineHarness.Stage(second, "vars").Outputs["tag"]!.GetValue<string>().ShouldBe("v7");
    }

    [Fact]
    public async Task Without_a_successful_run_before_use_prior_artifact_has_nothing_to_bind()
    {
        var error = await Should.ThrowAsync<ValidationException>(() => engine.StartAsync(Pipeline, Trigger()));

        error.Problems.ShouldHaveSingleItem().Message.ShouldContain("nor of the last successful run");
    }

    [Fact]
    public async Task A_run_that_expects_no_artifact_ids_binds_nothing_and_keeps_what_it_was_given()
    {
        var run = await engine.StartAsync(Pipeline, new JsonObject { ["artifacts"] = new JsonArray(Image("v1"), Image("v1")) });

        run.Trigger["resolvedExpectedArtifacts"].ShouldBeNull();
        run.Trigger["artifacts"]!.AsArray().Count.ShouldBe(1); // duplicates dropped
    }

    [Fact]
    public async Task An_expected_artifact_id_the_pipeline_does_not_declare_is_an_error()
    {
        var trigger = Trigger(Image("v1"));
        trigger["expectedArtifactIds"] = new JsonArray("image", "typo");

        var error = await Should.ThrowAsync<ValidationException>(() => engine.StartAsync(Pipeline, trigger));

        error.Problems.ShouldHaveSingleItem().Location.ShouldBe("trigger.expectedArtifactIds");
    }

    private async Task<int> StoredRunsAsync() =>
        (await engine.Services.GetRequiredService<IExecutionStore>().ListAsync(new ExecutionQuery { Application = "app", Limit = 100 }, CancellationToken.None)).Count;

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        engine.DeleteFolder();
    }
}

public sealed class ExpectedArtifactTestsOnSqlite() : ExpectedArtifactTests(StoreBackend.Sqlite);

public sealed class ExpectedArtifactTestsOnPostgres() : ExpectedArtifactTests(StoreBackend.Postgres);
