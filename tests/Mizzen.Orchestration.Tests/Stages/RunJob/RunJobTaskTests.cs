using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages.RunJob;
using Mizzen.Testing;

namespace Mizzen.Orchestration.Tests.Stages.RunJob;

/// <summary>The start task alone: the job id it chooses and what a redelivered message does.</summary>
public sealed class RunJobTaskTests
{
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private readonly FakeJobRunner jobs = new();

    [Fact]
    public async Task A_redelivered_start_starts_one_job()
    {
        var task = new RunJobTask(new CloudProviderRegistry([new JobsOnlyCloud(jobs)]), NullLogger<RunJobTask>.Instance);
        var stage = StageTestKit.Stage("runJob", """{"account":"test","bundle":"/bundles/smoke","application":"Shop_Front"}""", startTime: clock.Ms());

        // Mizzen died after the first start and before recording it: the same message runs the task again.
        var first = await task.ExecuteAsync(StageTestKit.For(stage, clock), CancellationToken.None);
        var again = await task.ExecuteAsync(StageTestKit.For(stage, clock), CancellationToken.None);

        first.Status.ShouldBe(ExecutionStatus.Succeeded);
        again.Context![RunJobContext.JobIdKey]!.GetValue<string>().ShouldBe(first.Context![RunJobContext.JobIdKey]!.GetValue<string>());
        jobs.StartCalls.ShouldBe(2);
        jobs.Single.Spec.JobId.ShouldMatch("^shop-front-job-[0-9a-f]{10}$");
        first.Context[RunJobContext.DeployJobsKey]!.ToJsonString().ShouldBe($$"""{"test":["{{jobs.Single.Spec.JobId}}"]}""");
    }

    [Fact]
    public async Task A_cancel_that_comes_while_the_job_is_starting_kills_the_job_it_started()
    {
        var task = new RunJobTask(new CloudProviderRegistry([new JobsOnlyCloud(jobs)]), NullLogger<RunJobTask>.Instance);
        var stage = StageTestKit.Stage("runJob", """{"account":"test","bundle":"/bundles/smoke"}""", startTime: clock.Ms());
        await task.ExecuteAsync(StageTestKit.For(stage, clock), CancellationToken.None);

        // The engine drops the start's result (the run was cancelled meanwhile) and calls OnCancelAsync with the stored stage.
        (await task.OnCancelAsync(StageTestKit.For(stage, clock), CancellationToken.None)).ShouldBeNull();

        jobs.Cancels.ShouldBe([(jobs.Single.Spec.JobId, JobKillReason.Canceled)]);
        jobs.Single.Outcome.ShouldNotBeNull();
    }

    [Fact]
    public void The_job_id_changes_when_the_stage_starts_again()
    {
        var stage = StageTestKit.Stage("runJob", startTime: 1_700_000_000_000);
        var execution = StageTestKit.Execution(stage);
        var before = RunJobContext.JobId(execution, stage, "shop");

        stage.StartTime = 1_700_000_060_000;

        RunJobContext.JobId(execution, stage, "shop").ShouldNotBe(before);
        RunJobContext.JobId(execution, stage, "!!!").ShouldMatch("^job-job-[0-9a-f]{10}$");
    }
}
