using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Mizzen.Canary.Storage;

/// <summary>An <see cref="ICanaryReportStore"/> in memory, for tests and hosts without a database.</summary>
public sealed class InMemoryCanaryReportStore(TimeProvider timeProvider) : ICanaryReportStore
{
    private readonly ConcurrentDictionary<(string Run, int Interval), StoredCanaryReport> reports = new();

    public Task SaveAsync(string canaryExecutionId, int interval, JsonObject report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        cancellationToken.ThrowIfCancellationRequested();
        reports[(canaryExecutionId, interval)] = new StoredCanaryReport(canaryExecutionId, interval, (JsonObject)report.DeepClone(), timeProvider.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StoredCanaryReport>> ListAsync(string canaryExecutionId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<StoredCanaryReport> found = reports.Values.Where(r => r.CanaryExecutionId == canaryExecutionId)
            .OrderBy(r => r.Interval)
            .Select(r => r with { Report = (JsonObject)r.Report.DeepClone() })
            .ToList();
        return Task.FromResult(found);
    }
}
