using System.Collections.Concurrent;
using System.Text;

namespace Mizzen.Samples.DemoService;

/// <summary>Counts answered requests by status code and renders them in Prometheus text format.</summary>
internal sealed class RequestCounters
{
    private readonly ConcurrentDictionary<int, long> byCode = new();

    public void Record(int statusCode) => byCode.AddOrUpdate(statusCode, 1, (_, n) => n + 1);

    public string ToPrometheusText(string version)
    {
        var text = new StringBuilder()
            .Append("# HELP demo_requests_total Requests answered by GET /.\n")
            .Append("# TYPE demo_requests_total counter\n");
        foreach (var (code, count) in byCode.OrderBy(kv => kv.Key))
        {
            text.Append("demo_requests_total{code=\"").Append(code).Append("\",version=\"").Append(version).Append("\"} ").Append(count).Append('\n');
        }

        return text.ToString();
    }
}
