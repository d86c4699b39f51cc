using System.Globalization;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Clouds;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Clouds;

/// <summary>
/// clouddriver's mapping of Kubernetes objects onto the read side (section 1.8): ReplicaSets, StatefulSets and DaemonSets are server
/// groups named <c>"kind name"</c> in the region (namespace) they live in, Deployments their cluster; Pods are instances whose
/// health comes from their phase, Ready condition and container states; Services and Ingresses are load balancers.
/// </summary>
internal static class KubernetesReadModel
{
    public static ServerGroupDetails ServerGroup(KubernetesSnapshot snapshot, KubernetesManifest group)
    {
        var moniker = snapshot.Moniker(group);
        var services = snapshot.ServicesSelecting(group).ToList();
        var declared = SafeLoadBalancers(group);
        var enabled = declared.Count == 0 || services.Count > 0;
        var pods = snapshot.PodsOf(group);
        var instances = pods.Select(p => Instance(snapshot.Account.Name, group.FullName, moniker.Cluster, p, enabled)).ToList();
        var images = ArtifactBinder.Images(group).ToList();
        var manager = snapshot.Manager(group);
        var details = new Dictionary<string, string>
        {
            ["kind"] = group.Kind,
            ["namespace"] = group.Namespace ?? "",
            ["images"] = string.Join(", ", images),
        };
        if (manager is not null)
        {
            details["serverGroupManager"] = manager.FullName;
        }

        if (group.Annotation(KubernetesAnnotations.DeploymentRevision) is { } revision)
        {
            details["revision"] = revision;
        }

        var summary = new ServerGroupSummary
        {
            Name = group.FullName,
            Account = snapshot.Account.Name,
            Application = moniker.App,
            Cluster = moniker.Cluster,
            Stack = moniker.Stack,
            Detail = moniker.Detail,
            Sequence = moniker.Sequence ?? 0,
            CreatedTime = group.CreationTimestamp ?? DateTimeOffset.UnixEpoch,
            Capacity = Capacity.Exactly((int)(group.Spec?["replicas"].AsLong() ?? group.Status?["desiredNumberScheduled"].AsLong() ?? 0)),
            Enabled = enabled,
            Artifact = new CloudArtifact("docker/image", images.Count == 0 ? "" : ArtifactBinder.ImageName(images[0]), null, images.FirstOrDefault() ?? ""),
            LoadBalancers = [.. services.Select(s => s.FullName).Union(declared.Select(d => $"service {d}"))],
            Instances = Counts(instances),
        };
        return new ServerGroupDetails
        {
            Summary = summary,
            CloudProvider = KubernetesCloud.ProviderName,
            Region = group.Namespace ?? "",
            Kind = group.SpinnakerKindName,
            Instances = instances,
            Details = details,
        };
    }

    public static InstanceDetails Instance(string account, string serverGroup, string cluster, KubernetesManifest pod, bool enabled)
    {
        var statuses = PodDiagnostics.ContainerStatuses(pod).ToList();
        var problem = statuses.Select(s => (Status: s, Problem: PodDiagnostics.Problem(s))).FirstOrDefault(p => p.Problem is not null);
        var phase = pod.Status?["phase"].AsString() ?? "Pending";
        var ready = (pod.Status?["conditions"] as System.Text.Json.Nodes.JsonArray ?? []).OfType<System.Text.Json.Nodes.JsonObject>()
            .Any(c => c["type"].AsString() == "Ready" && c["status"].AsString() == "True");
        var terminating = pod.Metadata["deletionTimestamp"] is not null;
        var health = terminating ? InstanceHealth.Down
            : problem.Problem is not null ? InstanceHealth.Down
            : phase == "Running" && ready ? (enabled ? InstanceHealth.Up : InstanceHealth.OutOfService)
            : phase is "Pending" or "Running" ? InstanceHealth.Starting
            : phase == "Unknown" ? InstanceHealth.Unknown
            : InstanceHealth.Down;
        var state = terminating ? "Terminating" : problem.Status?["state"]?["waiting"]?["reason"].AsString() ?? phase;
        var details = new Dictionary<string, string>
        {
            ["namespace"] = pod.Namespace ?? "",
            ["node"] = pod.Spec?["nodeName"].AsString() ?? "",
            ["podIP"] = pod.Status?["podIP"].AsString() ?? "",
            ["containers"] = string.Join(", ", statuses.Select(s => s["name"].AsString())),
        };
        return new InstanceDetails(pod.Name, account, pod.Namespace ?? "", serverGroup, cluster, health, state,
            DateTimeOffset.TryParse(pod.Status?["startTime"].AsString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var started) ? started : pod.CreationTimestamp,
            KubernetesCloud.ProviderName)
        {
            Reason = problem.Problem is null ? null : $"container {problem.Status!["name"].AsString()}: {problem.Problem}",
            Restarts = (int)statuses.Sum(s => s["restartCount"].AsLong() ?? 0),
            Details = details,
        };
    }

    public static LoadBalancerDetails LoadBalancer(KubernetesSnapshot snapshot, KubernetesManifest lb, IReadOnlyList<ServerGroupDetails> groups)
    {
        var routed = lb.Kind == "Service"
            ? groups.Where(g => g.Region == lb.Namespace && g.Summary.LoadBalancers.Contains(lb.FullName) && g.Summary.Enabled).ToList()
            : [];
        var totalUp = routed.Sum(g => g.Summary.Instances.Up);
        var targets = routed.Select(g => new LoadBalancerTargetDetails(
            g.Summary.Name,
            g.Summary.Instances.Up,
            routed.Count == 0 ? 0 : 100.0 / routed.Count,
            totalUp == 0 ? 0 : 100.0 * g.Summary.Instances.Up / totalUp,
            g.Summary.Instances.Up,
            g.Summary.Instances.Up == 0 ? "noUpInstances" : "routed")).ToList();
        var members = groups.Where(g => g.Region == lb.Namespace && g.Summary.LoadBalancers.Contains(lb.FullName))
            .Select(g => new LoadBalancerServerGroupDetails(g.Summary.Name, !g.Summary.Enabled, g.Summary.Instances.Up, g.Summary.Instances.Total)).ToList();
        var port = (int)((lb.Spec?["ports"] as System.Text.Json.Nodes.JsonArray)?.FirstOrDefault()?["port"].AsLong() ?? (lb.Kind == "Ingress" ? 80 : 0));
        return new LoadBalancerDetails(lb.FullName, snapshot.Account.Name, lb.Namespace ?? "", lb.SpinnakerKindName, KubernetesCloud.ProviderName, port, null, targets, members);
    }

    private static InstanceCounts Counts(IReadOnlyList<InstanceDetails> instances) => new(
        instances.Count,
        instances.Count(i => i.Health == InstanceHealth.Up),
        instances.Count(i => i.Health == InstanceHealth.Down),
        instances.Count(i => i.Health == InstanceHealth.Starting),
        instances.Count(i => i.Health == InstanceHealth.OutOfService),
        instances.Count(i => i.State == "CrashLoopBackOff"));

    private static IReadOnlyList<string> SafeLoadBalancers(KubernetesManifest group)
    {
        try
        {
            return ServiceSelectorTraffic.LoadBalancers(group);
        }
        catch (Core.Errors.ValidationException)
        {
            return []; // a malformed annotation is the deploy's error to report, not the read side's
        }
    }
}
