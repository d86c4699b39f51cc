namespace Mizzen.Canary.Stage;

/// <summary>
/// A canary run's id (Kayenta's <c>canaryExecutionId</c>): <c>{executionId}-{stageId}</c> of the <c>kayentaCanary</c> stage.
/// Both parts are ULIDs, which never hold '-', so the id splits back unambiguously. A bare execution id means the
/// first <c>kayentaCanary</c> stage of that execution (a standalone run).
/// </summary>
public static class CanaryExecutionId
{
    public static string For(string executionId, string stageId) => $"{executionId}-{stageId}";

    public static (string ExecutionId, string? StageId) Parse(string canaryExecutionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(canaryExecutionId);
        var dash = canaryExecutionId.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? (canaryExecutionId, null) : (canaryExecutionId[..dash], canaryExecutionId[(dash + 1)..]);
    }

    /// <summary>Where the API serves the run: <c>/v2/canaries/canary/{configId}/{canaryExecutionId}</c>.</summary>
    public static string ReportPath(string configId, string canaryExecutionId)
        => $"/v2/canaries/canary/{Uri.EscapeDataString(configId)}/{Uri.EscapeDataString(canaryExecutionId)}";
}
