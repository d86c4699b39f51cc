using System.Diagnostics;

namespace Mizzen.Providers.Local.Benchmarks;

/// <summary>Closed-loop load: <c>concurrency</c> clients send GETs back to back for a fixed time; latencies recorded per request.</summary>
internal static class LoadDriver
{
    public sealed record Result(string Name, long Requests, long Failures, double Seconds, double P50Ms, double P99Ms)
    {
        public double RequestsPerSecond => Requests / Seconds;

        public override string ToString() =>
            $"{Name,-28} {RequestsPerSecond,10:F0} req/s   p50 {P50Ms,6:F3} ms   p99 {P99Ms,6:F3} ms   failures {Failures}";
    }

    public static async Task<Result> RunAsync(string name, HttpClient client, Uri url, int concurrency, TimeSpan warmup, TimeSpan duration)
    {
        await DriveAsync(client, url, concurrency, warmup, null);
        var latencies = new List<double>[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            latencies[i] = new List<double>(100_000);
        }

        var started = Stopwatch.GetTimestamp();
        var failures = await DriveAsync(client, url, concurrency, duration, latencies);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(name, all.Length, failures, seconds, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    private static async Task<long> DriveAsync(HttpClient client, Uri url, int concurrency, TimeSpan duration, List<double>[]? latencies)
    {
        long failures = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.GetAsync(url);
                    await response.Content.ReadAsByteArrayAsync();
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }

                latencies?[worker].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })));
        return failures;
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
