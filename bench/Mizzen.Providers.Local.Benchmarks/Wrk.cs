using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Mizzen.Providers.Local.Benchmarks;

/// <summary>Runs Debian's <c>wrk</c> (closed loop, keep-alive) against one URL and reads requests/s and the p50/p99 latency it prints.</summary>
internal static partial class Wrk
{
    /// <summary>One run's figures; <paramref name="ProxyCpuMicros"/> is the CPU time the proxy spent per request (NaN: no proxy).</summary>
    public sealed record Result(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors, double ProxyCpuMicros = double.NaN);

    /// <summary>Runs wrk; <paramref name="proxyCpu"/>, when given, is read before and after to say what the proxy spent per request.</summary>
    public static async Task<Result> RunAsync(Uri url, int connections, TimeSpan duration, Func<TimeSpan>? proxyCpu, CancellationToken cancellationToken)
    {
        var cpuBefore = proxyCpu?.Invoke();
        var threads = Math.Min(connections, 2);
        var start = new ProcessStartInfo("wrk", ["-t", $"{threads}", "-c", $"{connections}", "-d", $"{(int)duration.TotalSeconds}s", "--latency", url.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
        var output = await wrk.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = await wrk.StandardError.ReadToEndAsync(cancellationToken);
        await wrk.WaitForExitAsync(cancellationToken);
        var cpuUsed = proxyCpu is null ? (TimeSpan?)null : proxyCpu() - cpuBefore!.Value;
        if (wrk.ExitCode != 0 || RequestsPerSecond().Match(output) is not { Success: true } rps)
        {
            throw new InvalidOperationException($"wrk against {url} failed (exit {wrk.ExitCode}):\n{output}\n{errors}");
        }

        var requestsPerSecond = Number(rps.Groups[1].Value);
        return new Result(
            requestsPerSecond,
            Latency(output, "50%"),
            Latency(output, "99%"),
            Count(NonSuccess().Match(output)) + SocketErrors().Matches(output).Sum(m => Count(m)),
            cpuUsed is { } used ? used.TotalMicroseconds / (requestsPerSecond * duration.TotalSeconds) : double.NaN);
    }

    private static double Latency(string output, string percentile)
    {
        var line = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        if (!line.Success)
        {
            throw new InvalidOperationException($"wrk printed no {percentile} latency:\n{output}");
        }

        var value = Number(line.Groups[1].Value);
        return line.Groups[2].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            _ => value * 1000,
        };
    }

    private static long Count(Match match) => match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^Requests/sec:\s+([\d.]+)", RegexOptions.Multiline)]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"(?:connect|read|write|timeout) (\d+)")]
    private static partial Regex SocketErrors();
}
