using System.Net;
using System.Net.Sockets;

namespace Mizzen.Providers.Local.Benchmarks;

internal static class Tools
{
    /// <summary>The first of the programs not found on PATH (nor in /usr/sbin, where Debian puts nginx), or null.</summary>
    public static string? Missing(params string[] programs)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin");
        return programs.FirstOrDefault(p => !folders.Any(f => File.Exists(Path.Combine(f, p))));
    }

    /// <summary>A loopback port nothing listens on now (the kernel's pick for port 0).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>Per figure, the median over the rounds (an odd count of rounds gives a value that was measured).</summary>
    public static Wrk.Result Median(IReadOnlyList<Wrk.Result> runs)
    {
        static double Mid(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        return new Wrk.Result(Mid(runs.Select(r => r.RequestsPerSecond)), Mid(runs.Select(r => r.P50Ms)), Mid(runs.Select(r => r.P99Ms)), runs.Sum(r => r.Errors), Mid(runs.Select(r => r.ProxyCpuMicros)));
    }
}
