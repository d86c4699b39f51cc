namespace Mizzen.Canary.Sources.Embedded;

/// <summary>
/// The seam to Mizzen's own time-series store (owned by the local provider). Returns the series of
/// <paramref name="metricName"/> for one server group whose labels include <paramref name="labels"/>, each aligned
/// to start, start + step, … (end exclusive or inclusive as the store keeps it), with NaN where no sample exists.
/// </summary>
public interface IEmbeddedMetricsReader
{
    Task<IReadOnlyList<EmbeddedSeries>> QueryRangeAsync(
        string account,
        string serverGroup,
        string metricName,
        IReadOnlyDictionary<string, string> labels,
        DateTimeOffset start,
        DateTimeOffset end,
        TimeSpan step,
        CancellationToken cancellationToken);
}

/// <summary>One series from the embedded store: its full label set and its values (NaN for gaps) from <see cref="Start"/> every <see cref="Step"/>.</summary>
public sealed record EmbeddedSeries(IReadOnlyDictionary<string, string> Labels, DateTimeOffset Start, TimeSpan Step, IReadOnlyList<double> Values);
