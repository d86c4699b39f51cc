using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Stages;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Clouds;
using Mizzen.Providers.Kubernetes.Stages.DeleteManifest;
using Mizzen.Providers.Kubernetes.Stages.DeployManifest;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Kubernetes provider: <see cref="KubernetesAccounts"/>, the cloud seam (<see cref="ICloudProvider"/> <c>kubernetes</c>) and the manifest stages.</summary>
public static class KubernetesProviderServiceCollectionExtensions
{
    /// <summary>Binds <c>Mizzen:Kubernetes</c> (accounts under <c>Mizzen:Kubernetes:Accounts:{name}</c>).</summary>
    public static IServiceCollection AddKubernetesProvider(this IServiceCollection services, IConfiguration configuration) =>
        services.AddKubernetesProvider(options => configuration.GetSection(KubernetesProviderOptions.SectionName).Bind(options));

    public static IServiceCollection AddKubernetesProvider(this IServiceCollection services, Action<KubernetesProviderOptions> configure)
    {
        services.AddOptions<KubernetesProviderOptions>().Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KubernetesAccounts>();
        services.TryAddSingleton<KubernetesServerGroupOperations>();
        services.TryAddSingleton<KubernetesLoadBalancerOperations>();
        services.TryAddSingleton<KubernetesJobRunner>();
        services.TryAddSingleton<KubernetesClusterReads>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICloudProvider, KubernetesCloud>());
        services.TryAddSingleton<CloudProviderRegistry>();
        services.TryAddSingleton<ITrafficGuard, Mizzen.Orchestration.Clouds.Guards.ClusterTrafficGuard>();
        AddStages(services);
        return services;
    }

    /// <summary>The manifest stages (definitions as <see cref="IStageDefinition"/>, tasks as themselves). Needs IExpressionEvaluator (AddMizzenExpressions).</summary>
    private static void AddStages(IServiceCollection services)
    {
        services.AddMizzenArtifacts();
        services.TryAddSingleton<ManifestSource>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStageDefinition, DeployManifestStage>());
        services.TryAddSingleton<DeployManifestTask>();
        services.TryAddSingleton<WaitForManifestStableTask>();
        services.TryAddSingleton<TrafficStrategyTask>();
        services.TryAddSingleton<CleanupArtifactsTask>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStageDefinition, DeleteManifestStage>());
        services.TryAddSingleton<DeleteManifestTask>();
        services.AddKubernetesOperationStages();
    }
}
