using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Providers.Local.Bundles;
using Mizzen.Providers.Local.Health;
using Mizzen.Providers.Local.LoadBalancing;
using Mizzen.Providers.Local.State;

namespace Mizzen.Providers.Local.ServerGroups;

/// <summary>
/// The local provider's server groups: deploy, resize, enable/disable, destroy, listings and logs, and the restore of everything
/// stored when Mizzen starts. Each mutation is written to <see cref="ILocalStateStore"/> before it is applied.
/// </summary>
internal sealed partial class LocalCloudProvider : ILocalCloudProvider, IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly LocalAccountRegistry accounts;
    private readonly ILocalStateStore store;
    private readonly ServerGroupDirectory directory;
    private readonly LoadBalancerService loadBalancers;
    private readonly BundleFetcher fetcher;
    private readonly TimeProvider time;
    private readonly LocalProviderOptions options;
    private readonly ServerGroupServices services;
    private readonly ILogger logger;
    private bool restored;

    public LocalCloudProvider(
        LocalAccountRegistry accounts,
        ILocalStateStore store,
        ServerGroupDirectory directory,
        LoadBalancerService loadBalancers,
        BundleFetcher fetcher,
        HealthProbe probe,
        TimeProvider time,
        IOptions<LocalProviderOptions> options,
        ILogger<LocalCloudProvider> logger)
    {
        this.accounts = accounts;
        this.store = store;
        this.directory = directory;
        this.loadBalancers = loadBalancers;
        this.fetcher = fetcher;
        this.time = time;
        this.options = options.Value;
        this.logger = logger;
        services = new ServerGroupServices(store, this.options, time, probe, logger);
    }

    /// <summary>
    /// Brings every stored server group and load balancer of the accounts this node owns back: live processes are re-adopted, dead
    /// ones restarted. A remote account (another node's) is not read at all. Idempotent.
    /// </summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (restored)
            {
                return;
            }

            foreach (var account in accounts.Owned)
            {
                var records = await store.LoadAllAsync(LocalRecordKind.ServerGroup, account.Name, cancellationToken);
                foreach (var json in records)
                {
                    try
                    {
                        var runtime = new ServerGroupRuntime(StateJson.Deserialize<ServerGroupRecord>(json), account, services);
                        directory.Add(runtime);
                        await runtime.StartAsync(cancellationToken);
                    }
                    catch (Exception e) when (e is System.Text.Json.JsonException or MizzenException or IOException)
                    {
                        Log.RestoreFailed(logger, account.Name, e);
                    }
                }

                var balancerCount = await loadBalancers.RestoreAsync(account, cancellationToken);
                Log.Restored(logger, account.Name, records.Count, balancerCount);
            }

            restored = true;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<string> DeployServerGroupAsync(DeployServerGroupRequest request, CancellationToken cancellationToken)
    {
        var account = accounts.Get(request.Account);
        var cluster = Moniker.Cluster(request.Application, request.Stack, request.Detail);
        if (request.Capacity.Desired < 0)
        {
            throw new ValidationException("capacity.desired", "desired capacity cannot be negative");
        }

        ServerGroupRuntime runtime;
        await gate.WaitAsync(cancellationToken);
        try
        {
            var sequence = await NextSequenceAsync(account.Name, cluster, cancellationToken);
            var name = Moniker.ServerGroup(cluster, sequence);
            var appFolder = Path.Combine(account.ServerGroupFolder(name), "app");
            await UnpackAsync(account, request.Artifact, appFolder, cancellationToken);
            var record = new ServerGroupRecord
            {
                Name = name,
                Account = account.Name,
                Application = request.Application,
                Cluster = cluster,
                Stack = request.Stack,
                Detail = request.Detail,
                Sequence = sequence,
                CreatedTime = time.GetUtcNow(),
                Artifact = request.Artifact,
                AppFolder = appFolder,
                Argv = StartCommand.Resolve(appFolder, request.Command, request.Args),
                Env = new Dictionary<string, string>(request.Env, StringComparer.Ordinal),
                Capacity = request.Capacity,
                HealthCheck = request.HealthCheck,
                LoadBalancers = [.. request.LoadBalancers],
                Enabled = request.Enabled,
                ScrapeMetrics = request.ScrapeMetrics,
            };
            runtime = new ServerGroupRuntime(record, account, services);
            await runtime.PersistAsync(cancellationToken);
            directory.Add(runtime);
            await runtime.StartAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }

        await loadBalancers.AttachAsync(account.Name, runtime.Name, request.LoadBalancers, request.LoadBalancerWeight, cancellationToken);
        Log.ServerGroupDeployed(logger, account.Name, runtime.Name, request.Application, request.Capacity.Desired);
        return runtime.Name;
    }

    public Task<ServerGroupHealth> GetHealthAsync(string account, string serverGroup, CancellationToken cancellationToken)
    {
        accounts.ThrowIfRemote(account);
        var group = directory.Get(account, serverGroup);
        var instances = group.Instances;
        return Task.FromResult(new ServerGroupHealth(
            group.Name, group.Record.Capacity.Desired, instances.Count(i => i.State == InstanceState.Up), instances.Count, group.Enabled));
    }

    public async Task ResizeServerGroupAsync(string account, string serverGroup, int desired, CancellationToken cancellationToken)
    {
        if (desired < 0)
        {
            throw new ValidationException("capacity.desired", "desired capacity cannot be negative");
        }

        accounts.ThrowIfRemote(account);
        var group = directory.Get(account, serverGroup);
        group.Record.Capacity = new ServerGroupCapacity(Math.Min(group.Record.Capacity.Min, desired), Math.Max(group.Record.Capacity.Max, desired), desired);
        await group.ReconcileAsync(cancellationToken);
        Log.ServerGroupChanged(logger, account, serverGroup, $"resized to {desired}");
    }

    public Task EnableServerGroupAsync(string account, string serverGroup, CancellationToken cancellationToken) =>
        SetEnabledAsync(account, serverGroup, true, cancellationToken);

    public Task DisableServerGroupAsync(string account, string serverGroup, CancellationToken cancellationToken) =>
        SetEnabledAsync(account, serverGroup, false, cancellationToken);

    public async Task DestroyServerGroupAsync(string account, string serverGroup, CancellationToken cancellationToken)
    {
        accounts.ThrowIfRemote(account);
        var group = directory.Get(account, serverGroup);
        await SetEnabledAsync(account, serverGroup, false, cancellationToken);
        await group.StopAllAsync(cancellationToken); // each instance drains its in-flight requests before SIGTERM

        await loadBalancers.DetachAsync(account, serverGroup, cancellationToken);
        await store.DeleteAsync(LocalRecordKind.ServerGroup, account, serverGroup, cancellationToken);
        directory.Remove(group);
        TryDeleteFolder(accounts.Get(account).ServerGroupFolder(serverGroup));
        Log.ServerGroupChanged(logger, account, serverGroup, "destroyed");
    }

    /// <summary>Stops supervising without stopping any process (the next Mizzen re-adopts them); with <see cref="LocalProviderOptions.StopInstancesOnShutdown"/> stops them.</summary>
    public async ValueTask DisposeAsync()
    {
        var groups = directory.All.ToList();
        var left = groups.Where(g => !options.StopInstancesOnShutdown && g.Instances.Count > 0).ToList();
        if (left.Count > 0)
        {
            var perAccount = left.GroupBy(g => g.Account, StringComparer.Ordinal).OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => $"{a.Key}: {a.Sum(g => g.Instances.Count)}");
            Log.InstancesKeepRunning(logger, left.Sum(g => g.Instances.Count), left.Count, string.Join(", ", perAccount));
        }

        foreach (var group in groups)
        {
            if (options.StopInstancesOnShutdown)
            {
                await group.StopAllAsync(CancellationToken.None);
            }
            else
            {
                await group.DetachAllAsync();
            }
        }

        directory.Clear();
    }

    private async Task SetEnabledAsync(string account, string serverGroup, bool enabled, CancellationToken cancellationToken)
    {
        accounts.ThrowIfRemote(account);
        var group = directory.Get(account, serverGroup);
        group.Record.Enabled = enabled;
        await group.PersistAsync(cancellationToken);
        Log.ServerGroupChanged(logger, account, serverGroup, enabled ? "enabled" : "disabled");
    }

    private async Task<int> NextSequenceAsync(string account, string cluster, CancellationToken cancellationToken)
    {
        var json = await store.LoadAsync(LocalRecordKind.Cluster, account, cluster, cancellationToken);
        var record = json is null ? new ClusterRecord { Name = cluster, Account = account } : StateJson.Deserialize<ClusterRecord>(json);
        var highestLive = directory.All.Where(g => g.Account == account && g.Record.Cluster == cluster).Select(g => g.Record.Sequence).DefaultIfEmpty(-1).Max();
        record.LastSequence = Math.Max(json is null ? -1 : record.LastSequence, highestLive) + 1;
        await store.SaveAsync(LocalRecordKind.Cluster, account, cluster, StateJson.Serialize(record), cancellationToken);
        return record.LastSequence;
    }

    private async Task UnpackAsync(LocalAccount account, LocalArtifact artifact, string appFolder, CancellationToken cancellationToken)
    {
        var (path, downloaded) = await fetcher.FetchAsync(artifact, account.DownloadFolder, cancellationToken);
        try
        {
            TryDeleteFolder(appFolder);
            await BundleExtractor.ExtractAsync(path, appFolder, cancellationToken);
        }
        catch
        {
            TryDeleteFolder(Path.GetDirectoryName(appFolder)!);
            throw;
        }
        finally
        {
            if (downloaded)
            {
                File.Delete(path);
            }
        }
    }

    private static void TryDeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
