namespace Mizzen.Persistence.Audit;

/// <summary>
/// The audit log's table: append-only records of who changed what, queried newest first with filters, purged by age. Its own table
/// (not the document store) so a query by user, action or time is an index range and a purge is one DELETE.
/// </summary>
public interface IAuditStore
{
    /// <summary>Appends the records in one transaction. Ids are unique and sort by time (ULIDs).</summary>
    Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);

    /// <summary>Records matching <paramref name="query"/>, newest first, at most <see cref="AuditQuery.Limit"/>.</summary>
    Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes records older than <paramref name="cutoff"/>, at most <paramref name="batch"/> of them; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset cutoff, int batch, CancellationToken cancellationToken);
}

/// <summary>One audit record. <see cref="Before"/>/<see cref="After"/> are JSON (a config's previous and new body).</summary>
public sealed record AuditRecord(
    string Id,
    DateTimeOffset At,
    string User,
    string Action,
    string Target,
    string? Address,
    int? Status,
    string? Before,
    string? After,
    string? Detail);

/// <summary>
/// Filters, all optional: exact <see cref="User"/>; <see cref="Action"/> and <see cref="Target"/> match a prefix
/// (<c>pipeline.</c>, <c>execution:01J</c>); a time window; <see cref="BeforeId"/> pages on from the last id of a previous page.
/// </summary>
public sealed record AuditQuery
{
    public const int MaxLimit = 1000;

    public string? User { get; init; }

    public string? Action { get; init; }

    public string? Target { get; init; }

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    public string? BeforeId { get; init; }

    public int Limit { get; init; } = 100;
}
