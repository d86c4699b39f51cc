using System.Globalization;
using Microsoft.Extensions.Logging;
using Mizzen.Providers.Local.Metrics;
using Mizzen.Providers.Local.ServerGroups;

namespace Mizzen.Providers.Local.Metrics;

/// <summary>
/// Every resolution step (10 s): records the load balancers' counters per server group into the time-series store, and scrapes the
/// <c>/metrics</c> of each Up instance of server groups deployed with <c>scrapeMetrics: true</c> (series get an <c>instance</c> label).
/// </summary>
internal sealed class MetricsCollector(
    TrafficRegistry traffic,
    TimeSeriesStore store,
    ServerGroupDirectory directory,
    IHttpClientFactory httpClients,
    TimeProvider time,
    ILogger<MetricsCollector> logger)
{
    public const string HttpClientName = "Mizzen.Providers.Local.Scrape";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(store.Resolution, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await CollectAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async Task CollectAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        RecordTraffic(now);
        var scrapes = directory.All.Where(g => g.Record.ScrapeMetrics)
            .SelectMany(g => g.Instances.Where(i => i.State == Api.InstanceState.Up).Select(i => ScrapeAsync(g, i.Record.Id, i.Record.Port, now, cancellationToken)));
        await Task.WhenAll(scrapes);
        store.Purge();
    }

    public void RecordTraffic(DateTimeOffset now)
    {
        foreach (var t in traffic.All)
        {
            var s = t.Snapshot();
            for (var i = 0; i < ServerGroupTraffic.StatusClasses.Length; i++)
            {
                store.Record(t.Account, t.ServerGroup, MetricQueryEngine.RequestsMetric, new Dictionary<string, string> { ["status_class"] = ServerGroupTraffic.StatusClasses[i] }, now, s.ByClass[i]);
            }

            long cumulative = 0;
            for (var i = 0; i < LatencyBuckets.UpperBounds.Length; i++)
            {
                cumulative += s.Buckets[i];
                var le = double.IsPositiveInfinity(LatencyBuckets.UpperBounds[i]) ? "+Inf" : LatencyBuckets.UpperBounds[i].ToString(CultureInfo.InvariantCulture);
                store.Record(t.Account, t.ServerGroup, MetricQueryEngine.DurationBucketMetric, new Dictionary<string, string> { ["le"] = le }, now, cumulative);
            }

            store.Record(t.Account, t.ServerGroup, MetricQueryEngine.ActiveMetric, new Dictionary<string, string>(), now, s.Active);
        }
    }

    private async Task ScrapeAsync(ServerGroupRuntime group, string instanceId, int port, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var text = await httpClients.CreateClient(HttpClientName).GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), timeout.Token);
            foreach (var sample in PrometheusTextParser.Parse(text))
            {
                var labels = new Dictionary<string, string>(sample.Labels, StringComparer.Ordinal) { ["instance"] = instanceId };
                store.Record(group.Account, group.Name, sample.Name, labels, now, sample.Value);
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.ScrapeFailed(logger, instanceId, e.Message);
        }
    }
}
