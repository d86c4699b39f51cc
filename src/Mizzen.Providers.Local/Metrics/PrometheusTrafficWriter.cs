using System.Globalization;

namespace Mizzen.Providers.Local.Metrics;

/// <summary>Writes the load balancers' per-server-group counters in Prometheus text exposition format.</summary>
internal static class PrometheusTrafficWriter
{
    public static void Write(TextWriter writer, IEnumerable<ServerGroupTraffic> all)
    {
        var snapshots = all.Select(t => (t, s: t.Snapshot())).ToList();
        writer.Write("# HELP mizzen_local_lb_requests_total Requests the local load balancers forwarded, by server group and status class.\n");
        writer.Write("# TYPE mizzen_local_lb_requests_total counter\n");
        foreach (var (t, s) in snapshots)
        {
            for (var i = 0; i < ServerGroupTraffic.StatusClasses.Length; i++)
            {
                writer.Write($"mizzen_local_lb_requests_total{{{Labels(t)},status_class=\"{ServerGroupTraffic.StatusClasses[i]}\"}} {s.ByClass[i]}\n");
            }
        }

        writer.Write("# HELP mizzen_local_lb_request_duration_seconds Time from choosing an instance to the end of the response.\n");
        writer.Write("# TYPE mizzen_local_lb_request_duration_seconds histogram\n");
        foreach (var (t, s) in snapshots)
        {
            long cumulative = 0;
            for (var i = 0; i < LatencyBuckets.UpperBounds.Length; i++)
            {
                cumulative += s.Buckets[i];
                var le = double.IsPositiveInfinity(LatencyBuckets.UpperBounds[i]) ? "+Inf" : LatencyBuckets.UpperBounds[i].ToString(CultureInfo.InvariantCulture);
                writer.Write($"mizzen_local_lb_request_duration_seconds_bucket{{{Labels(t)},le=\"{le}\"}} {cumulative}\n");
            }

            writer.Write($"mizzen_local_lb_request_duration_seconds_sum{{{Labels(t)}}} {s.SumSeconds.ToString(CultureInfo.InvariantCulture)}\n");
            writer.Write($"mizzen_local_lb_request_duration_seconds_count{{{Labels(t)}}} {cumulative}\n");
        }

        writer.Write("# HELP mizzen_local_lb_active_connections Requests in flight through the local load balancers.\n");
        writer.Write("# TYPE mizzen_local_lb_active_connections gauge\n");
        foreach (var (t, s) in snapshots)
        {
            writer.Write($"mizzen_local_lb_active_connections{{{Labels(t)}}} {s.Active}\n");
        }
    }

    private static string Labels(ServerGroupTraffic t) => $"account=\"{Escape(t.Account)}\",server_group=\"{Escape(t.ServerGroup)}\"";

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
