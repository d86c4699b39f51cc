using System.Diagnostics;

namespace Mizzen.Cli.Tests;

/// <summary>
/// Runs the real <c>./mizzen</c> launcher once. It builds Mizzen.Cli in Release (into .mizzen/build/), so it is slow:
/// run it alone with <c>dotnet test tests/Mizzen.Cli.Tests --filter Category=Launcher</c>.
/// </summary>
public sealed class LauncherTests
{
    [Fact]
    [Trait("Category", "Launcher")]
    public async Task The_launcher_builds_the_cli_and_prints_usage_from_any_directory()
    {
        var repository = RepositoryRoot();
        var start = new ProcessStartInfo("bash", [Path.Combine(repository, "mizzen"), "--help"])
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        var error = await stderr;
        process.ExitCode.ShouldBe(0, error);
        (await stdout).ShouldContain("Usage:\n  mizzen [command] [options]");
        error.Trim().ShouldBeOneOf("", "building mizzen…");
        File.Exists(Path.Combine(repository, ".mizzen", "build", "cli", "Mizzen.Cli.dll")).ShouldBeTrue();
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "mizzen")) && File.Exists(Path.Combine(folder.FullName, "Mizzen.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no repository root (with ./mizzen and Mizzen.slnx) above {AppContext.BaseDirectory}");
    }
}
