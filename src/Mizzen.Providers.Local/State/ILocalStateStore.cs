namespace Mizzen.Providers.Local.State;

/// <summary>
/// Where the provider keeps its desired state: JSON records by kind, account and name. The default keeps one file per record under
/// the account's working folder; a database-backed store can replace it (register it before <c>AddLocalProvider</c>).
/// </summary>
public interface ILocalStateStore
{
    Task SaveAsync(LocalRecordKind kind, string account, string name, string json, CancellationToken cancellationToken);

    /// <summary>The record's JSON, or null when there is none.</summary>
    Task<string?> LoadAsync(LocalRecordKind kind, string account, string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> LoadAllAsync(LocalRecordKind kind, string account, CancellationToken cancellationToken);

    Task DeleteAsync(LocalRecordKind kind, string account, string name, CancellationToken cancellationToken);
}

/// <summary>Kinds of stored records: server groups, load balancers, and clusters (which remember the last version used).</summary>
public enum LocalRecordKind
{
    ServerGroup,
    LoadBalancer,
    Cluster,
}
