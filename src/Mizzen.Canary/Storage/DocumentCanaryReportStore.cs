using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Persistence.Documents;

namespace Mizzen.Canary.Storage;

/// <summary>
/// Interval reports in the document store: collection <c>canary-report:{canaryExecutionId}</c>, key <c>{interval:D6}</c>
/// (so key order is interval order), one unversioned document per interval, body the report's JSON.
/// </summary>
public sealed class DocumentCanaryReportStore(IDocumentStore documents) : ICanaryReportStore
{
    private const string CollectionPrefix = "canary-report:";

    /// <summary>The author recorded with each report: the engine writes them, not a user.</summary>
    private const string SavedBy = "mizzen";

    public async Task SaveAsync(string canaryExecutionId, int interval, JsonObject report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await documents.PutAsync(CollectionPrefix + canaryExecutionId, interval.ToString("D6", CultureInfo.InvariantCulture), report.ToJsonString(), SavedBy, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredCanaryReport>> ListAsync(string canaryExecutionId, CancellationToken cancellationToken)
        => (await documents.ListAsync(CollectionPrefix + canaryExecutionId, cancellationToken))
            .Select(d => new StoredCanaryReport(canaryExecutionId, int.Parse(d.Key, CultureInfo.InvariantCulture), MizzenJson.ParseObject(d.Body), d.SavedAt))
            .OrderBy(r => r.Interval)
            .ToList();
}
