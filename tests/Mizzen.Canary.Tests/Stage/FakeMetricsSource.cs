using Mizzen.Canary.Configs;
using Mizzen.Canary.Sources;

namespace Mizzen.Canary.Tests.Stage;

/// <summary>
/// A fake metric source (<c>query.type: "fake"</c>): a server group's series is a wave around the level a test sets
/// for (server group, metric); every query is recorded so tests can check windows and scopes.
/// </summary>
internal sealed class FakeMetricsSource : IMetricsSource
{
    private readonly Dictionary<(string ServerGroup, string Metric), double> levels = [];

    public List<MetricScope> Queries { get; } = [];

    public string Type => "fake";

    public void Set(string serverGroup, string metric, double level) => levels[(serverGroup, metric)] = level;

    public string BuildQuery(CanaryConfig config, CanaryMetricConfig metric, MetricScope scope) => $"fake:{scope.Scope}/{metric.Name}";

    public Task<IReadOnlyList<MetricSet>> QueryAsync(CanaryConfig config, CanaryMetricConfig metric, MetricScope scope, CancellationToken cancellationToken)
    {
        Queries.Add(scope);
        var level = levels.GetValueOrDefault((scope.Scope, metric.Name!), 1.0);
        var values = Enumerable.Range(0, 60).Select(i => level + (0.1 * level * Math.Sin(i * 0.7))).ToList();
        IReadOnlyList<MetricSet> sets = [new MetricSet(metric.Name!, new Dictionary<string, string>(), scope.Start, scope.StepSeconds, values, BuildQuery(config, metric, scope))];
        return Task.FromResult(sets);
    }
}
