using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Providers.Local.Metrics;
using Mizzen.Providers.Local.ServerGroups;
using Mizzen.Providers.Local.State;

namespace Mizzen.Providers.Local.LoadBalancing;

/// <summary>Creates, updates, restores and removes the load balancers of every local account; each change is stored first.</summary>
internal sealed class LoadBalancerService(
    LocalAccountRegistry accounts,
    ILocalStateStore store,
    ServerGroupDirectory directory,
    TrafficRegistry traffic,
    IRequestForwarder forwarder,
    IOptions<LocalProviderOptions> options,
    TimeProvider time,
    ILogger<LoadBalancerService> logger) : ILocalLoadBalancers, IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string, string), (LoadBalancerRecord Record, LoadBalancerHost Host)> balancers = new();
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<LoadBalancerView> UpsertLoadBalancerAsync(LoadBalancerSpec spec, CancellationToken cancellationToken)
    {
        ValidateName(spec.Name);
        ValidateTargets(spec.Targets);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var account = accounts.Get(spec.Account);
            if (balancers.TryGetValue((spec.Account, spec.Name), out var existing))
            {
                if (spec.Port != 0 && spec.Port != existing.Record.Port)
                {
                    throw new ConflictException($"Load balancer '{spec.Name}' listens on port {existing.Record.Port}; delete it to move it to port {spec.Port}");
                }

                await ApplyTargetsAsync(existing.Record, existing.Host, spec.Targets, cancellationToken);
                return View(existing.Record, existing.Host);
            }

            var port = spec.Port == 0 ? account.PortAllocator.Allocate() : spec.Port;
            if (spec.Port != 0 && !PortAllocator.IsFree(port))
            {
                throw new ConflictException($"Port {port} is already in use on this host; choose another or pass 0 to pick one from {account.Ports}");
            }

            account.PortAllocator.Reserve(port);
            var record = new LoadBalancerRecord { Name = spec.Name, Account = spec.Account, Port = port, Targets = [.. spec.Targets] };
            await store.SaveAsync(LocalRecordKind.LoadBalancer, record.Account, record.Name, StateJson.Serialize(record), cancellationToken);
            var host = await StartHostAsync(record, cancellationToken);
            return View(record, host);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task DeleteLoadBalancerAsync(string account, string name, CancellationToken cancellationToken)
    {
        accounts.ThrowIfRemote(account);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!balancers.TryRemove((account, name), out var entry))
            {
                throw new NotFoundException($"Load balancer '{name}' does not exist in account '{account}'");
            }

            await store.DeleteAsync(LocalRecordKind.LoadBalancer, account, name, cancellationToken);
            await entry.Host.DisposeAsync();
            accounts.Get(account).PortAllocator.Release(entry.Record.Port);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task SetWeightsAsync(string account, string name, IReadOnlyList<LoadBalancerTarget> targets, CancellationToken cancellationToken)
    {
        ValidateTargets(targets);
        accounts.ThrowIfRemote(account);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var entry = Get(account, name);
            await ApplyTargetsAsync(entry.Record, entry.Host, targets, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public Task<LoadBalancerView?> GetLoadBalancerAsync(string account, string name, CancellationToken cancellationToken)
    {
        accounts.ThrowIfRemote(account);
        return Task.FromResult(balancers.TryGetValue((account, name), out var entry) ? View(entry.Record, entry.Host) : null);
    }

    public Task<IReadOnlyList<LoadBalancerView>> ListLoadBalancersAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LoadBalancerView>>([.. balancers.Values.Select(e => View(e.Record, e.Host)).OrderBy(v => v.Account).ThenBy(v => v.Name)]);

    /// <summary>Puts a new server group behind the named load balancers (creating missing ones on a free port).</summary>
    internal async Task AttachAsync(string account, string serverGroup, IReadOnlyList<string> names, int weight, CancellationToken cancellationToken)
    {
        foreach (var name in names)
        {
            var existing = balancers.TryGetValue((account, name), out var entry) ? entry.Record.Targets : [];
            var targets = existing.Where(t => t.ServerGroup != serverGroup).Append(new LoadBalancerTarget(serverGroup, weight)).ToList();
            await UpsertLoadBalancerAsync(new LoadBalancerSpec { Name = name, Account = account, Targets = targets }, cancellationToken);
        }
    }

    /// <summary>Takes a destroyed server group out of every load balancer of its account.</summary>
    internal async Task DetachAsync(string account, string serverGroup, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var (record, host) in balancers.Values.Where(e => e.Record.Account == account && e.Record.Targets.Any(t => t.ServerGroup == serverGroup)).ToList())
            {
                await ApplyTargetsAsync(record, host, [.. record.Targets.Where(t => t.ServerGroup != serverGroup)], cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    internal async Task<int> RestoreAsync(LocalAccount account, CancellationToken cancellationToken)
    {
        var records = await store.LoadAllAsync(LocalRecordKind.LoadBalancer, account.Name, cancellationToken);
        foreach (var json in records)
        {
            var record = StateJson.Deserialize<LoadBalancerRecord>(json);
            account.PortAllocator.Reserve(record.Port);
            await StartHostAsync(record, cancellationToken);
        }

        return records.Count;
    }

    private async Task<LoadBalancerHost> StartHostAsync(LoadBalancerRecord record, CancellationToken cancellationToken)
    {
        var host = new LoadBalancerHost(record.Account, record.Name, record.Port, IPAddress.Parse(options.Value.LoadBalancerListenAddress), directory, traffic, forwarder, time, logger);
        RegisterTraffic(record.Account, record.Targets);
        host.Router.SetTargets(record.Targets);
        await host.StartAsync(cancellationToken);
        balancers[(record.Account, record.Name)] = (record, host);
        return host;
    }

    private async Task ApplyTargetsAsync(LoadBalancerRecord record, LoadBalancerHost host, IReadOnlyList<LoadBalancerTarget> targets, CancellationToken cancellationToken)
    {
        record.Targets = [.. targets];
        RegisterTraffic(record.Account, targets);
        await store.SaveAsync(LocalRecordKind.LoadBalancer, record.Account, record.Name, StateJson.Serialize(record), cancellationToken);
        host.Router.SetTargets(targets);
    }

    private void RegisterTraffic(string account, IEnumerable<LoadBalancerTarget> targets)
    {
        foreach (var target in targets)
        {
            traffic.For(account, target.ServerGroup);
        }
    }

    private (LoadBalancerRecord Record, LoadBalancerHost Host) Get(string account, string name) =>
        balancers.TryGetValue((account, name), out var entry)
            ? entry
            : throw new NotFoundException($"Load balancer '{name}' does not exist in account '{account}'");

    private static LoadBalancerView View(LoadBalancerRecord record, LoadBalancerHost host) =>
        new(record.Name, record.Account, record.Port, host.Url, [.. record.Targets]) { Routing = host.Router.EffectiveRouting() };

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ValidationException("name", $"'{name}' is not a valid load balancer name: use letters, digits, '-' and '_'");
        }
    }

    private static void ValidateTargets(IReadOnlyList<LoadBalancerTarget> targets)
    {
        if (targets.FirstOrDefault(t => t.Weight < 0) is { } negative)
        {
            throw new ValidationException("targets", $"weight of '{negative.ServerGroup}' is {negative.Weight}; weights are 0 or more");
        }

        if (targets.GroupBy(t => t.ServerGroup).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ValidationException("targets", $"server group '{twice.Key}' is listed twice");
        }
    }

    /// <summary>Stops listening (Mizzen shutting down); records stay, so the next start listens again.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var (_, host) in balancers.Values)
        {
            await host.DisposeAsync();
        }

        balancers.Clear();
    }
}
