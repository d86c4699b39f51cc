using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Orchestration.Stages;
using Mizzen.Providers.Kubernetes.Bake;
using Mizzen.Providers.Kubernetes.Istio;
using Mizzen.Providers.Kubernetes.Stages.BakeManifest;
using Mizzen.Providers.Kubernetes.Stages.Operations;
using Mizzen.Providers.Kubernetes.Stages.RunJobManifest;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The manifest operation stages beside deployManifest: patch, scale, undo rollout, rolling restart, enable, disable,
/// findArtifactsFromResource, runJobManifest and bakeManifest, and the VirtualService weights behind setTrafficWeights.
/// Called by <c>AddKubernetesProvider</c>; TryAdd* throughout, so a host can replace any part first.
/// </summary>
public static class KubernetesOperationStagesRegistration
{
    public static IServiceCollection AddKubernetesOperationStages(this IServiceCollection services)
    {
        Stage<PatchManifestStage, PatchManifestTask>(services);
        Stage<ScaleManifestStage, ScaleManifestTask>(services);
        Stage<UndoRolloutManifestStage, UndoRolloutManifestTask>(services);
        Stage<RollingRestartManifestStage, RollingRestartManifestTask>(services);
        Stage<EnableManifestStage, EnableManifestTask>(services);
        Stage<DisableManifestStage, DisableManifestTask>(services);
        Stage<FindArtifactsFromResourceStage, FindArtifactsFromResourceTask>(services);
        Stage<RunJobManifestStage, RunJobManifestTask>(services);
        services.TryAddSingleton<WaitOnJobCompletionTask>();
        Stage<BakeManifestStage, BakeManifestTask>(services);
        services.TryAddSingleton<KustomizeRenderer>();
        services.TryAddSingleton<HelmRenderer>();
        services.AddOptions<KustomizeOptions>().Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(KustomizeOptions.SectionName).Bind(o));
        services.AddOptions<HelmOptions>().Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(HelmOptions.SectionName).Bind(o));
        services.TryAddSingleton<VirtualServiceTraffic>();
        return services;
    }

    private static void Stage<TDefinition, TTask>(IServiceCollection services)
        where TDefinition : class, IStageDefinition
        where TTask : class
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStageDefinition, TDefinition>());
        services.TryAddSingleton<TTask>();
    }
}
