using System.Diagnostics;

namespace Mizzen.Cli.Tests;

/// <summary>
/// Runs the real <c>./mizzen</c> launcher once. It builds Mizzen.Server and Mizzen.Cli in Release (into .mizzen/build/&lt;hash&gt;/), so it is slow:
/// run it alone with <c>dotnet test tests/Mizzen.Cli.Tests --filter Category=Launcher</c>.
/// </summary>
public sealed class LauncherTests
{
    [Fact]
    [Trait("Category", "Launcher")]
    public async Task The_launcher_builds_server_and_cli_once_and_a_touched_file_does_not_rebuild()
    {
        var repository = RepositoryRoot();
        var first = await RunLauncherAsync(repository, "--help");
        first.Exit.ShouldBe(0, first.Err);
        first.Out.ShouldContain("Usage:\n  mizzen [command] [options]");
        first.Err.Trim().ShouldBeOneOf("", "building mizzen (server and CLI, once per source change)…");
        var builds = Directory.GetDirectories(Path.Combine(repository, ".mizzen", "build"))
            .Where(d => File.Exists(Path.Combine(d, ".complete"))).ToList();
        builds.ShouldContain(d => File.Exists(Path.Combine(d, "Mizzen.Cli.dll")) && File.Exists(Path.Combine(d, "Mizzen.Server.dll")));

        // A new timestamp is not a new source: the content hash is unchanged, so nothing builds.
        var project = Path.Combine(repository, "src", "Mizzen.Core", "Mizzen.Core.csproj");
        File.SetLastWriteTimeUtc(project, File.GetLastWriteTimeUtc(project).AddSeconds(1));
        var second = await RunLauncherAsync(repository, "--version");
        second.Exit.ShouldBe(0, second.Err);
        second.Err.ShouldBeEmpty();
    }

    private static async Task<(int Exit, string Out, string Err)> RunLauncherAsync(string repository, params string[] args)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(repository, "mizzen"), .. args])
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
        return (process.ExitCode, await stdout, await stderr);
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
