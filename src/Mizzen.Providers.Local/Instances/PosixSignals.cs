using System.Runtime.InteropServices;

namespace Mizzen.Providers.Local.Instances;

/// <summary>kill(2): .NET can only send SIGKILL, and a graceful stop needs SIGTERM first.</summary>
internal static partial class PosixSignals
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to the process, or to its whole process group when it leads one.</summary>
    public static bool Send(int pid, bool processGroup, int signal)
    {
        if (OperatingSystem.IsWindows())
        {
            if (signal == SigKill)
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                    return false;
                }
            }

            return true;
        }

        return Kill(processGroup ? -pid : pid, signal) == 0;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
