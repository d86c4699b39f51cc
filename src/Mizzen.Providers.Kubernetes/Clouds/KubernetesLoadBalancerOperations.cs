using Mizzen.Orchestration.Clouds;
using Mizzen.Providers.Kubernetes.Istio;

namespace Mizzen.Providers.Kubernetes.Clouds;

/// <summary>
/// Load balancers of the seam (upsertLoadBalancer, setTrafficWeights): on Kubernetes a Service or Ingress is a manifest, and weights
/// are an Istio VirtualService's (<see cref="VirtualServiceTraffic"/>); the other operations say so rather than doing something else.
/// Services and Ingresses are listed by the read side (<see cref="KubernetesClusterReads"/>, from the account's watch cache).
/// </summary>
public sealed class KubernetesLoadBalancerOperations(VirtualServiceTraffic virtualServices) : ILoadBalancerOperations
{
    public Task<LoadBalancerSummary> UpsertAsync(LoadBalancerDefinition definition, CancellationToken cancellationToken) =>
        throw KubernetesUnsupported.Operation("upsertLoadBalancer", "a deployManifest stage with a Service or Ingress");

    public Task DeleteAsync(string account, string name, CancellationToken cancellationToken) =>
        throw KubernetesUnsupported.Operation("deleteLoadBalancer", "a deleteManifest stage ('service <name>')");

    public Task SetWeightsAsync(string account, string name, IReadOnlyList<WeightedTarget> targets, CancellationToken cancellationToken) =>
        virtualServices.SetWeightsAsync(account, name, targets, cancellationToken);

    public Task<LoadBalancerSummary?> GetAsync(string account, string name, CancellationToken cancellationToken) =>
        virtualServices.GetAsync(account, name, cancellationToken);
}
