using System.Diagnostics;

namespace Mizzen.Providers.Local.Instances;

/// <summary>
/// Starts an instance's process so that it outlives Mizzen: in a session of its own (<c>setsid</c>, so a Ctrl-C or the death of
/// Mizzen does not reach it), with stdout/stderr appended straight to files (no pipe to Mizzen that would break when Mizzen dies)
/// and stdin from /dev/null. The wrapper shell <c>exec</c>s the program, so the recorded pid is the program's.
/// </summary>
internal static class ProcessLauncher
{
    private const string Redirect = "exec </dev/null >>\"$1\" 2>>\"$2\"; shift 2; exec \"$@\"";

    private static readonly string? SetSid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    public sealed record Launched(int Pid, long StartMarker, bool OwnProcessGroup, Process Process);

    public static Launched Launch(
        IReadOnlyList<string> argv,
        string workingFolder,
        IReadOnlyDictionary<string, string> env,
        string stdoutPath,
        string stderrPath)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The local provider supervises processes on Linux and macOS");
        }

        var start = new ProcessStartInfo { UseShellExecute = false, WorkingDirectory = workingFolder };
        if (SetSid is not null)
        {
            start.FileName = SetSid;
            start.ArgumentList.Add("/bin/sh");
        }
        else
        {
            start.FileName = "/bin/sh";
        }

        foreach (var arg in (string[])["-c", Redirect, "mizzen-instance", stdoutPath, stderrPath, .. argv])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in env)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {argv[0]}");
        var marker = ProcessIdentity.StartMarker(process.Id);
        if (marker is null)
        {
            // Exited at once: the supervisor sees it as crashed on its next look.
            return new Launched(process.Id, -1, SetSid is not null, process);
        }

        return new Launched(process.Id, marker.Value, SetSid is not null, process);
    }
}
