using System.Text.Json.Nodes;

namespace Mizzen.Canary.Storage;

/// <summary>
/// The judged intervals of canary runs (Kayenta keeps them in its object store): one report per interval, keyed by the
/// run's <c>canaryExecutionId</c>. The stage context keeps only the scores, so a long canary stays small.
/// </summary>
public interface ICanaryReportStore
{
    /// <summary>Stores (or replaces) the report of one interval.</summary>
    Task SaveAsync(string canaryExecutionId, int interval, JsonObject report, CancellationToken cancellationToken);

    /// <summary>Every stored interval of a run, in interval order; empty when none.</summary>
    Task<IReadOnlyList<StoredCanaryReport>> ListAsync(string canaryExecutionId, CancellationToken cancellationToken);
}

/// <summary>One interval's report, as <see cref="Reports.CanaryReportJson"/> wrote it.</summary>
public sealed record StoredCanaryReport(string CanaryExecutionId, int Interval, JsonObject Report, DateTimeOffset SavedAt);
