using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Tasks;
using Mizzen.Orchestration.Tests.Engine;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Artifacts;

/// <summary>
/// findArtifactFromExecution on the real engine and store: it binds another pipeline's latest run's artifacts, and a downstream stage
/// reads them by expectedArtifactId through <see cref="StageArtifactBinding"/> (the test.bind stage outputs what it bound).
/// </summary>
public abstract class FindArtifactFromExecutionTests(StoreBackend backend) : IAsyncLifetime
{
    private const string Source = """
        {"id":"build-pipeline","application":"app","name":"build","stages":[{"refId":"1","type":"test.noop","name":"build"}]}
        """;

    private const string FailingSource = """
        {"id":"build-pipeline","application":"app","name":"build","stages":[{"refId":"1","type":"test.fail","name":"build"}]}
        """;

    private EngineHarness engine = null!;

    public async Task InitializeAsync() => engine = await EngineHarness.CreateAsync(backend, services =>
    {
        services.AddSingleton<IStageDefinition, BindStage>();
        services.AddSingleton<BindTask>();
    });

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        engine.DeleteFolder();
    }

    private static JsonObject Image(string tag) => new()
    {
        ["type"] = "docker/image", ["name"] = "gcr.io/p/app", ["version"] = tag, ["reference"] = $"gcr.io/p/app:{tag}",
    };

    private static JsonObject Trigger(params JsonObject[] artifacts) => new() { ["type"] = "manual", ["artifacts"] = new JsonArray([.. artifacts]) };

    private static string Promote(string executionOptions = """{"successful": true}""", string pipeline = "build-pipeline") => $$$"""
        {"id":"promote-pipeline","application":"app","name":"promote","stages":[
          {"refId":"1","type":"findArtifactFromExecution","name":"find","application":"app","pipeline":"{{{pipeline}}}",
           "executionOptions":{{{executionOptions}}},
           "expectedArtifacts":[{"id":"built-image","displayName":"built image","matchArtifact":{"type":"docker/image","name":"gcr.io/p/app"}}]},
          {"refId":"2","requisiteStageRefIds":["1"],"type":"test.bind","name":"use","expectedArtifactId":"built-image"}]}
        """;

    [Fact]
    public async Task The_latest_successful_runs_artifact_is_bound_and_a_downstream_stage_reads_it_by_id()
    {
        (await RunSourceAsync(Source, Trigger(Image("v1")))).ShouldBe(ExecutionStatus.Succeeded);
        (await RunSourceAsync(Source, Trigger(Image("v2")))).ShouldBe(ExecutionStatus.Succeeded);
        (await RunSourceAsync(FailingSource, Trigger(Image("v3-broken")))).ShouldBe(ExecutionStatus.Terminal);

        var run = await engine.StartAndRunAsync(Promote());

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        var find = EngineHarness.Stage(run, "find");
        find.Outputs["resolvedExpectedArtifacts"]![0]!["boundArtifact"]!["version"].AsString().ShouldBe("v2");
        find.Outputs["artifacts"]!.AsArray().ShouldHaveSingleItem()!["reference"].AsString().ShouldBe("gcr.io/p/app:v2");
        EngineHarness.Stage(run, "use").Outputs["bound"]!["version"].AsString().ShouldBe("v2");
    }

    [Fact]
    public async Task Execution_options_choose_which_runs_count()
    {
        (await RunSourceAsync(Source, Trigger(Image("v2")))).ShouldBe(ExecutionStatus.Succeeded);
        (await RunSourceAsync(FailingSource, Trigger(Image("v3-broken")))).ShouldBe(ExecutionStatus.Terminal);

        var run = await engine.StartAndRunAsync(Promote("""{"successful": true, "terminal": true}"""));

        EngineHarness.Stage(run, "use").Outputs["bound"]!["version"].AsString().ShouldBe("v3-broken");
    }

    [Fact]
    public async Task No_run_of_the_pipeline_fails_the_stage_naming_it()
    {
        var run = await engine.StartAndRunAsync(Promote());

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        Errors(EngineHarness.Stage(run, "find")).ShouldContain("No SUCCEEDED execution of pipeline 'build-pipeline' (application 'app') was found to take artifacts from");
    }

    [Fact]
    public async Task A_run_without_a_matching_artifact_fails_the_stage_naming_the_expected_artifact()
    {
        var other = new JsonObject { ["type"] = "docker/image", ["name"] = "gcr.io/p/other", ["version"] = "v1" };
        (await RunSourceAsync(Source, Trigger(other))).ShouldBe(ExecutionStatus.Succeeded);

        var run = await engine.StartAndRunAsync(Promote());

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        var errors = Errors(EngineHarness.Stage(run, "find"));
        errors.ShouldContain("of pipeline 'build-pipeline' has no artifact matching 'built image' {type 'docker/image', name 'gcr.io/p/app'}");
    }

    [Fact]
    public async Task The_pipeline_may_be_named_instead_of_its_id()
    {
        (await RunSourceAsync(Source, Trigger(Image("v5")))).ShouldBe(ExecutionStatus.Succeeded);

        var run = await engine.StartAndRunAsync(Promote(pipeline: "build"));

        EngineHarness.Stage(run, "use").Outputs["bound"]!["version"].AsString().ShouldBe("v5");
    }

    [Fact]
    public async Task A_stage_bound_to_an_id_nothing_resolved_fails_naming_the_id()
    {
        var run = await engine.StartAndRunAsync("""
            {"application":"app","name":"lonely","stages":[{"refId":"1","type":"test.bind","name":"use","expectedArtifactId":"ghost"}]}
            """);

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        Errors(EngineHarness.Stage(run, "use")).ShouldContain("Stage 'use': expectedArtifactId 'ghost' is not bound to an artifact");
    }

    [Fact]
    public async Task A_stage_binds_the_triggers_resolved_expected_artifact_or_takes_an_inline_one()
    {
        var pipeline = """
            {"application":"app","name":"deploy",
             "expectedArtifacts":[{"id":"image","matchArtifact":{"type":"docker/image","name":"gcr.io/p/app"}}],
             "stages":[{"refId":"1","type":"test.bind","name":"by-id","artifactId":"image"},
                       {"refId":"2","type":"test.bind","name":"inline","artifact":{"type":"http/file","reference":"https://example.com/a"}}]}
            """;
        var trigger = Trigger(Image("v9"));
        trigger["expectedArtifactIds"] = new JsonArray("image");

        var run = await engine.StartAndRunAsync(pipeline, trigger);

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        EngineHarness.Stage(run, "by-id").Outputs["bound"]!["version"].AsString().ShouldBe("v9");
        EngineHarness.Stage(run, "inline").Outputs["bound"]!["type"].AsString().ShouldBe("http/file");
    }

    /// <summary>Runs a source pipeline, then moves the clock on a minute, so each run starts later than the one before (newest first is by start time).</summary>
    private async Task<ExecutionStatus> RunSourceAsync(string pipeline, JsonObject trigger)
    {
        var run = await engine.StartAndRunAsync(pipeline, trigger);
        engine.Clock.Advance(TimeSpan.FromMinutes(1));
        return run.Status;
    }

    private static string Errors(StageExecution stage) =>
        string.Join("\n", (stage.Context["exception"]?["details"]?["errors"] as JsonArray ?? []).Select(e => e.AsString()));

    /// <summary>A test stage that binds its artifact the way every stage does, and outputs it as <c>bound</c>.</summary>
    private sealed class BindStage : IStageDefinition
    {
        public string Type => "test.bind";

        public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<BindTask>("bind");
    }

    private sealed class BindTask : ITask
    {
        public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) =>
            Task.FromResult(TaskResult.Succeeded(outputs: new JsonObject { ["bound"] = StageArtifactBinding.Resolve(context)?.DeepClone() }));
    }
}

public sealed class FindArtifactFromExecutionTestsOnSqlite() : FindArtifactFromExecutionTests(StoreBackend.Sqlite);

public sealed class FindArtifactFromExecutionTestsOnPostgres() : FindArtifactFromExecutionTests(StoreBackend.Postgres);
