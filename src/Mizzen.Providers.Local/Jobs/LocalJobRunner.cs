using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Providers.Local.Bundles;
using Mizzen.Providers.Local.Instances;

namespace Mizzen.Providers.Local.Jobs;

/// <summary>
/// Runs jobs detached from Mizzen, with their state in their folder (<see cref="JobFiles"/>): start unpacks the bundle, claims the
/// job (<c>job.json</c>, created exclusively: a second start of the same id does nothing) and launches the command through
/// <see cref="JobLauncher"/>'s wrapper; get reads the exit-code file, else asks whether the process still runs, else records the
/// job as lost; cancel kills its process group. A finished job's bundle is removed when it is first seen finished, its folder
/// <see cref="LocalProviderOptions.JobRetention"/> after it finished (checked when the runner is first used and whenever a job starts).
/// </summary>
internal sealed partial class LocalJobRunner(
    LocalAccountRegistry accounts,
    BundleFetcher fetcher,
    IOptions<LocalProviderOptions> options,
    TimeProvider time,
    ILogger<LocalJobRunner> logger) : ILocalJobRunner
{
    public const string LostMessage = "the job's process disappeared without an exit code (was the host restarted?)";

    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<string, Lazy<Task>> starting = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Process> processes = new(StringComparer.Ordinal);
    private int swept;

    public async Task StartJobAsync(RunJobRequest request, CancellationToken cancellationToken)
    {
        if (!IsValidId(request.JobId))
        {
            throw new ValidationException("jobId", $"'{request.JobId}' is not a valid job id: use 1-100 characters of a-z, 0-9 and '-'");
        }

        var account = accounts.Get(request.Account);
        SweepAllOnce();
        Sweep(account);
        var key = Key(account, request.JobId);
        var start = starting.GetOrAdd(key, _ => new Lazy<Task>(() => StartCoreAsync(account, request, cancellationToken)));
        try
        {
            await start.Value;
        }
        finally
        {
            starting.TryRemove(KeyValuePair.Create(key, start));
        }
    }

    public async Task<LocalJobStatus?> GetJobAsync(string account, string jobId, CancellationToken cancellationToken)
    {
        if (!IsValidId(jobId))
        {
            return null;
        }

        var resolved = accounts.Get(account);
        SweepAllOnce();
        await WaitForStartAsync(resolved, jobId);
        var files = new JobFiles(resolved.JobFolder(jobId));
        if (!files.Exists)
        {
            return null;
        }

        if (Settle(resolved, jobId, files) is not { } end)
        {
            return new LocalJobStatus(jobId, null);
        }

        var output = files.ReadTail(options.Value.JobOutputMaxChars);
        return new LocalJobStatus(jobId, new RunJobResult(jobId, end.ExitCode, end.TimedOut, output, files.ReadProperties()));
    }

    public async Task CancelJobAsync(string account, string jobId, bool timedOut, CancellationToken cancellationToken)
    {
        if (!IsValidId(jobId))
        {
            return;
        }

        var resolved = accounts.Get(account);
        await WaitForStartAsync(resolved, jobId);
        var files = new JobFiles(resolved.JobFolder(jobId));
        if (!files.Exists)
        {
            return;
        }

        lock (gate)
        {
            if (files.ReadEnd() is not null)
            {
                return;
            }

            var record = files.ReadRecord();
            if (JobLauncher.IsRunning(record, files, out var pid))
            {
                PosixSignals.Send(pid, record?.Pid == pid ? record.ProcessGroup : JobLauncher.UsesProcessGroups, PosixSignals.SigKill);
            }

            files.AppendNote(timedOut ? "the job ran past its timeout and was killed" : "the job was cancelled and killed");
            files.TryRecordEnd(timedOut ? JobEnd.TimedOutWord : JobEnd.KilledWord);
        }

        JobLog.Killed(logger, resolved.Name, jobId, timedOut);
        Settle(resolved, jobId, files);
    }

    private async Task StartCoreAsync(LocalAccount account, RunJobRequest request, CancellationToken cancellationToken)
    {
        var files = new JobFiles(account.JobFolder(request.JobId));
        if (files.Exists)
        {
            JobLog.AlreadyStarted(logger, account.Name, request.JobId);
            return;
        }

        // Unpack next to the final place first: a bad bundle or command fails the start without leaving a claimed job behind.
        var staging = Path.Combine(files.Folder, JobFiles.BundleName + ".partial");
        Directory.CreateDirectory(files.Folder);
        DeleteFolder(staging);
        var (bundle, downloaded) = await fetcher.FetchAsync(request.Artifact, account.DownloadFolder, cancellationToken);
        try
        {
            await BundleExtractor.ExtractAsync(bundle, staging, cancellationToken);
        }
        finally
        {
            if (downloaded)
            {
                File.Delete(bundle);
            }
        }

        var argv = ResolveArgv(staging, request);
        var record = new JobRecord(request.JobId, request.Application, time.GetUtcNow());
        if (!files.TryClaim(record))
        {
            DeleteFolder(staging);
            JobLog.AlreadyStarted(logger, account.Name, request.JobId);
            return;
        }

        JobLauncher.Launched launched;
        try
        {
            DeleteFolder(files.Bundle);
            Directory.Move(staging, files.Bundle);
            var env = new Dictionary<string, string>(request.Env, StringComparer.Ordinal) { ["MIZZEN_JOB_ID"] = request.JobId };
            launched = JobLauncher.Launch(files, argv, env);
        }
        catch (Exception e)
        {
            // Nothing was launched: release the claim so a retry can start the job.
            files.Unclaim();
            throw new BundleException($"Job '{request.JobId}' could not be started: {e.Message}", inner: e);
        }

        processes[Key(account, request.JobId)] = launched.Process;
        files.WriteRecord(record with { Pid = launched.Pid, StartMarker = launched.StartMarker, ProcessGroup = launched.ProcessGroup });
        JobLog.Started(logger, account.Name, request.JobId, launched.Pid);
    }

    /// <summary>
    /// How the job ended, or null while it runs. A job whose process is gone without an exit code is recorded as lost. The first
    /// time a job is seen finished its bundle is removed.
    /// </summary>
    private JobEnd? Settle(LocalAccount account, string jobId, JobFiles files)
    {
        JobEnd? end;
        lock (gate)
        {
            end = files.ReadEnd();
            if (end is null)
            {
                if (JobLauncher.IsRunning(files.ReadRecord(), files, out _))
                {
                    return null;
                }

                // The wrapper writes the exit code before it exits: read again now that it is gone.
                end = files.ReadEnd();
                if (end is null)
                {
                    files.AppendNote(LostMessage);
                    files.TryRecordEnd(JobEnd.LostWord);
                    end = files.ReadEnd() ?? new JobEnd(null, Killed: false, TimedOut: false, Lost: true);
                    JobLog.Lost(logger, account.Name, jobId);
                }
            }
        }

        if (processes.TryRemove(Key(account, jobId), out var process))
        {
            process.Dispose();
        }

        if (Directory.Exists(files.Bundle))
        {
            Log.JobFinished(logger, account.Name, jobId, end.ExitCode, end.TimedOut);
            TryCleanup(account, jobId, files.DeleteBundle);
        }

        return end;
    }

    private void SweepAllOnce()
    {
        if (Interlocked.Exchange(ref swept, 1) == 0)
        {
            foreach (var account in accounts.Owned)
            {
                Sweep(account);
            }
        }
    }

    /// <summary>Settles the account's jobs (a lost one is recorded, a finished one loses its bundle) and removes those that finished more than <see cref="LocalProviderOptions.JobRetention"/> ago.</summary>
    private void Sweep(LocalAccount account)
    {
        var root = account.JobsFolder;
        if (!Directory.Exists(root))
        {
            return;
        }

        var cutoff = time.GetUtcNow() - options.Value.JobRetention;
        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            var jobId = Path.GetFileName(folder);
            if (!IsValidId(jobId) || starting.ContainsKey(Key(account, jobId)))
            {
                continue;
            }

            TryCleanup(account, jobId, () =>
            {
                var files = new JobFiles(folder);
                if (!files.Exists)
                {
                    // A start that died before claiming the job: nothing runs here.
                    if (Directory.GetLastWriteTimeUtc(folder) < cutoff)
                    {
                        Directory.Delete(folder, recursive: true);
                    }

                    return;
                }

                if (Settle(account, jobId, files) is not null && files.EndedAt < cutoff)
                {
                    Directory.Delete(folder, recursive: true);
                    JobLog.Removed(logger, account.Name, jobId, options.Value.JobRetention);
                }
            });
        }
    }

    private async Task WaitForStartAsync(LocalAccount account, string jobId)
    {
        if (starting.TryGetValue(Key(account, jobId), out var start))
        {
            try
            {
                await start.Value;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The starter reports its own failure; here only its end matters.
            }
        }
    }

    private void TryCleanup(LocalAccount account, string jobId, Action cleanup)
    {
        try
        {
            cleanup();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            JobLog.CleanupFailed(logger, account.Name, jobId, e);
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

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Key(LocalAccount account, string jobId) => account.Name + "/" + jobId;

    private static bool IsValidId(string jobId) => jobId.Length is > 0 and <= 100 && JobIdPattern().IsMatch(jobId);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex JobIdPattern();
}
