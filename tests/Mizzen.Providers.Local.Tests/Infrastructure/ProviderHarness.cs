using Microsoft.Extensions.DependencyInjection;
using Mizzen.Persistence.Coordination;
using Mizzen.Providers.Local.Api;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Clouds.Guards;
using Mizzen.Providers.Local.Metrics;
using Mizzen.Providers.Local.ServerGroups;

namespace Mizzen.Providers.Local.Tests.Infrastructure;

/// <summary>
/// A local provider on a temp working folder with two accounts (staging, prod) on a port range of its own. Dispose destroys every
/// server group it knows (so no child process outlives the test) and removes the folder.
/// </summary>
public sealed class ProviderHarness : IAsyncDisposable
{
    private static int nextRange = Random.Shared.Next(0, 60);
    private readonly ServiceProvider services;
    private readonly bool ownsFolder;

    private ProviderHarness(string folder, int portBase, bool ownsFolder, Action<Accounts.LocalProviderOptions>? configure, string? node = null)
    {
        Folder = folder;
        PortBase = portBase;
        this.ownsFolder = ownsFolder;
        var collection = new ServiceCollection();
        collection.AddLogging();
        if (node is not null)
        {
            collection.Configure<NodeOptions>(o => o.Id = node);
        }

        collection.AddLocalProvider(options =>
        {
            options.Accounts.Add(new Accounts.LocalAccountOptions { Name = "staging", WorkingFolder = Path.Combine(folder, "staging"), PortRange = $"{portBase}-{portBase + 99}" });
            options.Accounts.Add(new Accounts.LocalAccountOptions { Name = "prod", WorkingFolder = Path.Combine(folder, "prod"), PortRange = $"{portBase + 100}-{portBase + 199}" });
            options.StopGracePeriod = TimeSpan.FromSeconds(3);
            options.RestartBackoffInitial = TimeSpan.FromMilliseconds(200);
            options.RestartBackoffMax = TimeSpan.FromSeconds(2);
            options.MetricsResolution = TimeSpan.FromSeconds(1);
            configure?.Invoke(options);
        });
        services = collection.BuildServiceProvider();
    }

    public string Folder { get; }

    public int PortBase { get; }

    public ILocalCloudProvider Provider => services.GetRequiredService<ILocalCloudProvider>();

    public ILocalLoadBalancers LoadBalancers => services.GetRequiredService<ILocalLoadBalancers>();

    public ILocalJobRunner Jobs => services.GetRequiredService<ILocalJobRunner>();

    public ILocalMetrics Metrics => services.GetRequiredService<ILocalMetrics>();

    /// <summary>The local provider as stages and the API see it (the cloud seam).</summary>
    public ICloudProvider Cloud => services.GetRequiredService<CloudProviderRegistry>().Get("local");

    /// <summary>The provider-neutral traffic guard over this provider (rules are passed in: the harness has no application store).</summary>
    public ClusterTrafficGuard Guard => new(services.GetRequiredService<CloudProviderRegistry>());

    internal MetricsCollector Collector => services.GetRequiredService<MetricsCollector>();

    public ILocalAccountPlacement Placement => services.GetRequiredService<ILocalAccountPlacement>();

    /// <summary>A provider on a fresh folder; <paramref name="node"/> is this node's id (<c>Mizzen:Node:Id</c>), the machine name when null.</summary>
    public static async Task<ProviderHarness> StartAsync(Action<Accounts.LocalProviderOptions>? configure = null, string? node = null)
    {
        var folder = Directory.CreateTempSubdirectory("mizzen-local-").FullName;
        var portBase = 30000 + (Interlocked.Increment(ref nextRange) % 150 * 200);
        var harness = new ProviderHarness(folder, portBase, ownsFolder: true, configure, node);
        await harness.RestoreAsync();
        return harness;
    }

    /// <summary>A second provider on the same state folder, as Mizzen after a restart.</summary>
    public async Task<ProviderHarness> RestartOnSameStateAsync()
    {
        var next = new ProviderHarness(Folder, PortBase, ownsFolder: true, null);
        await next.RestoreAsync();
        return next;
    }

    /// <summary>
    /// A second node with the same account configuration on the same folders (as nodes sharing one store and one config file),
    /// started as Mizzen starts the provider. It leaves the folder to this harness.
    /// </summary>
    public async Task<ProviderHarness> OtherNodeAsync(string node, Action<Accounts.LocalProviderOptions>? configure = null)
    {
        var other = new ProviderHarness(Folder, PortBase, ownsFolder: false, configure, node);
        await other.RestoreAsync();
        return other;
    }

    /// <summary>Disposes the provider without stopping any instance (as if Mizzen died), keeping the folder for a successor.</summary>
    public async Task DetachAsync()
    {
        await services.DisposeAsync();
    }

    private Task RestoreAsync() => services.GetRequiredService<LocalCloudProvider>().RestoreAsync(CancellationToken.None);

    public DeployServerGroupRequest Demo(DemoServiceFixture demo, string account = "staging", string? stack = "web", int instances = 1, string version = "v1") => new()
    {
        Application = "demo",
        Account = account,
        Stack = stack,
        Artifact = new LocalArtifact { Reference = demo.BundleFolder, Version = version },
        Env = new Dictionary<string, string> { ["VERSION"] = version, ["API_TOKEN"] = "s3cr3t" },
        Capacity = ServerGroupCapacity.Exactly(instances),
        HealthCheck = new HealthCheckSpec { Path = "/health", IntervalSeconds = 0.2, TimeoutSeconds = 1 },
    };

    public async Task<ServerGroupView> WaitUpAsync(string account, string serverGroup, int up, TimeSpan? timeout = null)
    {
        var view = await Eventually.Until(
            () => Provider.GetServerGroupAsync(account, serverGroup, CancellationToken.None),
            v => v is not null && v.InstanceCounts.Up + v.InstanceCounts.OutOfService == up && v.Instances.Count == up,
            timeout ?? TimeSpan.FromSeconds(30),
            $"{serverGroup} having {up} instances up");
        return view!;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            var provider = Provider;
            foreach (var app in await provider.ListApplicationsAsync(CancellationToken.None))
            {
                foreach (var group in await provider.ListServerGroupsAsync(app, CancellationToken.None))
                {
                    await provider.DestroyServerGroupAsync(group.Account, group.Name, CancellationToken.None);
                }
            }

            await services.DisposeAsync();
        }
        finally
        {
            if (ownsFolder && Directory.Exists(Folder))
            {
                Directory.Delete(Folder, recursive: true);
            }
        }
    }
}
