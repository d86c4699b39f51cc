using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class JobTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_job_returns_its_exit_code_output_and_the_properties_it_printed()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var bundle = Directory.CreateDirectory(Path.Combine(harness.Folder, "job-bundle")).FullName;
        await File.WriteAllTextAsync(Path.Combine(bundle, "Procfile"),
            "job: echo migrating $DB_NAME; echo SPINNAKER_PROPERTY_SCHEMA_VERSION=42; echo 'SPINNAKER_CONFIG_JSON={\"tables\": 3, \"ok\": true}'; echo done >&2; exit 3\n");

        var result = await harness.Jobs.RunJobAsync(new RunJobRequest
        {
            Account = "staging",
            Artifact = new LocalArtifact { Reference = bundle },
            Env = new Dictionary<string, string> { ["DB_NAME"] = "orders" },
        }, None);

        result.ExitCode.ShouldBe(3);
        result.TimedOut.ShouldBeFalse();
        result.Output.ShouldContain("migrating orders");
        result.Output.ShouldContain("done");
        result.Properties["schema_version"].ShouldBe("42");
        result.Properties["tables"].ShouldBe(3L);
        result.Properties["ok"].ShouldBe(true);
    }

    [Fact]
    public async Task A_job_running_past_its_timeout_is_killed_and_reported_timed_out()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var bundle = Directory.CreateDirectory(Path.Combine(harness.Folder, "sleepy")).FullName;

        var result = await harness.Jobs.RunJobAsync(new RunJobRequest
        {
            Account = "staging",
            Artifact = new LocalArtifact { Reference = bundle },
            Command = "/bin/sh",
            Args = ["-c", "echo SPINNAKER_PROPERTY_STARTED=yes; exec sleep 30"],
            Timeout = TimeSpan.FromMilliseconds(500),
        }, None);

        result.TimedOut.ShouldBeTrue();
        result.ExitCode.ShouldBeNull();
        result.Properties["started"].ShouldBe("yes");
    }
}
