using Microsoft.Extensions.Options;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Clouds.Guards;

namespace Mizzen.Orchestration.Tests.Clouds;

/// <summary>
/// The shared traffic guard's arithmetic and matching against a provider whose read side holds a cluster in two regions of one account
/// (as one Kubernetes account with two namespaces): only the target's region counts, the location rule matches the region, and the
/// min capacity ratio refuses a partial scale-down.
/// </summary>
public sealed class ClusterTrafficGuardTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TwoRegionReads reads = new();

    [Fact]
    public async Task Only_up_instances_of_the_targets_own_region_count_so_disabling_its_last_group_there_is_refused()
    {
        var guard = Guard(0);

        var decision = await guard.CheckAsync(reads.Provider, [new("prod")], new GuardedChange(GuardedChangeKind.Disable, "prod", "api-web-v002") { CloudProvider = "two" }, None);

        decision.Allowed.ShouldBeFalse();
        decision.Reason.ShouldBe("This cluster ('api-web' in prod, blue) has traffic guards enabled. Disabling api-web-v002 would leave the cluster with no instances up.");
    }

    [Fact]
    public async Task A_rule_for_another_location_or_stack_does_not_guard_the_cluster()
    {
        var guard = Guard(0);
        var change = new GuardedChange(GuardedChangeKind.Destroy, "prod", "api-web-v002");

        (await guard.CheckAsync(reads.Provider, [new("prod", Location: "green")], change, None)).Allowed.ShouldBeTrue();
        (await guard.CheckAsync(reads.Provider, [new("prod", Stack: "worker")], change, None)).Allowed.ShouldBeTrue();
        (await guard.CheckAsync(reads.Provider, [new("prod", Location: "blue", Enabled: false)], change, None)).Allowed.ShouldBeTrue();
        (await guard.CheckAsync(reads.Provider, [new("prod", Location: "blue", Stack: "web", Detail: "")], change, None)).Allowed.ShouldBeFalse();
    }

    [Fact]
    public async Task With_a_min_capacity_ratio_a_resize_that_keeps_too_few_up_is_refused_and_one_that_keeps_enough_is_allowed()
    {
        var guard = Guard(0.5);

        var toOne = await guard.CheckAsync(reads.Provider, [new("*")], new GuardedChange(GuardedChangeKind.Resize, "prod", "api-web-v002", 1), None);
        var toTwo = await guard.CheckAsync(reads.Provider, [new("*")], new GuardedChange(GuardedChangeKind.Resize, "prod", "api-web-v002", 3), None);

        toOne.Reason.ShouldBe("This cluster ('api-web' in prod, blue) has traffic guards enabled. Resizing to 1 api-web-v002 would leave the cluster with only 1 of its 4 instances up.");
        toTwo.Allowed.ShouldBeTrue();
    }

    [Fact]
    public async Task A_server_group_the_provider_does_not_have_is_not_guarded()
    {
        (await Guard(0).CheckAsync(reads.Provider, [new("*")], new GuardedChange(GuardedChangeKind.Disable, "prod", "api-web-v999"), None)).Allowed.ShouldBeTrue();
    }

    private ClusterTrafficGuard Guard(double ratio) =>
        new(new CloudProviderRegistry([reads.Provider]), options: Options.Create(new TrafficGuardOptions { MinCapacityRatio = ratio }));

    /// <summary>
    /// Cluster <c>api-web</c> of account <c>prod</c>: in region <c>blue</c> v002 (enabled, 4 Up) and v001 (disabled, 2 Up); in region
    /// <c>green</c> v003 (enabled, 5 Up), which must not count for blue.
    /// </summary>
    private sealed class TwoRegionReads : IClusterReads
    {
        private readonly ServerGroupDetails[] groups = [Group("blue", 2, true, 4), Group("blue", 1, false, 2), Group("green", 3, true, 5)];

        public TwoRegionProvider Provider => new(this);

        public Task<IReadOnlyList<string>> ListApplicationsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(["api"]);

        public Task<IReadOnlyList<ServerGroupDetails>> ListServerGroupsAsync(string application, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ServerGroupDetails>>(application == "api" ? groups : []);

        public Task<ServerGroupDetails?> GetServerGroupAsync(string account, string serverGroup, CancellationToken cancellationToken) =>
            Task.FromResult(groups.FirstOrDefault(g => g.Summary.Account == account && g.Summary.Name == serverGroup));

        public Task<IReadOnlyList<LoadBalancerDetails>> ListLoadBalancersAsync(string application, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<LoadBalancerDetails>>([]);

        public Task<InstanceDetails?> GetInstanceAsync(string account, string instanceId, CancellationToken cancellationToken) => Task.FromResult<InstanceDetails?>(null);

        public Task<InstanceLogChunk> ReadLogAsync(string account, string instanceId, LogRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException("the guard reads no logs");

        private static ServerGroupDetails Group(string region, int sequence, bool enabled, int up) => new()
        {
            Summary = new ServerGroupSummary
            {
                Name = $"api-web-v{sequence:000}",
                Account = "prod",
                Application = "api",
                Cluster = "api-web",
                Stack = "web",
                Sequence = sequence,
                Capacity = Capacity.Exactly(up),
                Enabled = enabled,
                Artifact = new CloudArtifact("docker/image", "api", "1", "registry.example/api:1"),
                Instances = new InstanceCounts(up, enabled ? up : 0, 0, 0, enabled ? 0 : up, 0),
            },
            CloudProvider = "two",
            Region = region,
            Instances = [],
        };
    }

    private sealed class TwoRegionProvider(IClusterReads reads) : ICloudProvider
    {
        public string Name => "two";

        public IServerGroupOperations ServerGroups => throw new NotSupportedException("the guard only reads");

        public ILoadBalancerOperations LoadBalancers => throw new NotSupportedException("the guard only reads");

        public IJobRunner Jobs => throw new NotSupportedException("the guard only reads");

        public IClusterReads Reads => reads;

        public IReadOnlyList<string> Accounts => ["prod"];
    }
}
