using Mizzen.Canary.Configs;
using Mizzen.Canary.Judge;
using Mizzen.Canary.Reports;
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
/// A dry run with the judge's verdict on the same window: <see cref="Judgment"/> is null when it was not asked for or could not be
/// made, and then <see cref="NotJudged"/> says why.
/// </summary>
public sealed record CanaryDryRunResult(IReadOnlyList<DryRunMetric> Metrics, CanaryReport? Judgment, string? NotJudged);

/// <summary>
/// Shows the exact control and experiment queries a config produces for given scopes and what they return,
/// flagging identical queries (the scope is not bound, so both sides read the same data) and empty results;
/// optionally judges what came back, as one canary interval over the whole window would be judged.
/// Never throws for one metric's problem: it is reported against that metric. The REST API's <c>dryRun</c>, the CLI and the
/// UI's dry run page all call this, so they show the same queries.
/// </summary>
public sealed class CanaryDryRun(MetricsSourceRegistry sources, NetflixAcaJudge? judge = null)
{
    private readonly NetflixAcaJudge judge = judge ?? new NetflixAcaJudge();

    public async Task<IReadOnlyList<DryRunMetric>> RunAsync(CanaryConfig config, IReadOnlyDictionary<string, MetricScopePair> scopes, bool fetch, CancellationToken cancellationToken)
        => (await RunAsync(config, scopes, fetch, null, cancellationToken)).Metrics;

    /// <summary>
    /// The dry run, then (when <paramref name="judgeWith"/> is given and <paramref name="fetch"/> is true) the judge's verdict on the fetched
    /// series with those thresholds. A config with errors, or a metric whose queries failed, is not judged: <see cref="CanaryDryRunResult.NotJudged"/> says why.
    /// </summary>
    public async Task<CanaryDryRunResult> RunAsync(
        CanaryConfig config, IReadOnlyDictionary<string, MetricScopePair> scopes, bool fetch, CanaryScoreThresholds? judgeWith, CancellationToken cancellationToken)
    {
        var metrics = await FetchAllAsync(config, scopes, fetch, cancellationToken);
        if (judgeWith is null)
        {
            return new CanaryDryRunResult(metrics, null, null);
        }

        if (!fetch)
        {
            return new CanaryDryRunResult(metrics, null, "nothing was fetched, so there is nothing to judge");
        }

        var errors = CanaryConfigValidator.Validate(config).Where(i => i.Severity == CanaryConfigIssueSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            return new CanaryDryRunResult(metrics, null, $"the config has errors: {string.Join("; ", errors)}");
        }

        if (metrics.FirstOrDefault(m => m.Control is null || m.Experiment is null) is { } failed)
        {
            return new CanaryDryRunResult(metrics, null, $"metric '{failed.Name}' could not be fetched: {string.Join("; ", failed.Problems)}");
        }

        var pairs = new List<MetricSetPair>();
        for (var i = 0; i < config.Metrics.Count; i++)
        {
            var pair = CanaryRunner.ScopesFor(config.Metrics[i], i, scopes);
            pairs.AddRange(MetricSetMixer.Mix(config.Metrics[i].Name!, metrics[i].Control!.Series, metrics[i].Experiment!.Series, pair));
        }

        return new CanaryDryRunResult(metrics, CanaryReportBuilder.Build(judge.Judge(config, pairs, judgeWith)), null);
    }

    private async Task<IReadOnlyList<DryRunMetric>> FetchAllAsync(CanaryConfig config, IReadOnlyDictionary<string, MetricScopePair> scopes, bool fetch, CancellationToken cancellationToken)
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
