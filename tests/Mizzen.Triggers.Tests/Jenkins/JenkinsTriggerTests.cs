using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Persistence.Queue;
using Mizzen.Testing;
using Mizzen.Testing.Stores;
using Mizzen.Triggers.Jenkins;

namespace Mizzen.Triggers.Tests.Jenkins;

/// <summary>
/// The Jenkins poller against <see cref="FakeJenkins"/> and the real store: the first poll starts nothing, a finished successful build
/// starts one run with Spinnaker's buildInfo and its property file's values, a running build waits, a failed one says why.
/// </summary>
public abstract class JenkinsTriggerTests(StoreBackend backend) : IAsyncLifetime
{
    private const string Token = "11aa22bb33cc44dd55ee66ff77aa88bb99";
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider clock = TestTime.Clock();
    private readonly CapturedLogs logs = new();
    private FakeJenkins jenkins = null!;
    private TriggerServices triggers = null!;
    private string token = Token;

    public async Task InitializeAsync()
    {
        jenkins = await FakeJenkins.StartAsync("ci-bot", Token);
        triggers = await TriggerServices.CreateAsync(backend, clock, "mizzen-jenkins", services =>
        {
            services.AddLogging(b => b.AddProvider(logs));
            services.Configure<JenkinsTriggerOptions>(o => o.Masters.Add(new JenkinsMaster { Name = "ci", Address = jenkins.Address, Username = "ci-bot", ApiToken = token }));
        });
    }

    public async Task DisposeAsync()
    {
        await triggers.DisposeAsync();
        await jenkins.DisposeAsync();
    }

    private Task SaveAsync(string job = "app-build", string propertyFile = "", string extra = "") =>
        triggers.Get<IPipelineConfigStore>().SaveAsync(PipelineConfig.Parse($$"""
            {"id":"deploy","application":"shop","name":"deploy",
             "triggers":[{"type":"jenkins","enabled":true,"master":"ci","job":"{{job}}","propertyFile":"{{propertyFile}}"{{extra}}}],
             "stages":[{"refId":"1","type":"evaluateVariables","name":"vars",
                        "variables":[{"key":"version","value":"${trigger.properties.version}"},{"key":"build","value":"${trigger.buildInfo.number}"}]}]}
            """), "tester", CancellationToken.None);

    private Task<IReadOnlyList<JenkinsJobState>> PollAsync() => triggers.Get<JenkinsMonitor>().PollAsync(CancellationToken.None);

    private async Task<IReadOnlyList<PipelineExecution>> RunsAsync() =>
        await triggers.Get<IExecutionStore>().ListAsync(new ExecutionQuery { Application = "shop", Limit = 100 }, CancellationToken.None);

    private Task RunUntilIdleAsync() => triggers.RunUntilIdleAsync();

