using Mizzen.Orchestration.Stages;
using Mizzen.Providers.Kubernetes.Stages.DeployManifest;

namespace Mizzen.Providers.Kubernetes.Stages.Operations;

/// <summary>The wait every manifest operation ends with, as orca's stages do: the deploy stage's own stability task.</summary>
internal static class ManifestStability
{
    public static void Add(TaskGraph tasks) => tasks.Add<WaitForManifestStableTask>("waitForManifestToStabilize");
}
