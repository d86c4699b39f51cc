using System.Diagnostics;
using System.Globalization;

namespace Mizzen.Providers.Local.Benchmarks;

/// <summary>CPU time (user + system) used so far by processes, read from /proc: what a proxy spends per request, whatever the machine's load.</summary>
internal static class ProcessCpu
{
    /// <summary>Linux reports utime/stime in USER_HZ ticks, 100 per second on every mainstream architecture.</summary>
    private const double TicksPerSecond = 100;

    public static TimeSpan OfCurrentProcess()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>The process and its direct children (nginx's master and its workers).</summary>
    public static TimeSpan OfProcessAndChildren(int pid)
    {
        double ticks = 0;
        foreach (var stat in Directory.EnumerateDirectories("/proc").Where(d => char.IsAsciiDigit(Path.GetFileName(d)[0])).Select(d => Path.Combine(d, "stat")))
        {
            string text;
            try
            {
                text = File.ReadAllText(stat);
            }
            catch (IOException)
            {
                continue; // the process ended meanwhile
            }

            // After "pid (comm) ": state ppid ... utime stime are fields 14 and 15 of the whole line (comm may hold spaces).
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            var self = int.Parse(text[..text.IndexOf(' ')], CultureInfo.InvariantCulture);
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (self == pid || parent == pid)
            {
                ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
