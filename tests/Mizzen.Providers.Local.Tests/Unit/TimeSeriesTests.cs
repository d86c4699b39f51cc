using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Providers.Local.Accounts;
using Mizzen.Providers.Local.Metrics;
using Mizzen.Testing;

namespace Mizzen.Providers.Local.Tests.Unit;

public sealed class TimeSeriesTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly TimeSeriesStore store;
    private readonly TrafficRegistry traffic = new();
    private readonly MetricQueryEngine queries;

    public TimeSeriesTests()
    {
        store = new TimeSeriesStore(Options.Create(new LocalProviderOptions()), clock);
        queries = new MetricQueryEngine(store);
    }

    [Fact]
    public void Request_rate_error_rate_and_latency_percentiles_come_from_10_second_samples_of_the_proxy_counters()
    {
        var counters = traffic.For("prod", "demo-prod-v001");
        Record();
        for (var minute = 0; minute < 6; minute++)
        {
            for (var i = 0; i < 600; i++)
            {
                counters.Begin();
                counters.Complete(i % 10 == 0 ? 503 : 200, TimeSpan.FromMilliseconds(i % 100 == 0 ? 900 : 20));
            }

            clock.Advance(TimeSpan.FromMinutes(1));
            Record();
        }

        var start = clock.GetUtcNow() - TimeSpan.FromMinutes(5);
        var rate = queries.QueryRange("prod", "demo-prod-v001", "request_rate", start, clock.GetUtcNow(), TimeSpan.FromMinutes(1));
        rate.Points.Count.ShouldBe(6);
        rate.Points.ShouldAllBe(p => Math.Abs(p.Value - 10) < 1e-9);
        queries.QueryRange("prod", "demo-prod-v001", "request_rate:5xx", start, start, TimeSpan.FromMinutes(1)).Points[0].Value.ShouldBe(1, 1e-9);
        queries.QueryRange("prod", "demo-prod-v001", "error_rate", start, start, TimeSpan.FromMinutes(1)).Points[0].Value.ShouldBe(0.1, 1e-9);
        queries.QueryRange("prod", "demo-prod-v001", "status_ratio:2xx", start, start, TimeSpan.FromMinutes(1)).Points[0].Value.ShouldBe(0.9, 1e-9);
        var p50 = queries.QueryRange("prod", "demo-prod-v001", "latency_p50", start, start, TimeSpan.FromMinutes(1)).Points[0].Value;
        p50.ShouldBeInRange(0.01, 0.025);
        var p995 = queries.QueryRange("prod", "demo-prod-v001", "latency_p99.5", start, start, TimeSpan.FromMinutes(1)).Points[0].Value;
        p995.ShouldBeInRange(0.5, 1);
    }

    [Fact]
    public void Points_without_samples_are_NaN()
    {
        traffic.For("prod", "demo-prod-v001");
        Record();
        clock.Advance(TimeSpan.FromSeconds(10));
        Record();
        clock.Advance(TimeSpan.FromMinutes(10));
        Record();

        var points = queries.QueryRange("prod", "demo-prod-v001", "request_rate", clock.GetUtcNow() - TimeSpan.FromMinutes(10), clock.GetUtcNow(), TimeSpan.FromSeconds(10)).Points;
        points.Count.ShouldBe(61);
        points[0].Value.ShouldBe(0);
        points[30].Value.ShouldBe(double.NaN);
        points[60].Value.ShouldBe(double.NaN);
        queries.QueryRange("prod", "nothing-v000", "latency_p99", clock.GetUtcNow(), clock.GetUtcNow(), TimeSpan.FromMinutes(1)).Points[0].Value.ShouldBe(double.NaN);
    }

    [Fact]
    public void Samples_older_than_the_retention_are_dropped()
    {
        store.Record("prod", "g-v000", "up", new Dictionary<string, string>(), clock.GetUtcNow(), 1);
        clock.Advance(TimeSpan.FromHours(7));
        store.Purge();

        store.Count.ShouldBe(0);
    }

    [Fact]
    public void Scraped_counters_are_summed_over_instances_and_rated_across_a_restart()
    {
        var labels = (string instance, string code) => new Dictionary<string, string> { ["instance"] = instance, ["code"] = code };
        store.Record("prod", "g-v000", "demo_requests_total", labels("a", "200"), clock.GetUtcNow(), 100);
        store.Record("prod", "g-v000", "demo_requests_total", labels("b", "200"), clock.GetUtcNow(), 50);
        clock.Advance(TimeSpan.FromSeconds(10));
        store.Record("prod", "g-v000", "demo_requests_total", labels("a", "200"), clock.GetUtcNow(), 200);
        store.Record("prod", "g-v000", "demo_requests_total", labels("b", "200"), clock.GetUtcNow(), 20);

        var now = clock.GetUtcNow();
        queries.QueryRange("prod", "g-v000", "demo_requests_total{code=\"200\"}", now, now, TimeSpan.FromSeconds(10)).Points[0].Value.ShouldBe(220);
        queries.QueryRange("prod", "g-v000", "rate(demo_requests_total{code=\"200\"})", now, now, TimeSpan.FromSeconds(10)).Points[0].Value.ShouldBe(12);
        Should.Throw<Mizzen.Core.Errors.ValidationException>(() => queries.QueryRange("prod", "g-v000", "rate(bad", now, now, TimeSpan.FromSeconds(10)));
    }

    private void Record() => new MetricsCollector(traffic, store, new Mizzen.Providers.Local.ServerGroups.ServerGroupDirectory(), null!, clock, null!).RecordTraffic(clock.GetUtcNow());
}
