using System.Globalization;

namespace Mizzen.Providers.Local.Metrics;

/// <summary>
/// Evaluates range queries over <see cref="TimeSeriesStore"/> in the shapes canary analysis needs: request rate (per status class),
/// error rate (share of 5xx, or any class), latency percentiles from the histogram (Prometheus' histogram_quantile), gauges,
/// and scraped series raw or as rates. Counter resets (a restarted instance) count from zero, as in Prometheus.
/// </summary>
internal sealed class MetricQueryEngine(TimeSeriesStore store)
{
    public const string RequestsMetric = "mizzen_local_lb_requests_total";
    public const string DurationBucketMetric = "mizzen_local_lb_request_duration_seconds_bucket";
    public const string ActiveMetric = "mizzen_local_lb_active_connections";
    private const int MaxPoints = 11_000;

    public TimeSeriesResult QueryRange(string account, string serverGroup, string metric, DateTimeOffset start, DateTimeOffset end, TimeSpan step)
    {
        if (step < store.Resolution)
        {
            step = store.Resolution;
        }

        var evaluate = Compile(account, serverGroup, metric);
        var points = new List<TimeSeriesPoint>();
        for (var t = start; t <= end && points.Count < MaxPoints; t += step)
        {
            points.Add(new TimeSeriesPoint(t, evaluate(t, step)));
        }

        return new TimeSeriesResult(account, serverGroup, metric, step, points);
    }

    private Func<DateTimeOffset, TimeSpan, double> Compile(string account, string serverGroup, string metric)
    {
        var (name, argument) = metric.Split(':', 2) is [var n, var a] ? (n, a) : (metric, null);
        switch (name)
        {
            case "request_rate":
                var requests = Selector(RequestsMetric, argument);
                return (t, step) => SumOf(store.Find(account, serverGroup, requests), s => Rate(s, t, step));
            case "error_rate":
            case "status_ratio":
                var statusClass = argument ?? "5xx";
                return (t, step) => Ratio(account, serverGroup, statusClass, t, step);
            case "active_connections":
                var active = Selector(ActiveMetric, null);
                return (t, _) => SumOf(store.Find(account, serverGroup, active), s => Latest(s, t));
            case var _ when name.StartsWith("latency_p", StringComparison.Ordinal)
                && double.TryParse(name["latency_p".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var percentile)
                && percentile is > 0 and < 100:
                return (t, step) => Quantile(account, serverGroup, percentile / 100, t, step);
            default:
                var selector = MetricSelector.Parse(metric);
                return selector.Rate
                    ? (t, step) => SumOf(store.Find(account, serverGroup, selector), s => Rate(s, t, step))
                    : (t, _) => SumOf(store.Find(account, serverGroup, selector), s => Latest(s, t));
        }
    }

    private static MetricSelector Selector(string name, string? statusClass) =>
        new(name, statusClass is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["status_class"] = statusClass }, Rate: true);

    private double Ratio(string account, string serverGroup, string statusClass, DateTimeOffset t, TimeSpan step)
    {
        var all = SumOf(store.Find(account, serverGroup, Selector(RequestsMetric, null)), s => Increase(s, t, step));
        var some = SumOf(store.Find(account, serverGroup, Selector(RequestsMetric, statusClass)), s => Increase(s, t, step));
        return double.IsNaN(all) || all <= 0 ? double.NaN : (double.IsNaN(some) ? 0 : some) / all;
    }

    private double Quantile(string account, string serverGroup, double q, DateTimeOffset t, TimeSpan step)
    {
        var byBound = new SortedDictionary<double, double>();
        foreach (var series in store.Find(account, serverGroup, Selector(DurationBucketMetric, null)))
        {
            if (!series.Labels.TryGetValue("le", out var le))
            {
                continue;
            }

            var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            var increase = Increase(series, t, step);
            if (!double.IsNaN(increase))
            {
                byBound[bound] = byBound.GetValueOrDefault(bound) + increase;
            }
        }

        if (byBound.Count == 0 || !byBound.TryGetValue(double.PositiveInfinity, out var total) || total <= 0)
        {
            return double.NaN;
        }

        var rank = q * total;
        double previousBound = 0, previousCount = 0;
        foreach (var (bound, cumulative) in byBound)
        {
            if (cumulative >= rank)
            {
                if (double.IsPositiveInfinity(bound))
                {
                    return previousBound;
                }

                var inBucket = cumulative - previousCount;
                return inBucket <= 0 ? bound : previousBound + ((bound - previousBound) * (rank - previousCount) / inBucket);
            }

            previousBound = bound;
            previousCount = cumulative;
        }

        return previousBound;
    }

    private double Latest(Series series, DateTimeOffset t)
    {
        var slot = store.SlotOf(t);
        return series.LatestAtOrBefore(slot, slot - 2)?.Value ?? double.NaN;
    }

    private double Increase(Series series, DateTimeOffset t, TimeSpan window)
    {
        var slot = store.SlotOf(t);
        var from = store.SlotOf(t - window);
        var last = series.LatestAtOrBefore(slot, slot - 2);
        var first = series.LatestAtOrBefore(from, from - 2);
        if (last is null || first is null || last.Value.Slot <= first.Value.Slot)
        {
            return double.NaN;
        }

        var delta = last.Value.Value - first.Value.Value;
        return delta < 0 ? last.Value.Value : delta;
    }

    private double Rate(Series series, DateTimeOffset t, TimeSpan window)
    {
        var increase = Increase(series, t, window);
        return double.IsNaN(increase) ? double.NaN : increase / window.TotalSeconds;
    }

    private static double SumOf(IEnumerable<Series> series, Func<Series, double> value)
    {
        var sum = double.NaN;
        foreach (var s in series)
        {
            var v = value(s);
            if (!double.IsNaN(v))
            {
                sum = double.IsNaN(sum) ? v : sum + v;
            }
        }

        return sum;
    }
}
