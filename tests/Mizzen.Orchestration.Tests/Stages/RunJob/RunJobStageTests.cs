using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Stages.RunJob;
using Mizzen.Orchestration.Tests.Engine;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Stages.RunJob;

/// <summary>The runJob stage on the real engine with a fake provider, driven by the test clock: start, poll, timeout, cancel, restart.</summary>
public sealed class RunJobStageTests : IAsyncLifetime
{
    private readonly FakeJobRunner jobs = new();
    private EngineHarness engine = null!;

    // The stage's own behaviour against a fake provider; the engine's store semantics are covered on both backends in Engine/.
    public async Task InitializeAsync() => engine = await EngineHarness.CreateAsync(StoreBackend.Sqlite, services =>
    {
        services.AddServerGroupStages();
        services.AddSingleton<ICloudProvider>(new JobsOnlyCloud(jobs));
    });

    [Fact]
    public async Task The_stage_polls_until_the_job_ends_and_outputs_its_status_logs_and_properties()
    {
        var run = await engine.StartAndRunAsync(Pipeline(Job("smoke")));
        var job = jobs.Single;
        job.Spec.JobId.ShouldMatch("^app-job-[0-9a-f]{10}$");
        job.Spec.Account.ShouldBe("test");
        job.Spec.Command.ShouldBe("./smoke.sh");
        job.Spec.Env["URL"].ShouldBe("http://demo");
        job.Spec.Artifact.Reference.ShouldBe("/bundles/smoke");
        EngineHarness.Stage(run, "smoke").Context[RunJobContext.JobIdKey]!.GetValue<string>().ShouldBe(job.Spec.JobId);

        await engine.AdvanceAsync(TimeSpan.FromSeconds(20));
        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Running);
        job.Polls.ShouldBeGreaterThan(1);
        jobs.Finish(job, 0, "checking http://demo\nok\n", new JsonObject { ["version"] = "v2", ["checks"] = 3 });
        await engine.AdvanceAsync(MonitorJobTask.PollInterval);

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        var outputs = EngineHarness.Stage(run, "smoke").Outputs;
        outputs["jobStatus"]!.ToJsonString().ShouldBe($$"""{"jobId":"{{job.Spec.JobId}}","exitCode":0,"timedOut":false}""");
        outputs["logs"]!.GetValue<string>().ShouldContain("checking http://demo");
        outputs["propertyFileContents"]!.ToJsonString().ShouldBe("""{"version":"v2","checks":3}""");
        outputs["version"]!.GetValue<string>().ShouldBe("v2");
        jobs.StartCalls.ShouldBe(1);
    }

    [Fact]
    public async Task A_job_exiting_non_zero_makes_the_stage_terminal_with_its_logs_and_is_not_cancelled()
    {
        var run = await engine.StartAndRunAsync(Pipeline(Job("migrate")));
        jobs.Finish(jobs.Single, 3, "relation already exists\n");
        await engine.AdvanceAsync(MonitorJobTask.PollInterval);

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Terminal);
        var stage = EngineHarness.Stage(run, "migrate");
        stage.Context["exception"]!.ToJsonString().ShouldContain($"Job {jobs.Single.Spec.JobId} exited with code 3");
        stage.Outputs["logs"]!.GetValue<string>().ShouldContain("relation already exists");
        jobs.Cancels.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_job_that_outlives_the_stage_timeout_is_killed_and_the_stage_is_terminal()
    {
        var run = await engine.StartAndRunAsync(Pipeline(Job("smoke", timeoutSeconds: 30)));
        await engine.AdvanceAsync(TimeSpan.FromSeconds(20));
        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Running);

        await engine.AdvanceAsync(TimeSpan.FromSeconds(15));

        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Terminal);
        var jobId = jobs.Single.Spec.JobId;
        jobs.Cancels.ShouldBe([(jobId, JobKillReason.TimedOut)]);
        var stage = EngineHarness.Stage(run, "smoke");
        stage.Context["exception"]!.ToJsonString().ShouldContain($"Job {jobId} did not finish within 30s and was killed");
        stage.Outputs["jobStatus"]!["timedOut"]!.GetValue<bool>().ShouldBeTrue();
        stage.Outputs["jobStatus"]!["exitCode"].ShouldBeNull();
        stage.Outputs["logs"]!.GetValue<string>().ShouldContain("killed");
    }

    [Fact]
    public async Task Cancelling_the_pipeline_kills_the_running_job()
    {
        var run = await engine.StartAndRunAsync(Pipeline(Job("smoke")));
        await engine.AdvanceAsync(TimeSpan.FromSeconds(5));

        await engine.Runner.CancelAsync(run.Id, "alice", "wrong build", CancellationToken.None);
        await engine.RunUntilIdleAsync();

        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Canceled);
        jobs.Cancels.ShouldContain((jobs.Single.Spec.JobId, JobKillReason.Canceled));
        jobs.Single.Outcome.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_long_job_holds_no_worker_so_a_parallel_wait_branch_finishes_meanwhile()
    {
        var run = await engine.StartAndRunAsync($$"""
            {"stages":[{{Job("soak")}},
                       {"refId":"w","type":"wait","name":"pause","waitTime":30},
                       {"refId":"after","requisiteStageRefIds":["w"],"type":"test.noop","name":"after pause"}]}
            """);

        await engine.AdvanceAsync(TimeSpan.FromSeconds(40));

        run = await engine.GetAsync(run.Id);
        EngineHarness.Stage(run, "pause").Status.ShouldBe(ExecutionStatus.Succeeded);
        EngineHarness.Stage(run, "after pause").Status.ShouldBe(ExecutionStatus.Succeeded);
        var soak = EngineHarness.Stage(run, "soak");
        soak.Status.ShouldBe(ExecutionStatus.Running);
        soak.Tasks.Select(t => (t.Name, t.Status)).ShouldBe([("runJob", ExecutionStatus.Succeeded), ("monitorJob", ExecutionStatus.Running)]);
        jobs.Single.Polls.ShouldBeInRange(10, 25);
    }

    [Fact]
    public async Task A_restarted_stage_runs_a_new_job()
    {
        var run = await engine.StartAndRunAsync(Pipeline(Job("migrate")));
        var first = jobs.Single;
        jobs.Finish(first, 1, "boom\n");
        await engine.AdvanceAsync(MonitorJobTask.PollInterval);
        run = await engine.GetAsync(run.Id);
        run.Status.ShouldBe(ExecutionStatus.Terminal);
        engine.Clock.Advance(TimeSpan.FromMinutes(1));

        await engine.Runner.RestartStageAsync(run.Id, EngineHarness.Stage(run, "migrate").Id, "carol", CancellationToken.None);
        await engine.RunUntilIdleAsync();

        jobs.Jobs.Count.ShouldBe(2);
        var second = jobs.Jobs.Single(j => j != first);
        second.Spec.JobId.ShouldNotBe(first.Spec.JobId);
        var stage = EngineHarness.Stage(await engine.GetAsync(run.Id), "migrate");
        stage.Context[RunJobContext.JobIdKey]!.GetValue<string>().ShouldBe(second.Spec.JobId);
        stage.Context.ContainsKey(RunJobContext.JobStatusKey).ShouldBeFalse("the previous job's status is cleared");
        jobs.Finish(second, 0, "ok\n");
        await engine.AdvanceAsync(MonitorJobTask.PollInterval);
        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    private static string Pipeline(string stage) => $$"""{"stages":[{{stage}}]}""";

    private static string Job(string name, int timeoutSeconds = 600) => $$"""
        {"refId":"{{name}}","type":"runJob","name":"{{name}}","account":"test","bundle":"/bundles/smoke","command":"./smoke.sh",
         "env":{"URL":"http://demo"},"timeout":{{timeoutSeconds}}}
        """;

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        engine.DeleteFolder();
    }
}