    [Fact]
    public async Task The_first_poll_records_the_last_build_and_starts_nothing()
    {
        jenkins.AddBuild("app-build", "SUCCESS");
        jenkins.AddBuild("app-build", "SUCCESS");
        await SaveAsync();

        var state = (await PollAsync()).ShouldHaveSingleItem();
        await PollAsync();

        state.Seeded.ShouldBeTrue();
        state.LastBuild.ShouldBe(2);
        (await RunsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_finished_build_starts_a_run_with_its_build_info_and_property_file_values()
    {
        jenkins.AddBuild("app-build", "SUCCESS");
        await SaveAsync(propertyFile: "build.properties");
        await PollAsync();

        jenkins.AddBuild("app-build", "SUCCESS", artifacts: new()
        {
            ["out/build.properties"] = "# written by the build\nversion=1.4.2\nimage = shop/app:1.4.2\nnote: a \\\n  continued line\n",
            ["out/app.jar"] = "binary",
        });
        (await PollAsync()).Single().LastSent.ShouldBe([2]);
        await PollAsync();
        await RunUntilIdleAsync();

        var run = (await RunsAsync()).ShouldHaveSingleItem();
        run.Trigger["buildNumber"]!.GetValue<long>().ShouldBe(2);
        run.Trigger["eventId"]!.GetValue<string>().ShouldBe("ci/app-build#2");
        var info = run.Trigger["buildInfo"]!;
        info["name"]!.GetValue<string>().ShouldBe("app-build");
        info["number"]!.GetValue<int>().ShouldBe(2);
        info["result"]!.GetValue<string>().ShouldBe("SUCCESS");
        info["url"]!.GetValue<string>().ShouldBe($"{jenkins.Address}/job/app-build/2/");
        info["artifacts"]!.AsArray().Select(a => a!["relativePath"]!.GetValue<string>()).Order().ShouldBe(["out/app.jar", "out/build.properties"]);
        info["scm"]![0]!["branch"]!.GetValue<string>().ShouldBe("main");
        info["scm"]![0]!["sha1"]!.GetValue<string>().Length.ShouldBe(40);
        run.Trigger["properties"]!["version"]!.GetValue<string>().ShouldBe("1.4.2");
        run.Trigger["properties"]!["image"]!.GetValue<string>().ShouldBe("shop/app:1.4.2");
        run.Trigger["properties"]!["note"]!.GetValue<string>().ShouldBe("a continued line");
        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        run.Stages[0].Outputs["version"]!.GetValue<string>().ShouldBe("1.4.2");
    }

    [Fact]
    public async Task A_yaml_property_file_is_read_as_yaml_and_payload_constraints_check_it()
    {
        jenkins.AddBuild("app-build", "SUCCESS");
        await SaveAsync(propertyFile: "release.yml", extra: ""","payloadConstraints":{"channel":"^stable$"}""");
        await PollAsync();

        jenkins.AddBuild("app-build", "SUCCESS", artifacts: new() { ["release.yml"] = "version: '2.0'\nchannel: beta\n" });
        jenkins.AddBuild("app-build", "SUCCESS", artifacts: new() { ["release.yml"] = "version: '2.1'\nchannel: stable\nreplicas: 3\n" });
        await PollAsync();

        var run = (await RunsAsync()).ShouldHaveSingleItem();
        run.Trigger["buildNumber"]!.GetValue<long>().ShouldBe(3);
        run.Trigger["properties"]!["version"]!.GetValue<string>().ShouldBe("2.1");
        run.Trigger["properties"]!["replicas"]!.GetValue<long>().ShouldBe(3);
    }

    [Fact]
    public async Task A_running_build_starts_its_run_only_when_it_finishes()
    {
        jenkins.AddBuild("app-build", "SUCCESS");
        await SaveAsync();
        await PollAsync();

        var running = jenkins.AddBuild("app-build", null, building: true);
        (await PollAsync()).Single().Waiting.ShouldBe([2]);
        (await RunsAsync()).ShouldBeEmpty();

        running.Building = false;
        running.Result = "SUCCESS";
        var state = (await PollAsync()).Single();

        state.LastSent.ShouldBe([2]);
        state.Waiting.ShouldBeEmpty();
        (await RunsAsync()).ShouldHaveSingleItem().Trigger["buildNumber"]!.GetValue<long>().ShouldBe(2);
    }

    [Fact]
    public async Task A_build_running_at_the_first_poll_starts_its_run_when_it_finishes()
    {
        jenkins.AddBuild("app-build", "SUCCESS");
        var running = jenkins.AddBuild("app-build", null, building: true);
        await SaveAsync();
        (await PollAsync()).Single().Waiting.ShouldBe([2]);

        running.Building = false;
        running.Result = "SUCCESS";
        await PollAsync();

        (await RunsAsync()).ShouldHaveSingleItem().Trigger["buildNumber"]!.GetValue<long>().ShouldBe(2);
    }

    [Fact]
    public async Task A_failed_build_starts_nothing_and_the_trigger_status_says_it_failed()
    {
        jenkins.AddBuild("app-build", "SUCCESS");
        await SaveAsync();
        await PollAsync();

        jenkins.AddBuild("app-build", "FAILURE");
        await PollAsync();

        (await RunsAsync()).ShouldBeEmpty();
        var status = await triggers.Get<TriggerStatusStore>().GetAsync("deploy", 0, CancellationToken.None);
        status!.Result.ShouldBe("skipped");
        status.EventId.ShouldBe("ci/app-build#2");
        status.Reason.ShouldNotBeNull().ShouldContain("finished FAILURE");
        status.Reason.ShouldContain("SUCCESS only");
    }

    [Fact]
    public async Task A_job_in_a_folder_is_polled_at_its_folder_path()
    {
        jenkins.AddBuild("shop/job/app", "SUCCESS");
        await SaveAsync(job: "shop/job/app");
        await PollAsync();

        jenkins.AddBuild("shop/job/app", "SUCCESS", artifacts: new() { ["build.properties"] = "version=9" });
        await PollAsync();

        var run = (await RunsAsync()).ShouldHaveSingleItem();
        run.Trigger["job"]!.GetValue<string>().ShouldBe("shop/job/app");
        run.Trigger["buildInfo"]!["url"]!.GetValue<string>().ShouldBe($"{jenkins.Address}/job/shop/job/app/2/");
    }

    [Fact]
    public async Task A_repeated_poll_after_a_restart_starts_one_run_per_build()
    {
        jenkins.AddBuild("app-build", "SUCCESS");
        await SaveAsync();
        await PollAsync();
        jenkins.AddBuild("app-build", "SUCCESS");

        var documents = triggers.Get<Mizzen.Persistence.Documents.IDocumentStore>();
        var before = await documents.GetAsync(JenkinsMonitor.Collection, "ci/app-build", null, CancellationToken.None);
        await PollAsync();
        await documents.PutAsync(JenkinsMonitor.Collection, "ci/app-build", before!.Body, "test", CancellationToken.None); // died before recording
        await using var restarted = triggers.Restart(clock, services =>
            services.Configure<JenkinsTriggerOptions>(o => o.Masters.Add(new JenkinsMaster { Name = "ci", Address = jenkins.Address, Username = "ci-bot", ApiToken = Token })));
        (await restarted.GetRequiredService<JenkinsMonitor>().PollAsync(CancellationToken.None)).Single().LastSent.ShouldBe([2]);

        (await RunsAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_wrong_token_is_logged_as_an_authentication_failure_without_the_token()
    {
        await triggers.DisposeAsync();
        token = "wrong-" + Token;
        triggers = await TriggerServices.CreateAsync(backend, clock, "mizzen-jenkins", services =>
        {
            services.AddLogging(b => b.AddProvider(logs));
            services.Configure<JenkinsTriggerOptions>(o => o.Masters.Add(new JenkinsMaster { Name = "ci", Address = jenkins.Address, Username = "ci-bot", ApiToken = token }));
        });
        jenkins.AddBuild("app-build", "SUCCESS");
        await SaveAsync();

        var state = (await PollAsync()).Single();

        jenkins.Refused.ShouldBe(1);
        state.Seeded.ShouldBeFalse();
        state.Error.ShouldNotBeNull().ShouldContain("401");
        state.Error.ShouldContain("authentication failed for user 'ci-bot'");
        logs.Lines.ShouldContain(l => l.Contains("authentication failed for user 'ci-bot'", StringComparison.Ordinal));
        logs.Lines.ShouldAllBe(l => !l.Contains(Token, StringComparison.Ordinal));
        var status = await triggers.Get<TriggerStatusStore>().GetAsync("deploy", 0, CancellationToken.None);
        status!.Result.ShouldBe("failed");
        status.Reason.ShouldNotBeNull().ShouldNotContain(Token);
    }
}

public sealed class JenkinsTriggerTestsOnSqlite() : JenkinsTriggerTests(StoreBackend.Sqlite);

public sealed class JenkinsTriggerTestsOnPostgres() : JenkinsTriggerTests(StoreBackend.Postgres);
