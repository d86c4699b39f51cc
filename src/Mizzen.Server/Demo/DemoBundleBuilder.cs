using System.Diagnostics;
using Mizzen.Server.Hosting;

namespace Mizzen.Server.Demo;

/// <summary>
/// Builds the demo's release bundles once with <c>samples/demo-service/make-bundles.sh</c> into a scratch folder, then moves them into
/// <see cref="DemoEnvironment.BundleFolder"/> (so a build cut short leaves nothing that looks finished). Skips when all exist.
/// Builds on this machine take turns through a lock file, because they share the sample's <c>obj</c> folder.
/// </summary>
internal sealed partial class DemoBundleBuilder(ServeArguments arguments, TimeProvider time, ILogger<DemoBundleBuilder> logger)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    /// <summary>True when the bundles are there (built now or before); false (logged) when they cannot be built.</summary>
    public async Task<bool> EnsureAsync(DemoEnvironment environment, CancellationToken cancellationToken)
    {
        if (environment.BundlesExist)
        {
            return true;
        }

        var root = RepositoryRoot.Find(AppContext.BaseDirectory, arguments.DataFolder, Environment.CurrentDirectory);
        if (root is null)
        {
            LogNoRepository(RepositoryRoot.DemoServiceFolder, environment.BundleFolder);
            return false;
        }

        await using var turn = await BuildLock.AcquireAsync(time, cancellationToken);
        if (environment.BundlesExist)
        {
            return true;
        }

        var scratch = environment.BundleFolder + ".building";
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }

        LogBuilding(environment.BundleFolder);
        var (exitCode, output) = await RunAsync(Path.Combine(root, RepositoryRoot.DemoServiceFolder, "make-bundles.sh"), scratch, cancellationToken);
        if (exitCode != 0)
        {
            LogBuildFailed(exitCode, output);
            return false;
        }

        Directory.CreateDirectory(environment.BundleFolder);
        foreach (var version in DemoEnvironment.Versions)
        {
            File.Move(Path.Combine(scratch, Path.GetFileName(environment.BundlePath(version))), environment.BundlePath(version), overwrite: true);
        }

        Directory.Delete(scratch, recursive: true);
        return true;
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string script, string outFolder, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(outFolder);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start sh");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(BuildTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return (-1, $"make-bundles.sh took longer than {BuildTimeout.TotalMinutes:0} minutes");
        }

        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "Demo: building the demo-service release bundles into {Folder} (once, ~30 s)")]
    private partial void LogBuilding(string folder);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Error, Message = "Demo: cannot build the release bundles: no {DemoService} folder above the server or the data folder. Run samples/demo-service/make-bundles.sh {Folder} from a Mizzen checkout and restart with --demo")]
    private partial void LogNoRepository(string demoService, string folder);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Error, Message = "Demo: building the release bundles failed (exit {ExitCode}); nothing will be deployed. Output:\n{Output}")]
    private partial void LogBuildFailed(int exitCode, string output);
}
