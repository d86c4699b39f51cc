using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Testing;
using Mizzen.Testing.Docker;
using Mizzen.Testing.Stores;
using Mizzen.Triggers.Docker;

namespace Mizzen.Triggers.Tests.Docker;

/// <summary>
/// The docker poller against a real registry (Debian's docker-registry on 127.0.0.1) and the real store: the first poll starts
/// nothing, a new tag starts one run with its docker/image artifact, a re-pushed tag only when its digest changed.
/// </summary>
public abstract class DockerTriggerTests(StoreBackend backend) : IAsyncLifetime
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider clock = TestTime.Clock();
    private readonly CapturedLogs logs = new();
    private DockerRegistryProcess registry = null!;
    private TriggerServices triggers = null!;

    public async Task InitializeAsync()
    {
        registry = await DockerRegistryProcess.StartNewAsync();
        triggers = await TriggerServices.CreateAsync(backend, clock, "mizzen-docker", Configure);
    }

    public async Task DisposeAsync()
    {
        await triggers.DisposeAsync();
        await registry.DisposeAsync();
    }

    private void Configure(IServiceCollection services)
    {
        services.AddLogging(b => b.AddProvider(logs));
        services.Configure<DockerTriggerOptions>(o => o.Accounts.Add(new DockerRegistryAccount { Name = "local", Address = registry.Address }));
    }

    private Task SaveAsync(string tag = "", string repository = "team/app") =>
        triggers.Get<IPipelineConfigStore>().SaveAsync(PipelineConfig.Parse($$"""
            {"id":"deploy","application":"shop","name":"deploy",
             "expectedArtifacts":[{"id":"image","matchArtifact":{"type":"docker/image","name":"{{registry.Host}}/{{repository}}"} }],
             "triggers":[{"type":"docker","enabled":true,"account":"local","repository":"{{repository}}","tag":"{{tag}}",
                          "expectedArtifactIds":["image"]}],
             "stages":[]}
            """), "tester", CancellationToken.None);

    private Task<IReadOnlyList<DockerRepositoryState>> PollAsync() => triggers.Get<DockerMonitor>().PollAsync(CancellationToken.None);

    private async Task<IReadOnlyList<PipelineExecution>> RunsAsync() =>
        await triggers.Get<IExecutionStore>().ListAsync(new ExecutionQuery { Application = "shop", Limit = 100 }, CancellationToken.None);

    [Fact]
    public async Task The_first_poll_records_the_existing_tags_and_starts_nothing()
    {
        await registry.PushAsync("team/app", "v1", "one");
        await registry.PushAsync("team/app", "v2", "two");
        await SaveAsync();

        var state = (await PollAsync()).ShouldHaveSingleItem();

        state.Seeded.ShouldBeTrue();
        state.Tags.Keys.Order().ShouldBe(["v1", "v2"]);
        state.Tags["v1"].ShouldStartWith("sha256:");
        (await RunsAsync()).ShouldBeEmpty();
        (await PollAsync()).Single().LastNewTags.ShouldBeEmpty();
        (await RunsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_new_tag_starts_one_run_with_its_docker_image_artifact_bound()
    {
        await registry.PushAsync("team/app", "v1", "one");
        await SaveAsync();
        await PollAsync();

        var digest = await registry.PushAsync("team/app", "v2", "two");
        (await PollAsync()).Single().LastNewTags.ShouldBe(["v2"]);
        await PollAsync();

        var run = (await RunsAsync()).ShouldHaveSingleItem();
        run.Trigger["tag"]!.GetValue<string>().ShouldBe("v2");
        run.Trigger["digest"]!.GetValue<string>().ShouldBe(digest);
        run.Trigger["registry"]!.GetValue<string>().ShouldBe(registry.Host);
        run.Trigger["repository"]!.GetValue<string>().ShouldBe("team/app");
        run.Trigger["eventId"]!.GetValue<string>().ShouldBe($"local/team/app:v2@{digest}");
        var bound = run.Trigger["resolvedExpectedArtifacts"]![0]!["boundArtifact"]!;
        bound["type"]!.GetValue<string>().ShouldBe("docker/image");
        bound["name"]!.GetValue<string>().ShouldBe($"{registry.Host}/team/app");
        bound["version"]!.GetValue<string>().ShouldBe("v2");
        bound["reference"]!.GetValue<string>().ShouldBe($"{registry.Host}/team/app:v2");
    }

    [Fact]
    public async Task Only_tags_that_wholly_match_the_trigger_tag_start_runs_and_latest_never_without_a_pattern()
    {
        await registry.PushAsync("team/app", "v1", "one");
        await registry.PushAsync("team/web", "v1", "one");
        await SaveAsync(tag: "v[0-9]+");
        await triggers.Get<IPipelineConfigStore>().SaveAsync(PipelineConfig.Parse("""
            {"id":"any","application":"shop","name":"any","triggers":[{"type":"docker","enabled":true,"account":"local","repository":"team/web"}],"stages":[]}
            """), "tester", CancellationToken.None);
        await PollAsync();

        await registry.PushAsync("team/app", "v2-rc1", "rc");
        await registry.PushAsync("team/app", "v3", "three");
        await registry.PushAsync("team/web", "latest", "latest");
        await registry.PushAsync("team/web", "build-7", "seven");
        await PollAsync();

        var runs = await RunsAsync();
        runs.Select(r => $"{r.Name}:{r.Trigger["tag"]!.GetValue<string>()}").Order().ShouldBe(["any:build-7", "deploy:v3"]);
        var status = await triggers.Get<TriggerStatusStore>().GetAsync("any", 0, CancellationToken.None);
        status.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_tag_deleted_and_pushed_again_starts_a_run_only_when_its_digest_changed()
    {
        var first = await registry.PushAsync("team/app", "v1", "one");
        await SaveAsync();
        await PollAsync();

        await registry.DeleteAsync("team/app", first);
        (await PollAsync()).Single().Gone.ShouldContain(new GoneTag("v1", first));
        (await registry.PushAsync("team/app", "v1", "one")).ShouldBe(first);
        (await PollAsync()).Single().LastNewTags.ShouldBeEmpty();
        (await RunsAsync()).ShouldBeEmpty();

        await registry.DeleteAsync("team/app", first);
        await PollAsync();
        var second = await registry.PushAsync("team/app", "v1", "one, rebuilt");
        await PollAsync();

        var run = (await RunsAsync()).ShouldHaveSingleItem();
        run.Trigger["digest"]!.GetValue<string>().ShouldBe(second);
    }

    [Fact]
    public async Task With_track_digests_a_tag_overwritten_in_place_starts_a_run()
    {
        await registry.PushAsync("team/app", "v1", "one");
        await SaveAsync();
        triggers.Get<Microsoft.Extensions.Options.IOptions<DockerTriggerOptions>>().Value.Accounts[0].TrackDigests = true;
        await PollAsync();

        var moved = await registry.PushAsync("team/app", "v1", "one, moved");
        await PollAsync();

        (await RunsAsync()).ShouldHaveSingleItem().Trigger["digest"]!.GetValue<string>().ShouldBe(moved);
    }

    [Fact]
    public async Task A_new_tag_seen_by_two_pollers_or_after_a_restart_starts_one_run()
    {
        await registry.PushAsync("team/app", "v1", "one");
        await SaveAsync();
        await PollAsync();
        await registry.PushAsync("team/app", "v2", "two");

        // Another node (or this one after a restart) on the same store whose state still says v2 is new: as when the first
        // poller died after starting the run but before recording the tag.
        var stateBefore = await triggers.Get<Mizzen.Persistence.Documents.IDocumentStore>().GetAsync(DockerMonitor.Collection, "local/team/app", null, CancellationToken.None);
        await PollAsync();
        await triggers.Get<Mizzen.Persistence.Documents.IDocumentStore>().PutAsync(DockerMonitor.Collection, "local/team/app", stateBefore!.Body, "test", CancellationToken.None);
        await using var other = triggers.Restart(clock, Configure);
        (await other.GetRequiredService<DockerMonitor>().PollAsync(CancellationToken.None)).Single().LastNewTags.ShouldBe(["v2"]);

        (await RunsAsync()).ShouldHaveSingleItem();
        var status = await triggers.Get<TriggerStatusStore>().GetAsync("deploy", 0, CancellationToken.None);
        status!.Result.ShouldBe("duplicate");
    }

    [Fact]
    public async Task A_registry_that_is_down_is_logged_and_shown_and_the_next_poll_works()
    {
        await registry.PushAsync("team/app", "v1", "one");
        await SaveAsync();
        await PollAsync();

        await registry.StopAsync();
        var failed = (await PollAsync()).Single();
        failed.Error.ShouldNotBeNull().ShouldContain("127.0.0.1");
        logs.Lines.ShouldContain(l => l.StartsWith("Warning: docker triggers: polling local/team/app failed", StringComparison.Ordinal));
        var status = await triggers.Get<TriggerStatusStore>().GetAsync("deploy", 0, CancellationToken.None);
        status!.Result.ShouldBe("failed");
        status.Reason.ShouldNotBeNull().ShouldContain("polling local/team/app failed");

        await registry.StartAsync();
        await registry.PushAsync("team/app", "v2", "two");
        var recovered = (await PollAsync()).Single();

        recovered.Error.ShouldBeNull();
        recovered.LastNewTags.ShouldBe(["v2"]);
        var run = (await RunsAsync()).ShouldHaveSingleItem();
        status = await triggers.Get<TriggerStatusStore>().GetAsync("deploy", 0, CancellationToken.None);
        status!.Result.ShouldBe("started"); // the run the recovered poll started, not "works again"
        status.ExecutionId.ShouldBe(run.Id);
    }
}

public sealed class DockerTriggerTestsOnSqlite() : DockerTriggerTests(StoreBackend.Sqlite);

public sealed class DockerTriggerTestsOnPostgres() : DockerTriggerTests(StoreBackend.Postgres);
