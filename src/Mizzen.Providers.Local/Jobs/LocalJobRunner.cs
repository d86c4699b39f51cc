using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Providers.Local.Bundles;
using Mizzen.Providers.Local.Instances;

namespace Mizzen.Providers.Local.Jobs;

/// <summary>
/// Runs a job: unpacks the bundle into a folder of its own, runs the command (or the Procfile's <c>job:</c> line, else its <c>web:</c>
/// line) with the given env, captures stdout and stderr, kills it at the timeout, parses its property lines, and removes the folder.
/// </summary>
internal sealed class LocalJobRunner(
    LocalAccountRegistry accounts,
    BundleFetcher fetcher,
    IOptions<LocalProviderOptions> options,
    ILogger<LocalJobRunner> logger) : ILocalJobRunner
{
    public async Task<RunJobResult> RunJobAsync(RunJobRequest request, CancellationToken cancellationToken)
    {
        var account = accounts.Get(request.Account);
        var jobId = $"{request.Application}-job-{Guid.NewGuid().ToString("N")[..10]}";
        var folder = account.JobFolder(jobId);
        var (bundle, downloaded) = await fetcher.FetchAsync(request.Artifact, account.DownloadFolder, cancellationToken);
        try
        {
            await BundleExtractor.ExtractAsync(bundle, folder, cancellationToken);
            var argv = ResolveArgv(folder, request);
            var output = new BoundedOutput(options.Value.JobOutputMaxChars);
            var (exitCode, timedOut) = await RunAsync(argv, folder, request, jobId, output, cancellationToken);
            Log.JobFinished(logger, account.Name, jobId, exitCode, timedOut);
            var text = output.ToString();
            return new RunJobResult(jobId, exitCode, timedOut, text, JobOutputParser.Parse(text));
        }
        finally
        {
            if (downloaded)
            {
                File.Delete(bundle);
            }

            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static List<string> ResolveArgv(string folder, RunJobRequest request)
    {
        if (!string.IsNullOrWhiteSpace(request.Command))
        {
            return StartCommand.Resolve(folder, request.Command, request.Args);
        }

        try
        {
            return StartCommand.Resolve(folder, null, request.Args, "job");
        }
        catch (BundleException)
        {
            return StartCommand.Resolve(folder, null, request.Args, "web");
        }
    }

    private static async Task<(int? ExitCode, bool TimedOut)> RunAsync(
        List<string> argv, string folder, RunJobRequest request, string jobId, BoundedOutput output, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in argv.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in request.Env)
        {
            start.Environment[name] = value;
        }

        start.Environment["MIZZEN_JOB_ID"] = jobId;
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.AppendLine(e.Data);
        process.ErrorDataReceived += (_, e) => output.AppendLine(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BundleException($"Job command '{argv[0]}' could not be started: {e.Message}", inner: e);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            await process.WaitForExitAsync(CancellationToken.None);
            return (process.ExitCode, false);
        }
        catch (OperationCanceledException)
        {
            PosixSignals.Send(process.Id, processGroup: false, PosixSignals.SigKill);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return (null, true);
        }
    }
}
