using System.Collections.Concurrent;
using Mizzen.Core.Errors;
using Mizzen.Orchestration.Clouds;

namespace Mizzen.Server.Tests.Clusters;

/// <summary>
/// A second cloud provider, <c>fixed</c>, registered by the test beside <c>local</c>: it stands for "any other provider" (Kubernetes
/// later). Its read side answers fixed data — application <c>mixed</c>, account <c>east</c>, region <c>east-1</c>: cluster
/// <c>mixed-web</c> with <c>mixed-web-v001</c> (enabled, one instance Up) and <c>mixed-web-v000</c> (disabled, none), and load balancer
/// <c>mixed-front</c> routing everything to v001. Of the operations it records disables (which the traffic guard should prevent) and
/// answers reads; the rest are not part of what the tests ask of it.
/// </summary>
public sealed class FixedCloudProvider : ICloudProvider, IClusterReads, IServerGroupOperations
{
    public const string ProviderName = "fixed";
    public const string Account = "east";
    public const string Region = "east-1";
    public const string Application = "mixed";
    public const string Current = "mixed-web-v001";
    public const string InstanceId = "mixed-web-v001-7c9f2";

    private static readonly DateTimeOffset Created = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The server groups a disable reached the provider for.</summary>
    public ConcurrentQueue<string> Disabled { get; } = new();

    public string Name => ProviderName;

    public IServerGroupOperations ServerGroups => this;

    public ILoadBalancerOperations LoadBalancers => throw new NotSupportedException("the fixed test provider has no load balancer operations");

    public IJobRunner Jobs => throw new NotSupportedException("the fixed test provider runs no jobs");

    public IClusterReads Reads => this;

    public IReadOnlyList<string> Accounts => [Account];

    public Task<IReadOnlyList<string>> ListApplicationsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([Application]);

    Task<IReadOnlyList<ServerGroupDetails>> IClusterReads.ListServerGroupsAsync(string application, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ServerGroupDetails>>(application == Application ? [Group(1, enabled: true), Group(0, enabled: false)] : []);

    Task<ServerGroupDetails?> IClusterReads.GetServerGroupAsync(string account, string serverGroup, CancellationToken cancellationToken) =>
        Task.FromResult(account == Account ? new[] { Group(1, enabled: true), Group(0, enabled: false) }.FirstOrDefault(g => g.Summary.Name == serverGroup) : null);

    public Task<IReadOnlyList<LoadBalancerDetails>> ListLoadBalancersAsync(string application, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LoadBalancerDetails>>(application == Application
            ?
            [
                new LoadBalancerDetails("mixed-front", Account, Region, "service", ProviderName, 80, null,
                    [new LoadBalancerTargetDetails(Current, 100, 100, 100, 1, "routed")],
                    [new LoadBalancerServerGroupDetails(Current, false, 1, 1), new LoadBalancerServerGroupDetails("mixed-web-v000", true, 0, 0)]),
            ]
            : []);

    public Task<InstanceDetails?> GetInstanceAsync(string account, string instanceId, CancellationToken cancellationToken) =>
        Task.FromResult(account == Account && instanceId == InstanceId ? Instance() : null);

    public Task<InstanceLogChunk> ReadLogAsync(string account, string instanceId, LogRequest request, CancellationToken cancellationToken) =>
        request.Offset is not null
            ? throw new ValidationException("offset", "the fixed provider answers tails only")
            : Task.FromResult(new InstanceLogChunk("listening on :8080\n", 0, 19, false));

    public Task<string> DeployAsync(ServerGroupSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException("the fixed test provider deploys nothing");

    public async Task<ServerGroupSummary?> GetAsync(string account, string serverGroup, CancellationToken cancellationToken) =>
        (await ((IClusterReads)this).GetServerGroupAsync(account, serverGroup, cancellationToken))?.Summary;

    public async Task<IReadOnlyList<ServerGroupSummary>> ListClusterAsync(string application, string account, string cluster, CancellationToken cancellationToken) =>
        [.. (await ((IClusterReads)this).ListServerGroupsAsync(application, cancellationToken)).Select(g => g.Summary).Where(g => g.Account == account && g.Cluster == cluster)];

    public async Task<IReadOnlyList<ServerGroupSummary>> ListAsync(string application, CancellationToken cancellationToken) =>
        [.. (await ((IClusterReads)this).ListServerGroupsAsync(application, cancellationToken)).Select(g => g.Summary)];

    public Task ResizeAsync(string account, string serverGroup, Capacity capacity, CancellationToken cancellationToken) => throw new NotSupportedException("the fixed test provider does not resize");

    public Task EnableAsync(string account, string serverGroup, CancellationToken cancellationToken) => throw new NotSupportedException("the fixed test provider does not enable");

    public Task DisableAsync(string account, string serverGroup, CancellationToken cancellationToken)
    {
        Disabled.Enqueue(serverGroup);
        return Task.CompletedTask;
    }

    public Task DestroyAsync(string account, string serverGroup, CancellationToken cancellationToken) => throw new NotSupportedException("the fixed test provider does not destroy");

    private static ServerGroupDetails Group(int sequence, bool enabled)
    {
        var up = enabled ? 1 : 0;
        return new ServerGroupDetails
        {
            Summary = new ServerGroupSummary
            {
                Name = $"mixed-web-v{sequence:000}",
                Account = Account,
                Application = Application,
                Cluster = "mixed-web",
                Stack = "web",
                Sequence = sequence,
                CreatedTime = Created.AddHours(sequence),
                Capacity = Capacity.Exactly(up),
                Enabled = enabled,
                Artifact = new CloudArtifact("docker/image", "mixed", $"1.{sequence}", $"registry.example/mixed:1.{sequence}"),
                LoadBalancers = ["mixed-front"],
                Instances = new InstanceCounts(up, up, 0, 0, 0, 0),
            },
            CloudProvider = ProviderName,
            Region = Region,
            Kind = "replicaSet",
            Instances = enabled ? [Instance()] : [],
            Details = new Dictionary<string, string> { ["revision"] = (sequence + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
    }

    private static InstanceDetails Instance() =>
        new(InstanceId, Account, Region, Current, "mixed-web", InstanceHealth.Up, "Running", Created.AddHours(1), ProviderName)
        {
            Details = new Dictionary<string, string> { ["node"] = "node-1", ["podIp"] = "10.0.0.5" },
        };
}
