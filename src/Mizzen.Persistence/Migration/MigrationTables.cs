namespace Mizzen.Persistence.Migration;

/// <summary>
/// A table a migration copies. <paramref name="OrderBy"/> is its key (rows go in key order, so a copy is repeatable);
/// <paramref name="Replace"/> gives a column the value the target should hold instead of the source's (as SQL over the source row);
/// <paramref name="Where"/> leaves rows out.
/// </summary>
internal sealed record MigrationTable(
    string Name, string OrderBy, IReadOnlyDictionary<string, string>? Replace = null, string? Where = null)
{
    public string SourceExpression(string column) =>
        Replace is not null && Replace.TryGetValue(column, out var expression) ? expression : $"\"{column}\"";
}

/// <summary>What a store holds, in the order a migration copies it: every table after the ones its rows refer to.</summary>
internal static class MigrationTables
{
    /// <summary>
    /// The queue is copied with every lease released: a message leased by the old node becomes deliverable at once on the new
    /// store (that node will never finish it). A leased message whose twin (same fingerprint) is already waiting is redundant
    /// and left out, as <c>ReleaseNodeLeasesAsync</c> does at start-up, since two waiting twins would break the queue's unique index.
    /// </summary>
    public static readonly MigrationTable Queue = new(
        "queue",
        "id",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["lease_until"] = "NULL",
            ["lease_token"] = "NULL",
            ["lease_node"] = "NULL",
        },
        "NOT (lease_token IS NOT NULL AND EXISTS (SELECT 1 FROM queue w WHERE w.fingerprint = queue.fingerprint AND w.lease_token IS NULL))");

    public static readonly IReadOnlyList<MigrationTable> All =
    [
        new("applications", "name"),
        new("pipeline_configs", "id"),
        new("pipeline_config_revisions", "id, revision"),
        new("executions", "id"),
        new("stages", "execution_id, id"),
        new("pending_executions", "id"),
        Queue,
        new("document_revisions", "collection, key, revision"),
        new("audit_log", "id"),
    ];
}
