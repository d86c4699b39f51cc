namespace Mizzen.Orchestration.Clouds;

/// <summary>
/// The read side of one cloud provider: what the REST API, the CLI and the UI show of what is deployed (clouddriver's cluster,
/// server group, instance and load balancer views, and instance logs). Every provider answers the same shapes, so those callers
/// list every provider alike and never reach into one provider's own types. Reads should be answered from the provider's own
/// cache or state, never by a call to a remote API per request (clouddriver's caching agents are a known load on API servers).
/// </summary>
public interface IClusterReads
{
    /// <summary>Applications that have anything deployed through this provider (lower-case names).</summary>
    Task<IReadOnlyList<string>> ListApplicationsAsync(CancellationToken cancellationToken);

    /// <summary>Every server group of the application in every account, with instances; newest first within a cluster.</summary>
    Task<IReadOnlyList<ServerGroupDetails>> ListServerGroupsAsync(string application, CancellationToken cancellationToken);

    /// <summary>The server group with its instances, or null when the account has none by that name.</summary>
    Task<ServerGroupDetails?> GetServerGroupAsync(string account, string serverGroup, CancellationToken cancellationToken);

    /// <summary>The load balancers that belong to the application (by name, Frigga's rule, or because they route to its server groups).</summary>
    Task<IReadOnlyList<LoadBalancerDetails>> ListLoadBalancersAsync(string application, CancellationToken cancellationToken);

    /// <summary>The instance, or null when the account has none by that id.</summary>
    Task<InstanceDetails?> GetInstanceAsync(string account, string instanceId, CancellationToken cancellationToken);

    /// <summary>
    /// Log text of an instance: the last <see cref="LogRequest.Tail"/> lines, or (with <see cref="LogRequest.Offset"/>) what was written
    /// since that offset. A provider with no byte offsets (Kubernetes) answers tails only and says so with a validation error.
    /// </summary>
    Task<InstanceLogChunk> ReadLogAsync(string account, string instanceId, LogRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// A server group with its instances, as the read side shows it. <see cref="Region"/> is the provider's location (the account for
/// <c>local</c>, the namespace for Kubernetes); <see cref="Kind"/> what it is in the provider's words (<c>serverGroup</c>,
/// <c>replicaSet</c>, <c>statefulSet</c> ...). <see cref="Env"/> holds environment variables with secrets already redacted.
/// </summary>
public sealed record ServerGroupDetails
{
    public required ServerGroupSummary Summary { get; init; }

    public required string CloudProvider { get; init; }

    public required string Region { get; init; }

    public string Kind { get; init; } = "serverGroup";

    public required IReadOnlyList<InstanceDetails> Instances { get; init; }

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Provider facts worth showing (a Kubernetes manifest's kind, namespace, revision, images ...).</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}

/// <summary>clouddriver's health states, which Deck colours.</summary>
public enum InstanceHealth
{
    Up,
    Down,
    Starting,
    OutOfService,
    Unknown,
}

/// <summary>
/// One instance (a process, a pod). <see cref="State"/> is the provider's own word for it (<c>Crashed</c>, <c>Running</c>,
/// <c>CrashLoopBackOff</c> ...) and <see cref="Reason"/> why it is not up, when known (an image pull error, a failing probe).
/// <see cref="Details"/> holds provider facts: port, pid and restarts for <c>local</c>; node, pod IP and container states for Kubernetes.
/// </summary>
public sealed record InstanceDetails(
    string Id,
    string Account,
    string Region,
    string ServerGroup,
    string Cluster,
    InstanceHealth Health,
    string State,
    DateTimeOffset? LaunchTime,
    string CloudProvider)
{
    public string? Reason { get; init; }

    public int Restarts { get; init; }

    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A load balancer (a local weighted balancer, a Kubernetes Service or Ingress) with its targets. <see cref="Url"/> is where it
/// listens when the provider knows one.
/// </summary>
public sealed record LoadBalancerDetails(
    string Name,
    string Account,
    string Region,
    string Type,
    string CloudProvider,
    int Port,
    Uri? Url,
    IReadOnlyList<LoadBalancerTargetDetails> Targets,
    IReadOnlyList<LoadBalancerServerGroupDetails> ServerGroups);

/// <summary>
/// A target as configured and as routed: <see cref="Percent"/> is the share of new requests it gets now; <see cref="Routing"/> why:
/// <c>routed</c>, <c>disabled</c>, <c>noUpInstances</c>, <c>zeroWeight</c> or <c>serverGroupMissing</c>.
/// </summary>
public sealed record LoadBalancerTargetDetails(string ServerGroup, int Weight, double ConfiguredPercent, double Percent, int UpInstances, string Routing);

public sealed record LoadBalancerServerGroupDetails(string Name, bool IsDisabled, int UpInstances, int TotalInstances);

public enum LogStreamKind
{
    Stdout,
    Stderr,
}

/// <summary>Either a tail (<see cref="Tail"/> lines) or a follow from <see cref="Offset"/> of at most <see cref="MaxBytes"/>.</summary>
public sealed record LogRequest(LogStreamKind Stream, int Tail, long? Offset, int MaxBytes)
{
    /// <summary>A container of a pod with several (Kubernetes); null for the first.</summary>
    public string? Container { get; init; }
}

/// <summary>Log text from <see cref="Offset"/> to <see cref="NextOffset"/>; <see cref="Truncated"/> when older text was cut.</summary>
public sealed record InstanceLogChunk(string Text, long Offset, long NextOffset, bool Truncated);
