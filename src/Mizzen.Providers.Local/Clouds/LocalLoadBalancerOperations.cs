using Mizzen.Orchestration.Clouds;

namespace Mizzen.Providers.Local.Clouds;

/// <summary><see cref="ILoadBalancerOperations"/> over the built-in weighted load balancers.</summary>
internal sealed class LocalLoadBalancerOperations(ILocalLoadBalancers loadBalancers) : ILoadBalancerOperations
{
    public async Task<LoadBalancerSummary> UpsertAsync(LoadBalancerDefinition definition, CancellationToken cancellationToken) =>
        ToSummary(await loadBalancers.UpsertLoadBalancerAsync(
            new LoadBalancerSpec { Name = definition.Name, Account = definition.Account, Port = definition.Port, Targets = ToLocal(definition.Targets) },
            cancellationToken));

    public async Task DeleteAsync(string account, string name, CancellationToken cancellationToken)
    {
        if (await loadBalancers.GetLoadBalancerAsync(account, name, cancellationToken) is not null)
        {
            await loadBalancers.DeleteLoadBalancerAsync(account, name, cancellationToken);
        }
    }

    public Task SetWeightsAsync(string account, string name, IReadOnlyList<WeightedTarget> targets, CancellationToken cancellationToken) =>
        loadBalancers.SetWeightsAsync(account, name, ToLocal(targets), cancellationToken);

    public async Task<LoadBalancerSummary?> GetAsync(string account, string name, CancellationToken cancellationToken) =>
        await loadBalancers.GetLoadBalancerAsync(account, name, cancellationToken) is { } view ? ToSummary(view) : null;

    private static List<LoadBalancerTarget> ToLocal(IEnumerable<WeightedTarget> targets) =>
        targets.Select(t => new LoadBalancerTarget(t.ServerGroup, t.Weight)).ToList();

    private static LoadBalancerSummary ToSummary(LoadBalancerView view) =>
        new(view.Name, view.Account, view.Port, view.Url, view.Targets.Select(t => new WeightedTarget(t.ServerGroup, t.Weight)).ToList());
}
