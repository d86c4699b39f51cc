using Mizzen.Providers.Local.Api;

namespace Mizzen.Server.Demo;

/// <summary>Creates <c>demo-staging-lb</c> and <c>demo-prod-lb</c> when they do not exist; an existing one is left as it is.</summary>
internal sealed class DemoLoadBalancers(ILocalLoadBalancers balancers)
{
    public async Task<(Uri Staging, Uri Prod)> EnsureAsync(CancellationToken cancellationToken)
    {
        var staging = await EnsureAsync(DemoEnvironment.Staging, DemoEnvironment.StagingLoadBalancer, cancellationToken);
        var prod = await EnsureAsync(DemoEnvironment.Prod, DemoEnvironment.ProdLoadBalancer, cancellationToken);
        return (staging, prod);
    }

    private async Task<Uri> EnsureAsync(string account, string name, CancellationToken cancellationToken)
    {
        var existing = await balancers.GetLoadBalancerAsync(account, name, cancellationToken);
        existing ??= await balancers.UpsertLoadBalancerAsync(new LoadBalancerSpec { Account = account, Name = name }, cancellationToken);
        return existing.Url;
    }
}
