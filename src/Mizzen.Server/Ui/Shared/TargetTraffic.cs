using Mizzen.Providers.Local.Api;

namespace Mizzen.Server.Ui.Shared;

/// <summary>
/// One load balancer target's traffic over a window, as the load balancer page charts it: requests per second and the share of 5xx
/// answers in percent, read from the provider's metrics (<see cref="ILocalMetrics.QueryRange"/>, the same series canary analysis reads).
/// A step without requests has no error share: it is a gap, not 0%.
/// </summary>
public sealed record TargetTraffic(string ServerGroup, LineChart Requests, LineChart Errors, bool HasRequests)
{
    /// <summary>Points per chart: the window is split into this many steps (the store's resolution is the finest step it answers).</summary>
    public const int Steps = 90;

    public static TargetTraffic Read(ILocalMetrics metrics, string account, string serverGroup, DateTimeOffset end, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var start = end - window;
        var step = window / Steps;
        var requests = metrics.QueryRange(account, serverGroup, "request_rate", start, end, step);
        var errors = metrics.QueryRange(account, serverGroup, "error_rate", start, end, step);
        return new TargetTraffic(
            serverGroup,
            LineChart.Build(ChartFrame.Small, [new ChartSeries("requests", Points(requests, 1))], span: (start, end), minimumMax: 1),
            LineChart.Build(ChartFrame.Small, [new ChartSeries("errors", Points(errors, 100))], span: (start, end), minimumMax: 5),
            requests.Points.Any(p => double.IsFinite(p.Value) && p.Value > 0));
    }

    private static List<ChartPoint> Points(TimeSeriesResult result, double scale) =>
        [.. result.Points.Select(p => new ChartPoint(p.Timestamp, p.Value * scale))];
}
