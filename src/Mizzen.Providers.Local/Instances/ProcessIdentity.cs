using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Mizzen.Providers.Local.Instances;

/// <summary>
/// Tells whether a recorded process is still the one we started: same pid and the same kernel start time
/// (<c>/proc/&lt;pid&gt;/stat</c> field 22), so a pid reused by another program is not adopted.
/// </summary>
internal static class ProcessIdentity
{
    /// <summary>The start marker of a live process, or null when it is gone (or a zombie).</summary>
    public static long? StartMarker(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }

            // Fields after the command name, which sits in parentheses and may hold spaces: state is field 3, starttime field 22.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length < 20 || fields[0] is "Z" or "X")
            {
                return null;
            }

            return long.Parse(fields[19], CultureInfo.InvariantCulture);
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime.ToUniversalTime().Ticks;
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public static bool IsAlive(int pid, long marker) => StartMarker(pid) == marker;

    /// <summary>
    /// Finds a live process started for <paramref name="instanceId"/> by its <c>MIZZEN_INSTANCE_ID</c> environment entry: it covers a
    /// Mizzen killed between starting a process and recording its pid. Linux only; elsewhere null.
    /// </summary>
    public static int? FindByInstanceId(string instanceId)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var needle = Encoding.UTF8.GetBytes("MIZZEN_INSTANCE_ID=" + instanceId + "\0");
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
                if (environ.AsSpan().IndexOf(needle) >= 0 && StartMarker(pid) is not null)
                {
                    return pid;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return null;
    }
}
