using System.Diagnostics;
using Mizzen.Providers.Local.Instances;

namespace Mizzen.Providers.Local.Jobs;

/// <summary>
/// Starts a job detached from Mizzen, as <see cref="ProcessLauncher"/> starts instances (<c>setsid</c>: a session and process group
/// of its own, so a cancel can kill the job with everything it started, and the death of Mizzen does not reach it).
/// </summary>
internal static class JobLauncher
{
    /// <summary>
    /// Why a wrapper: Mizzen may be gone (restarted, killed) when the job ends, so nobody would be there to read the exit status
    /// from a pipe or <c>waitpid</c>. This shell writes its pid, sends the job's stdout and stderr to <c>output.log</c>, runs the command
    /// (not <c>exec</c>: it must outlive it), and writes the exit code atomically (tmp + rename) so a reader never sees half a number.
    /// <c>$1</c> is the job folder; the rest is the command.
    /// </summary>
    private const string Wrapper =
        "d=$1; shift; exec </dev/null >>\"$d/output.log\" 2>&1; echo $$ >\"$d/pid\"; " +
        "\"$@\"; c=$?; echo $c >\"$d/exit-code.tmp\" && mv -f \"$d/exit-code.tmp\" \"$d/exit-code\"";

    private static readonly string? SetSid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>Whether jobs lead a process group of their own (setsid is there), so a kill reaches their children.</summary>
    public static bool UsesProcessGroups => SetSid is not null;

    public sealed record Launched(int Pid, long? StartMarker, bool ProcessGroup, Process Process);

    public static Launched Launch(JobFiles files, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The local provider runs jobs on Linux and macOS");
        }

        var start = new ProcessStartInfo { UseShellExecute = false, WorkingDirectory = files.Bundle };
        start.FileName = SetSid ?? "/bin/sh";
        if (SetSid is not null)
        {
            start.ArgumentList.Add("/bin/sh");
        }

        foreach (var arg in (string[])["-c", Wrapper, "mizzen-job", files.Folder, .. argv])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in env)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {argv[0]}");
        return new Launched(process.Id, ProcessIdentity.StartMarker(process.Id), SetSid is not null, process);
    }

    /// <summary>
    /// Whether the job's wrapper still runs. With a recorded start marker the kernel's start time proves the pid is still ours; a pid
    /// known only from the wrapper's <c>pid</c> file must have the job folder on its command line (Linux; elsewhere: alive is enough).
    /// </summary>
    public static bool IsRunning(JobRecord? record, JobFiles files, out int pid)
    {
        if (record is { Pid: { } recorded, StartMarker: { } marker })
        {
            pid = recorded;
            return ProcessIdentity.IsAlive(recorded, marker);
        }

        pid = files.WrapperPid() ?? 0;
        return pid > 0 && ProcessIdentity.StartMarker(pid) is not null && CommandLineMentions(pid, files.Folder);
    }

    private static bool CommandLineMentions(int pid, string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid.ToString(System.Globalization.CultureInfo.InvariantCulture)}/cmdline");
            return cmdline.Split('\0').Contains(folder, StringComparer.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
