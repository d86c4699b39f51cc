using System.Diagnostics;
using System.Net;
using Mizzen.Server.Benchmarks.Shared;

namespace Mizzen.Server.Benchmarks.Ui;

/// <summary>A page of the UI to time, with what its HTML must contain to count as the full page (not an error or an empty list).</summary>
internal sealed record UiPage(string Name, string Path, HttpStatusCode Status, string MustContain, int MinOccurrences = 1);

/// <summary>One page's server render times: the whole HTML response read, sequential calls after a warm-up.</summary>
internal sealed record PageTiming(UiPage Page, int HtmlBytes, int Occurrences, IReadOnlyList<double> Milliseconds, double CpuMsPerCall)
{
    public double P(double p) => Stats.Percentile(Milliseconds, p);
}

/// <summary>
/// Server render time of each page: <c>GET</c> of the full prerendered HTML (Blazor's static server render; the interactive pages
/// prerender their component, data included), timed from the request to the last byte read on a keep-alive loopback connection.
/// </summary>
internal static class PageTimings
{
    /// <summary>
    /// Times each page; <paramref name="cpu"/> reads the server's CPU time, so each page also gets the server's CPU per call: all the
    /// process spent during the timed calls over their number, background work included (an upper bound of the render's own CPU,
    /// and a figure that does not grow with the load of the machine as wall time does).
    /// </summary>
    public static async Task<List<PageTiming>> MeasureAsync(HttpClient http, IReadOnlyList<UiPage> pages, int warmup, int calls, Func<TimeSpan> cpu)
    {
        var result = new List<PageTiming>();
        foreach (var page in pages)
        {
            var (html, status) = await GetAsync(http, page.Path);
            if (status != page.Status)
            {
                throw new InvalidOperationException($"{page.Name} ({page.Path}) answered {(int)status}, not {(int)page.Status}:\n{html[..Math.Min(html.Length, 2000)]}");
            }

            var occurrences = Count(html, page.MustContain);
            if (occurrences < page.MinOccurrences)
            {
                throw new InvalidOperationException($"{page.Name} ({page.Path}) shows '{page.MustContain}' {occurrences} times, fewer than {page.MinOccurrences}: not the full page");
            }

            for (var i = 0; i < warmup; i++)
            {
                await GetAsync(http, page.Path);
            }

            var times = new List<double>(calls);
            var cpuBefore = cpu();
            for (var i = 0; i < calls; i++)
            {
                var clock = Stopwatch.StartNew();
                await GetAsync(http, page.Path);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            var cpuPerCall = (cpu() - cpuBefore).TotalMilliseconds / calls;
            var timing = new PageTiming(page, System.Text.Encoding.UTF8.GetByteCount(html), occurrences, times, cpuPerCall);
            Console.WriteLine($"  {page.Name}: p50 {timing.P(0.50):0.0} ms, p95 {timing.P(0.95):0.0} ms, server CPU {cpuPerCall:0.0} ms per call ({timing.HtmlBytes:N0} bytes of HTML, '{page.MustContain}' × {occurrences})");
            result.Add(timing);
        }

        return result;
    }

    private static async Task<(string Html, HttpStatusCode Status)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return (await response.Content.ReadAsStringAsync(), response.StatusCode);
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
