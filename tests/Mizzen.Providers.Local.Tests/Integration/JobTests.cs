using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.Instances;
using Mizzen.Providers.Local.Jobs;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Integration;

/// <summary>Jobs as real detached processes: start + get, idempotent start, a restart of Mizzen, cancel, a lost process, clean-up.</summary>
[Collection(ProcessCollection.Name)]
public sealed class JobTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_job_reports_its_exit_code_output_and_properties_through_start_and_get()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var bundle = Directory.CreateDirectory(Path.Combine(harness.Folder, "job-bundle")).FullName;
        await File.WriteAllTextAsync(Path.Combine(bundle, "Procfile"),
            "job: echo migrating $DB_NAME; echo SPINNAKER_PROPERTY_SCHEMA_VERSION=42; echo 'SPINNAKER_CONFIG_JSON={\"tables\": 3, \"ok\": true}'; echo done >&2; exit 3\n");

        await harness.Jobs.StartJobAsync(Request("migrate-1", bundle) with { Env = new Dictionary<string, string> { ["DB_NAME"] = "orders-s3cr3t" } }, None);
        var result = await FinishedAsync(harness, "migrate-1");

        result.ExitCode.ShouldBe(3);
        result.TimedOut.ShouldBeFalse();
        result.Output.ShouldContain("migrating orders-s3cr3t");
        result.Output.ShouldContain("done");
        result.Properties["schema_version"].ShouldBe("42");
        result.Properties["tables"].ShouldBe(3L);
        result.Properties["ok"].ShouldBe(true);
        var folder = JobFolder(harness, "migrate-1");
        Directory.Exists(Path.Combine(folder, "bundle")).ShouldBeFalse("a finished job's bundle is removed");
        (await File.ReadAllTextAsync(Path.Combine(folder, "exit-code"))).Trim().ShouldBe("3");
        var record = await File.ReadAllTextAsync(Path.Combine(folder, "job.json"));
        record.ShouldNotContain("s3cr3t");
        var json = System.Text.Json.Nodes.JsonNode.Parse(record)!;
        json["pid"]!.GetValue<int>().ShouldBeGreaterThan(0);
        json["startedAt"].ShouldNotBeNull();
    }

    [Fact]
    public async Task An_unknown_job_is_null_and_cancelling_it_is_a_no_op()
    {
        await using var harness = await ProviderHarness.StartAsync();

        (await harness.Jobs.GetJobAsync("staging", "never-started", None)).ShouldBeNull();
        await harness.Jobs.CancelJobAsync("staging", "never-started", timedOut: false, None);
        (await harness.Jobs.GetJobAsync("staging", "never-started", None)).ShouldBeNull();
    }

    [Fact]
    public async Task Starting_the_same_job_again_runs_its_command_once()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var bundle = Directory.CreateDirectory(Path.Combine(harness.Folder, "once")).FullName;
        var marks = Path.Combine(harness.Folder, "marks.txt");
        var request = Request("once-1", bundle) with { Command = "/bin/sh", Args = ["-c", $"echo ran >> '{marks}'"] };

        await Task.WhenAll(harness.Jobs.StartJobAsync(request, None), harness.Jobs.StartJobAsync(request, None));
        await harness.Jobs.StartJobAsync(request, None);
        (await FinishedAsync(harness, "once-1")).ExitCode.ShouldBe(0);
        await harness.Jobs.StartJobAsync(request, None);
        (await FinishedAsync(harness, "once-1")).ExitCode.ShouldBe(0);

        (await File.ReadAllLinesAsync(marks)).ShouldBe(["ran"]);
    }

    [Fact]
    public async Task A_job_runs_on_while_Mizzen_restarts_and_the_new_runner_reads_its_result()
    {
        var first = await ProviderHarness.StartAsync();
        ProviderHarness? second = null;
        try
        {
            var bundle = Directory.CreateDirectory(Path.Combine(first.Folder, "long")).FullName;
            var go = Path.Combine(first.Folder, "go");
            var script = $"echo waiting; i=0; while [ ! -f '{go}' ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done; echo SPINNAKER_PROPERTY_RESULT=after-restart; exit 0";
            await first.Jobs.StartJobAsync(Request("long-1", bundle) with { Command = "/bin/sh", Args = ["-c", script] }, None);
            (await first.Jobs.GetJobAsync("staging", "long-1", None))!.IsRunning.ShouldBeTrue();

            await first.DetachAsync();
            second = await first.RestartOnSameStateAsync();
            (await second.Jobs.GetJobAsync("staging", "long-1", None))!.IsRunning.ShouldBeTrue("the job outlives the runner that started it");
            await File.WriteAllTextAsync(go, "");
            var result = await FinishedAsync(second, "long-1");

            result.ExitCode.ShouldBe(0);
            result.Output.ShouldContain("waiting");
            result.Properties["result"].ShouldBe("after-restart");
        }
        finally
        {
            await (second ?? first).DisposeAsync();
        }
    }

    [Fact]
    public async Task Cancel_kills_the_job_with_every_process_it_started()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var bundle = Directory.CreateDirectory(Path.Combine(harness.Folder, "tree")).FullName;
        var childPidFile = Path.Combine(harness.Folder, "child.pid");
        var script = $"sleep 300 & echo $! > '{childPidFile}.tmp'; mv '{childPidFile}.tmp' '{childPidFile}'; echo started; wait";
        await harness.Jobs.StartJobAsync(Request("tree-1", bundle) with { Command = "/bin/sh", Args = ["-c", script] }, None);
        await Eventually.Until(() => Task.FromResult(File.Exists(childPidFile)), TimeSpan.FromSeconds(30), "the job starting its child");
        var child = int.Parse((await File.ReadAllTextAsync(childPidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        ProcessIdentity.StartMarker(child).ShouldNotBeNull();

        await harness.Jobs.CancelJobAsync("staging", "tree-1", timedOut: false, None);
        var status = await harness.Jobs.GetJobAsync("staging", "tree-1", None);

        status!.Result.ShouldNotBeNull("a cancelled job is finished at once");
        status.Result.ExitCode.ShouldBeNull();
        status.Result.TimedOut.ShouldBeFalse();
        status.Result.Output.ShouldContain("started");
        status.Result.Output.ShouldContain("cancelled and killed");
        await Eventually.Until(() => Task.FromResult(ProcessIdentity.StartMarker(child) is null), TimeSpan.FromSeconds(10), "the job's child being killed");
        await harness.Jobs.CancelJobAsync("staging", "tree-1", timedOut: true, None);
        (await harness.Jobs.GetJobAsync("staging", "tree-1", None))!.Result!.TimedOut.ShouldBeFalse("a finished job is left as it is");
    }

    [Fact]
    public async Task A_job_killed_at_its_timeout_is_reported_timed_out_with_the_properties_it_printed()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var bundle = Directory.CreateDirectory(Path.Combine(harness.Folder, "sleepy")).FullName;
        var script = "echo SPINNAKER_PROPERTY_STARTED=yes; exec sleep 300";
        await harness.Jobs.StartJobAsync(Request("sleepy-1", bundle) with { Command = "/bin/sh", Args = ["-c", script] }, None);
        var output = Path.Combine(JobFolder(harness, "sleepy-1"), "output.log");
        await Eventually.Until(
            () => Task.FromResult(File.Exists(output) && File.ReadAllText(output).Contains("STARTED", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the job printing its property");

        await harness.Jobs.CancelJobAsync("staging", "sleepy-1", timedOut: true, None);
        var result = (await harness.Jobs.GetJobAsync("staging", "sleepy-1", None))!.Result!;

        result.TimedOut.ShouldBeTrue();
        result.ExitCode.ShouldBeNull();
        result.Properties["started"].ShouldBe("yes");
        result.Output.ShouldContain("ran past its timeout");
    }

    [Fact]
    public async Task A_job_whose_process_vanished_without_an_exit_code_is_reported_failed_with_the_reason()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var bundle = Directory.CreateDirectory(Path.Combine(harness.Folder, "doomed")).FullName;
        await harness.Jobs.StartJobAsync(Request("doomed-1", bundle) with { Command = "/bin/sh", Args = ["-c", "echo working; exec sleep 300"] }, None);
        var pidFile = Path.Combine(JobFolder(harness, "doomed-1"), "pid");
        await Eventually.Until(() => Task.FromResult(File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0), TimeSpan.FromSeconds(30), "the wrapper writing its pid");
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        // What a reboot does: the job's processes are gone and nobody wrote an exit code.
        PosixSignals.Send(pid, processGroup: true, PosixSignals.SigKill).ShouldBeTrue();
        var result = await FinishedAsync(harness, "doomed-1");

        result.ExitCode.ShouldBeNull();
        result.TimedOut.ShouldBeFalse();
        result.Output.ShouldContain(LocalJobRunner.LostMessage);
    }

    [Fact]
    public async Task Folders_of_jobs_finished_more_than_a_day_ago_are_removed_when_a_job_starts()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var bundle = Directory.CreateDirectory(Path.Combine(harness.Folder, "quick")).FullName;
        var request = Request("old-1", bundle) with { Command = "/bin/sh", Args = ["-c", "echo hi"] };
        await harness.Jobs.StartJobAsync(request, None);
        await FinishedAsync(harness, "old-1");
        await harness.Jobs.StartJobAsync(request with { JobId = "recent-1" }, None);
        await FinishedAsync(harness, "recent-1");
        File.SetLastWriteTimeUtc(Path.Combine(JobFolder(harness, "old-1"), "exit-code"), DateTime.UtcNow - TimeSpan.FromDays(2));

        await harness.Jobs.StartJobAsync(request with { JobId = "new-1" }, None);

        Directory.Exists(JobFolder(harness, "old-1")).ShouldBeFalse();
        Directory.Exists(JobFolder(harness, "recent-1")).ShouldBeTrue();
        (await harness.Jobs.GetJobAsync("staging", "old-1", None)).ShouldBeNull();
        (await FinishedAsync(harness, "new-1")).Output.ShouldContain("hi");
    }

    private static RunJobRequest Request(string jobId, string bundle) => new()
    {
        JobId = jobId,
        Account = "staging",
        Artifact = new LocalArtifact { Reference = bundle },
    };

    private static string JobFolder(ProviderHarness harness, string jobId) => Path.Combine(harness.Folder, "staging", "jobs", jobId);

    private static async Task<RunJobResult> FinishedAsync(ProviderHarness harness, string jobId)
    {
        var status = await Eventually.Until(
            () => harness.Jobs.GetJobAsync("staging", jobId, None), s => s is { IsRunning: false }, TimeSpan.FromSeconds(30), $"job {jobId} finishing");
        return status!.Result!;
    }
}
