using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Clouds.Guards;
using Mizzen.Orchestration.Stages.CreateServerGroup;
using Mizzen.Orchestration.Stages.DeleteLoadBalancer;
using Mizzen.Orchestration.Stages.Deploy;
using Mizzen.Orchestration.Stages.DestroyServerGroup;
using Mizzen.Orchestration.Stages.DisableCluster;
using Mizzen.Orchestration.Stages.DisableServerGroup;
using Mizzen.Orchestration.Stages.EnableServerGroup;
using Mizzen.Orchestration.Stages.FindImage;
using Mizzen.Orchestration.Stages.ResizeServerGroup;
using Mizzen.Orchestration.Stages.RollbackServerGroup;
using Mizzen.Orchestration.Stages.RunJob;
using Mizzen.Orchestration.Stages.ScaleDownCluster;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Stages.SetTrafficWeights;
using Mizzen.Orchestration.Stages.ShrinkCluster;
using Mizzen.Orchestration.Stages.UpsertLoadBalancer;

namespace Mizzen.Orchestration.Stages;

/// <summary>Registration of the stage types that act on a cloud provider through <see cref="ICloudProvider"/>.</summary>
public static class ServerGroupStages
{
    /// <summary>
    /// Registers deploy, createServerGroup, destroy/disable/enable/resizeServerGroup, rollbackServerGroup, findImage, shrinkCluster,
    /// scaleDownCluster, disableCluster, runJob, upsertLoadBalancer, deleteLoadBalancer and setTrafficWeights (definitions as
    /// <see cref="IStageDefinition"/>, tasks as themselves), the <see cref="CloudProviderRegistry"/> and the traffic guard (<see cref="ClusterTrafficGuard"/>), all with TryAdd*.
    /// Needs from elsewhere: at least one <see cref="ICloudProvider"/> (e.g. AddLocalProvider), AddCoreStages (wait, pipeline).
    /// </summary>
    public static IServiceCollection AddServerGroupStages(this IServiceCollection services)
    {
        services.TryAddSingleton<CloudProviderRegistry>();
        services.TryAddSingleton<ITrafficGuard, ClusterTrafficGuard>();
        services.AddMizzenArtifacts(); // a deploy fetches a bundle given as a file artifact
        Definition<DeployStage>(services);
        Definition<CreateServerGroupStage>(services);
        Definition<DestroyServerGroupStage>(services);
        Definition<DisableServerGroupStage>(services);
        Definition<EnableServerGroupStage>(services);
        Definition<ResizeServerGroupStage>(services);
        Definition<RollbackServerGroupStage>(services);
        Definition<FindImageStage>(services);
        Definition<ShrinkClusterStage>(services);
        Definition<ScaleDownClusterStage>(services);
        Definition<DisableClusterStage>(services);
        Definition<RunJobStage>(services);
        Definition<UpsertLoadBalancerStage>(services);
        Definition<DeleteLoadBalancerStage>(services);
        Definition<SetTrafficWeightsStage>(services);

        services.TryAddSingleton<CompleteParallelDeployTask>();
        services.TryAddSingleton<DetermineSourceServerGroupTask>();
        services.TryAddSingleton<CreateServerGroupTask>();
        services.TryAddSingleton<WaitForUpInstancesTask>();
        services.TryAddSingleton<DetermineTargetServerGroupTask>();
        services.TryAddSingleton<WaitForCapacityTask>();
        services.TryAddSingleton<DestroyServerGroupTask>();
        services.TryAddSingleton<DisableServerGroupTask>();
        services.TryAddSingleton<EnableServerGroupTask>();
        services.TryAddSingleton<ResizeServerGroupTask>();
        services.TryAddSingleton<DetermineRollbackCandidatesTask>();
        services.TryAddSingleton<FindImageFromClusterTask>();
        services.TryAddSingleton<ShrinkClusterTask>();
        services.TryAddSingleton<ScaleDownClusterTask>();
        services.TryAddSingleton<DisableClusterTask>();
        services.TryAddSingleton<RunJobTask>();
        services.TryAddSingleton<MonitorJobTask>();
        services.TryAddSingleton<UpsertLoadBalancerTask>();
        services.TryAddSingleton<DeleteLoadBalancerTask>();
        services.TryAddSingleton<SetTrafficWeightsTask>();
        return services;
    }

    private static void Definition<TDefinition>(IServiceCollection services) where TDefinition : class, IStageDefinition =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStageDefinition, TDefinition>());
}
