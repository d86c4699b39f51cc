using Mizzen.Canary.Configs;
using Mizzen.Canary.Sources;

namespace Mizzen.Canary.Runs;

/// <summary>What one metric's queries are and return, with the problems found.</summary>
public sealed record DryRunMetric(string Name, string? Type, DryRunSide? Control, DryRunSide? Experiment, IReadOnlyList<string> Problems);

/// <summary>One side of a dry run: the exact query and what came back.</summary>
public sealed record DryRunSide(string Query, IReadOnlyList<MetricSet> Series)
{
    public int Points => Series.Sum(s => s.Values.Count);

    public int NonNaNPoints => Series.Sum(s => s.Values.Count(v => !double.IsNaN(v)));
}

/// <summary>
/// Shows the exact control and experiment queries a config produces for given scopes and what they return,
/// flagging identical queries (the scope is not bound, so both sides read the same data) and empty results.
/// Never throws for one metric's problem: it is reported against that metric.
/// </summary>
public sealed class CanaryDryRun(MetricsSourceRegistry sources)
{
    public async Task<IReadOnlyList<DryRunMetric>> RunAsync(CanaryConfig config, IReadOnlyDictionary<string, MetricScopePair> scopes, bool fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(scopes);
        var results = new List<DryRunMetric>();
        for (var i = 0; i < config.Metrics.Count; i++)
        {
            results.Add(await RunMetricAsync(config, i, scopes, fetch, cancellationToken));
        }

        return results;
    }

    private async Task<DryRunMetric> RunMetricAsync(CanaryConfig config, int index, IReadOnlyDictionary<string, MetricScopePair> scopes, bool fetch, CancellationToken cancellationToken)
    {
        var metric = config.Metrics[index];
        var name = metric.Name ?? $"metrics[{index}]";
        var problems = new List<string>();
        try
        {
            var source = sources.For(metric, index);
            var pair = CanaryRunner.ScopesFor(metric, index, scopes);
            var controlQuery = source.BuildQuery(config, metric, pair.Control);
            var experimentQuery = source.BuildQuery(config, metric, pair.Experiment);
            if (controlQuery == experimentQuery)
            {
                problems.Add("the control and experiment queries are identical: the scope is not part of the query (use ${scope} in a template), so both sides read the same data and the metric always passes");
            }

            IReadOnlyList<MetricSet> control = [];
            IReadOnlyList<MetricSet> experiment = [];
            if (fetch)
            {
                control = await source.QueryAsync(config, metric, pair.Control, cancellationToken);
                experiment = await source.QueryAsync(config, metric, pair.Experiment, cancellationToken);
                Check("control", control, problems);
                Check("experiment", experiment, problems);
            }

            return new DryRunMetric(name, metric.Query?.Type, new DryRunSide(controlQuery, control), new DryRunSide(experimentQuery, experiment), problems);
        }
        catch (CanaryException ex)
        {
            problems.Add(ex.Message);
            return new DryRunMetric(name, metric.Query?.Type, null, null, problems);
        }
    }

    private static void Check(string side, IReadOnlyList<MetricSet> series, List<string> problems)
    {
        if (series.Count == 0)
        {
            problems.Add($"the {side} query returned no series: check the metric name and the label values");
        }
        else if (series.All(s => s.Values.All(double.IsNaN)))
        {
            problems.Add($"the {side} query returned series with no values in the window");
        }
    }
}
