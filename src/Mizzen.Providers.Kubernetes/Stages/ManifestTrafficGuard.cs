using Microsoft.Extensions.Logging;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Clouds;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages;

/// <summary>
/// The shared traffic guard (<see cref="ITrafficGuard"/>, the application's <c>trafficGuards</c>) asked before a manifest stage takes
/// workloads out of service: <c>deleteManifest</c> (destroy), <c>disableManifest</c> (disable) and <c>scaleManifest</c> (resize).
/// Spinnaker checks guards only in its server-group stages; Mizzen also checks them here, since on Kubernetes the manifest stages are
/// how a cluster is emptied. A workload's server groups are itself (a ReplicaSet, StatefulSet or DaemonSet) or, for a Deployment,
/// all of its ReplicaSets — one change, in the cluster of the moniker annotations (the Deployment's for its ReplicaSets), with the
/// namespace as the guard's <c>location</c>, as the cluster view shows it. Targets of one stage in the same cluster are judged together,
/// so a label selector that deletes every Deployment of a guarded cluster is refused although each alone would not be. Not guarded: a
/// <c>kayentaCanary</c> stage's own cleanup of the baseline and canary workloads it deployed (each is alone in its cluster, and its
/// traffic has already gone back to production) — a stage the engine planned under the canary, which pipeline JSON cannot write.
/// </summary>
internal static class ManifestTrafficGuard
{
    /// <summary>What the canary's planned stages carry (Mizzen.Canary's <c>CanaryDeployments.RoleKey</c>; the provider does not reference it).</summary>
    private const string CanaryRoleKey = "canaryRole";

    /// <summary>Null when every target may go ahead; else the TERMINAL result naming the cluster (nothing has been changed).</summary>
    public static async Task<TaskResult?> RefusalAsync(
        TaskContext task, ITrafficGuard guard, KubernetesAccount account, IReadOnlyList<ResourceKey> targets, GuardedChangeKind kind, int? replicas,
        ILogger logger, CancellationToken cancellationToken)
    {
        if (IsCanaryCleanup(task))
        {
            return null;
        }

        var snapshot = await KubernetesSnapshot.ReadAsync(account, cancellationToken);
        var changes = targets
            .SelectMany(key => ServerGroupsOf(snapshot, key).Select(group => (Key: key, Group: group)))
            .GroupBy(t => (t.Group.Namespace, snapshot.Moniker(t.Group).App, snapshot.Moniker(t.Group).Cluster));
        foreach (var cluster in changes)
        {
            var subject = string.Join(", ", cluster.Select(t => t.Key.FullName).Distinct(StringComparer.Ordinal));
            var change = new GuardedChange(kind, account.Name, subject, replicas)
            {
                CloudProvider = KubernetesCloud.ProviderName,
                ServerGroups = [.. cluster.Select(t => t.Group.FullName).Distinct(StringComparer.Ordinal)],
            };
            var decision = await guard.CheckAsync(cluster.Key.App, change, cancellationToken);
            if (!decision.Allowed)
            {
                var reason = decision.Reason ?? $"The traffic guard refused to {kind.ToString().ToLowerInvariant()} {subject}";
                KubernetesLog.GuardRefused(logger, account.Name, subject, task.Execution.Id, task.Stage.Id, reason);
                var result = TaskResult.Terminal(reason);
                result.Context!["exception"]!["exceptionType"] = "TrafficGuardException";
                return result;
            }
        }

        return null;
    }

    private static bool IsCanaryCleanup(TaskContext task) =>
        task.Stage is { SyntheticStageOwner: not null, ParentStageId: { } parent }
        && task.Stage.Context[CanaryRoleKey] is not null
        && task.Execution.Stages.FirstOrDefault(s => s.Id == parent)?.Type == "kayentaCanary";

    /// <summary>The server groups a workload is: itself, or a Deployment's ReplicaSets (from the account's cache).</summary>
    private static IEnumerable<KubernetesManifest> ServerGroupsOf(KubernetesSnapshot snapshot, ResourceKey key) =>
        snapshot.ServerGroups.Where(g => g.Namespace == key.Namespace
                                         && ((g.Kind == key.Kind && g.Name == key.Name)
                                             || (key.Kind == "Deployment" && snapshot.Manager(g) is { } manager && manager.Name == key.Name)));
}
