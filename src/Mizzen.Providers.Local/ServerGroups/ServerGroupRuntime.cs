using Microsoft.Extensions.Logging;
using Mizzen.Providers.Local.Health;
using Mizzen.Providers.Local.Instances;
using Mizzen.Providers.Local.LoadBalancing;
using Mizzen.Providers.Local.State;

namespace Mizzen.Providers.Local.ServerGroups;

/// <summary>
/// A live server group: its stored record, one supervisor per instance, and the endpoints of its Up instances that load balancers
/// route to while it is enabled. Reconciles the instance count with the desired capacity.
/// </summary>
internal sealed class ServerGroupRuntime
{
    private readonly Lock gate = new();
    private readonly SemaphoreSlim persistGate = new(1, 1);
    private readonly List<InstanceRuntime> instances = [];
    private readonly LocalAccount account;
    private readonly ServerGroupServices services;
    private volatile InstanceEndpoint[] upEndpoints = [];

    public ServerGroupRuntime(ServerGroupRecord record, LocalAccount account, ServerGroupServices services)
    {
        Record = record;
        this.account = account;
        this.services = services;
    }

    public ServerGroupRecord Record { get; }

    public string Account => Record.Account;

    public string Name => Record.Name;

    public bool Enabled => Record.Enabled;

    /// <summary>Up instances of an enabled server group: what load balancers may route to now.</summary>
    public InstanceEndpoint[] RoutableEndpoints => Record.Enabled ? upEndpoints : [];

    public IReadOnlyList<InstanceRuntime> Instances
    {
        get
        {
            lock (gate)
            {
                return [.. instances];
            }
        }
    }

    /// <summary>Starts supervising every recorded instance (re-adopting live processes) and adds or removes instances to match the desired count.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var record in Record.Instances)
        {
            account.PortAllocator.Reserve(record.Port);
            StartSupervising(record);
        }

        await ReconcileAsync(cancellationToken);
    }

    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var toStop = new List<InstanceRuntime>();
        lock (gate)
        {
            while (instances.Count < Record.Capacity.Desired)
            {
                var record = new InstanceRecord { Id = $"{Record.Name}-{Guid.NewGuid().ToString("N")[..8]}", Port = account.PortAllocator.Allocate() };
                Record.Instances.Add(record);
                StartSupervising(record);
            }

            while (instances.Count > Record.Capacity.Desired)
            {
                var last = instances[^1];
                instances.RemoveAt(instances.Count - 1);
                Record.Instances.Remove(last.Record);
                toStop.Add(last);
            }
        }

        RefreshEndpoints();
        await PersistAsync(cancellationToken);
        await Task.WhenAll(toStop.Select(i => StopInstanceAsync(i, cancellationToken)));
    }

    public async Task StopAllAsync(CancellationToken cancellationToken)
    {
        List<InstanceRuntime> all;
        lock (gate)
        {
            all = [.. instances];
            instances.Clear();
        }

        RefreshEndpoints();
        await Task.WhenAll(all.Select(i => StopInstanceAsync(i, cancellationToken)));
    }

    public async Task DetachAllAsync()
    {
        await Task.WhenAll(Instances.Select(i => i.DetachAsync()));
    }

    public async Task PersistAsync(CancellationToken cancellationToken)
    {
        await persistGate.WaitAsync(cancellationToken);
        try
        {
            string json;
            lock (gate)
            {
                json = StateJson.Serialize(Record);
            }

            await services.Store.SaveAsync(LocalRecordKind.ServerGroup, Record.Account, Record.Name, json, cancellationToken);
        }
        finally
        {
            persistGate.Release();
        }
    }

    public InstanceState ViewState(InstanceRuntime instance) =>
        instance.State == InstanceState.Up && !Record.Enabled ? InstanceState.OutOfService : instance.State;

    private void StartSupervising(InstanceRecord record)
    {
        var instance = new InstanceRuntime(record, new InstanceSupervisionContext
        {
            ServerGroup = Record,
            Folder = account.InstanceFolder(Record.Name, record.Id),
            Options = services.Options,
            Time = services.Time,
            Probe = services.Probe,
            Logger = services.Logger,
            Persist = PersistAsync,
            StateChanged = RefreshEndpoints,
        });
        instances.Add(instance);
        instance.Start();
    }

    private async Task StopInstanceAsync(InstanceRuntime instance, CancellationToken cancellationToken)
    {
        await instance.StopAsync(cancellationToken);
        account.PortAllocator.Release(instance.Record.Port);
    }

    private void RefreshEndpoints()
    {
        lock (gate)
        {
            upEndpoints = [.. instances.Where(i => i.State == InstanceState.Up).Select(i => i.Endpoint)];
        }
    }
}

/// <summary>Shared services every server group runtime uses.</summary>
internal sealed record ServerGroupServices(ILocalStateStore Store, LocalProviderOptions Options, TimeProvider Time, HealthProbe Probe, ILogger Logger);
