using System.Globalization;

namespace Mizzen.Providers.Local.Tests.Infrastructure;

/// <summary>The load balancers' counters as the provider writes them for <c>/metrics</c>, by series name with labels.</summary>
public static class LoadBalancerMetrics
{
    public static Dictionary<string, double> Read(ProviderHarness harness)
    {
        using var writer = new StringWriter();
        harness.Metrics.WritePrometheus(writer);
        return writer.ToString().Split('\n')
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
    }

    public static string Active(string account, string serverGroup) =>
        $"mizzen_local_lb_active_connections{{account=\"{account}\",server_group=\"{serverGroup}\"}}";

    public static string Requests(string account, string serverGroup, string statusClass) =>
        $"mizzen_local_lb_requests_total{{account=\"{account}\",server_group=\"{serverGroup}\",status_class=\"{statusClass}\"}}";
}
