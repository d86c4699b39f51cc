using Mizzen.Canary.Judge;

namespace Mizzen.Canary.Sources;

/// <summary>
/// Pairs control and experiment series by identical tags (Kayenta's <c>MetricSetMixerService</c>): a side missing a
/// tag set gets an all-NaN series, and a side shorter than the scope's expected points is padded with NaN.
/// </summary>
public static class MetricSetMixer
{
    public static IReadOnlyList<MetricSetPair> Mix(string metricName, IReadOnlyList<MetricSet> control, IReadOnlyList<MetricSet> experiment, MetricScopePair scopes)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(scopes);
        var keys = control.Select(s => Key(s.Tags)).Concat(experiment.Select(s => Key(s.Tags))).Distinct(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            keys.Add(string.Empty);
        }

        var pairs = new List<MetricSetPair>(keys.Count);
        foreach (var key in keys)
        {
            var c = control.FirstOrDefault(s => Key(s.Tags) == key);
            var e = experiment.FirstOrDefault(s => Key(s.Tags) == key);
            var tags = (c ?? e)?.Tags ?? new Dictionary<string, string>();
            pairs.Add(new MetricSetPair(metricName, tags, Series(c, scopes.Control), Series(e, scopes.Experiment)));
        }

        return pairs;
    }

    private static MetricSeries Series(MetricSet? set, MetricScope scope)
    {
        var expected = scope.ExpectedPoints;
        var values = set?.Values.ToList() ?? [];
        while (values.Count < expected)
        {
            values.Add(double.NaN);
        }

        return new MetricSeries(values, set?.Start ?? scope.Start, set?.StepSeconds ?? scope.StepSeconds, set?.Query);
    }

    private static string Key(IReadOnlyDictionary<string, string> tags)
        => string.Join('\u001f', tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
}
