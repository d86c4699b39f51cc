namespace Mizzen.Canary.Judge;

/// <summary>
/// One series of a metric (one side), aligned to its window: value i is at <see cref="Start"/> + i·<see cref="StepSeconds"/>.
/// Missing points are NaN. <see cref="Query"/> is what was sent to the metric store, when known.
/// </summary>
public sealed record MetricSeries(IReadOnlyList<double> Values, DateTimeOffset? Start = null, int StepSeconds = 0, string? Query = null)
{
    public static MetricSeries Of(params double[] values) => new(values);
}

/// <summary>
/// A metric's control and experiment series for one tag set (Kayenta's <c>MetricSetPair</c>). A config metric whose
/// query returns several tag sets gives several pairs, each judged on its own.
/// </summary>
public sealed record MetricSetPair(string Name, IReadOnlyDictionary<string, string> Tags, MetricSeries Control, MetricSeries Experiment)
{
    public MetricSetPair(string name, IReadOnlyList<double> control, IReadOnlyList<double> experiment)
        : this(name, new Dictionary<string, string>(), new MetricSeries(control), new MetricSeries(experiment))
    {
    }
}
