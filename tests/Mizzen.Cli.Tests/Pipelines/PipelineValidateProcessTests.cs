using System.Diagnostics;
using Mizzen.Testing;

namespace Mizzen.Cli.Tests.Pipelines;

/// <summary>
/// <c>mizzen pipeline validate</c> as a real child process on every real pipeline file from the wider Spinnaker world:
/// exit 0 when every pipeline in it is runnable, 1 when one is not, one line per problem, never a stack trace or an abort.
/// </summary>
public sealed class PipelineValidateProcessTests
{
    public static TheoryData<string> WildFiles() => new(CompatVerdicts.Wild.Keys.Order());

    [Theory]
    [MemberData(nameof(WildFiles))]
    public async Task Validating_a_wild_pipeline_file_in_a_child_process_exits_with_its_verdict_and_one_line_per_problem(string file)
    {
        var (exitCode, stdout, stderr) = await RunCliAsync("pipeline", "validate", "-f", CompatData.PathOf("pipelines-wild", file));

        var runnable = CompatVerdicts.Wild[file].Select(CompatVerdicts.Offline).All(v => v.StartsWith(CompatVerdicts.Runnable, StringComparison.Ordinal));
        exitCode.ShouldBe(runnable ? 0 : 1, $"stdout:\n{stdout}\nstderr:\n{stderr}");
        stderr.ShouldBeEmpty();
        stdout.ShouldNotContain("   at ");
        stdout.ShouldNotContain("Exception");
        var lines = stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        if (runnable)
        {
            lines[^1].ShouldStartWith("valid");
            lines[..^1].ShouldAllBe(line => line.StartsWith("warning: ", StringComparison.Ordinal));
        }
        else
        {
            lines.ShouldAllBe(line => line.Contains(": ", StringComparison.Ordinal) && !line.StartsWith(' '));
        }
    }

    [Fact]
    public async Task A_repeated_key_is_a_warning_not_an_abort()
    {
        var (exitCode, stdout, _) = await RunCliAsync("pipeline", "validate", "-f",
            CompatData.PathOf("pipelines-wild", "viglesiasce-continuous-delivery-spinnaker-gke-pipeline-deploy.json"));

        exitCode.ShouldBe(0); // runnable: its deployManifest stages are the Kubernetes provider's; the repeated keys only warn
        stdout.ShouldContain("warning: line 170, column 3: duplicate key 'keepWaitingPipelines' at keepWaitingPipelines (first on line 6)");
    }

    /// <summary>Runs the built Mizzen.Cli.dll (copied beside the tests) with this test run's runtime and dependencies.</summary>
    private static async Task<(int ExitCode, string Out, string Error)> RunCliAsync(params string[] args)
    {
        var folder = AppContext.BaseDirectory;
        var testName = typeof(PipelineValidateProcessTests).Assembly.GetName().Name!;
        var start = new ProcessStartInfo("dotnet",
        [
            "exec",
            "--runtimeconfig", Path.Combine(folder, testName + ".runtimeconfig.json"),
            "--depsfile", Path.Combine(folder, testName + ".deps.json"),
            Path.Combine(folder, "Mizzen.Cli.dll"),
            .. args,
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["MIZZEN_URL"] = "http://127.0.0.1:9"; // never used: validate is offline
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
