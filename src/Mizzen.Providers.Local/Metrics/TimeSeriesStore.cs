using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Mizzen.Providers.Local.Metrics;

/// <summary>
/// The embedded time-series store: series per (account, server group, metric name, labels) at a fixed resolution (10 s by default)
/// with bounded retention (6 h by default). Queried by <see cref="MetricQueryEngine"/>.
/// </summary>
internal sealed class TimeSeriesStore(IOptions<LocalProviderOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Account, string ServerGroup, string Name, string Labels), Series> series = new();

    public TimeSpan Resolution { get; } = options.Value.MetricsResolution > TimeSpan.Zero ? options.Value.MetricsResolution : TimeSpan.FromSeconds(10);

    public TimeSpan Retention { get; } = options.Value.MetricsRetention;

    public long SlotOf(DateTimeOffset at) => (long)Math.Floor(at.ToUnixTimeMilliseconds() / Resolution.TotalMilliseconds);

    public void Record(string account, string serverGroup, string name, IReadOnlyDictionary<string, string> labels, DateTimeOffset at, double value)
    {
        var key = (account, serverGroup, name, Canonical(labels));
        var entry = series.GetOrAdd(key, _ => new Series(new Dictionary<string, string>(labels, StringComparer.Ordinal)));
        entry.Add(SlotOf(at), value, SlotOf(at - Retention));
    }

    public IEnumerable<Series> Find(string account, string serverGroup, MetricSelector selector) =>
        series.Where(kv => kv.Key.Account == account && kv.Key.ServerGroup == serverGroup && kv.Key.Name == selector.Name && selector.Matches(kv.Value.Labels))
            .Select(kv => kv.Value);

    /// <summary>Drops series with no sample inside the retention (e.g. of destroyed server groups).</summary>
    public void Purge()
    {
        var oldest = SlotOf(time.GetUtcNow() - Retention);
        foreach (var (key, value) in series)
        {
            if (value.LastSlot < oldest)
            {
                series.TryRemove(key, out _);
            }
        }
    }

    public int Count => series.Count;

    private static string Canonical(IReadOnlyDictionary<string, string> labels) =>
        string.Join(',', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\""));
}
